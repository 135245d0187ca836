import Foundation
import Logging
import Synchronization
import Testing
@testable import Forwarding
import Store
import VitalsCore
import VitalsTestSupport

/// A destination in the test's hands: records every batch, fails the first `failures` calls.
final class RecordingDestination: ForwardDestination {
    let cursorKey: String
    let batches = Mutex<[RoomChangeBatch]>([])
    let failures: Mutex<Int>

    init(key: String = "test://one", failures: Int = 0) {
        cursorKey = key
        self.failures = Mutex(failures)
    }

    func deliver(_ batch: RoomChangeBatch) async throws {
        let fail = failures.withLock { n -> Bool in
            defer { n -= 1 }
            return n > 0
        }
        batches.withLock { $0.append(batch) }
        if fail { throw ForwardingError.deliveryFailed(destination: cursorKey, reason: "refused by the test") }
    }

    var all: [RoomChangeBatch] { batches.withLock { $0 } }
}

@Suite struct ForwarderCoreTests {
    static func configuration() -> ForwarderConfiguration {
        var c = ForwarderConfiguration()
        c.initialBackoff = 0.01
        c.maxBackoff = 0.02
        // Generous: the full suite on two cores starved this suite's tasks for over 5 s once
        // (a retried delivery "gave up" although the destination recovers after two failures).
        // The give-up path has its own test with 0.2 s.
        c.giveUpAfter = 60
        return c
    }

    @Test func onceDeliversEveryRowAndASecondRunNothing() async throws {
        let dir = try TemporaryDirectory()
        let room = try RoomFixture(path: dir.file("room.sqlite"))
        let d = RecordingDestination()
        let f = Forwarder(database: room.database, destinations: [d], configuration: Self.configuration(), logger: Logger(label: "t"))
        try await f.runOnce()
        let readings = d.all.flatMap(\.readings)
        #expect(readings.count == 12 * 2 + 4)
        #expect(readings.map(\.id) == readings.map(\.id).sorted())
        #expect(Set(readings.map(\.id)).count == readings.count)
        #expect(d.all.flatMap(\.alertEvents).map(\.event) == [.raised, .acknowledged])
        #expect(d.all.flatMap(\.sessions).map(\.patientRef) == ["MRN12345"])
        #expect(d.all.first?.room.uid.count == 32)
        #expect(d.all.first?.room.name == "WARD3-BED07")
        let nibp = try #require(readings.first { $0.metric == .nibpSystolic })
        #expect(nibp.deviceT == nibp.t - 40_000)
        #expect(nibp.profile == "suntech-advantage")
        #expect(readings.first { $0.flags.contains(.sensorOff) } != nil)
        let cursor = try room.database.forwardCursor(destination: "test://one")
        #expect(cursor.readingID == readings.last?.id)

        let again = RecordingDestination()
        try await Forwarder(database: room.database, destinations: [again], configuration: Self.configuration(), logger: Logger(label: "t"))
            .runOnce()
        #expect(again.all.isEmpty)
    }

    @Test func aFailedDeliveryIsRetriedWithTheSameRowsAndTheCursorWaits() async throws {
        let dir = try TemporaryDirectory()
        let room = try RoomFixture(path: dir.file("room.sqlite"))
        let d = RecordingDestination(failures: 2)
        try await Forwarder(database: room.database, destinations: [d], configuration: Self.configuration(), logger: Logger(label: "t"))
            .runOnce()
        let all = d.all
        #expect(all.count == 3)
        #expect(all[0].readings == all[2].readings)
        #expect(all[0].from == ForwardCursor())
        #expect(all[2].from == ForwardCursor())
    }

    @Test func onceGivesUpOnADestinationThatNeverConfirms() async throws {
        let dir = try TemporaryDirectory()
        let room = try RoomFixture(path: dir.file("room.sqlite"))
        let d = RecordingDestination(failures: .max)
        var c = Self.configuration()
        c.giveUpAfter = 0.2
        let f = Forwarder(database: room.database, destinations: [d], configuration: c, logger: Logger(label: "t"))
        await #expect(throws: ForwardingError.self) { try await f.runOnce() }
        #expect(try room.database.forwardCursor(destination: "test://one") == ForwardCursor())
    }

    @Test func batchesNeverSplitAReadingPeriod() throws {
        let dir = try TemporaryDirectory()
        let room = try RoomFixture(path: dir.file("room.sqlite"))
        var cursor = ForwardCursor()
        var periods: [Int64: Int] = [:]  // period -> the batch it went in
        var batch = 0
        var alertEvents = 0
        while true {
            let b = try room.database.forwardBatch(after: cursor, limit: 7, readingPeriodMs: 1000)
            if b.readings.isEmpty && b.alertEvents.isEmpty { break }
            // Alert events never run ahead of the readings of their batch (time order).
            if let last = b.readings.last?.t {
                #expect(b.alertEvents.allSatisfy { $0.t <= last })
            }
            alertEvents += b.alertEvents.count
            for r in b.readings {
                let p = r.t / 1000
                if let seen = periods[p] { #expect(seen == batch, "period \(p) split across batches") }
                periods[p] = batch
            }
            cursor = b.through
            batch += 1
        }
        #expect(periods.count == 12)
        #expect(alertEvents == 2)
    }

    @Test func anEndedSessionAndAClearedAlertComeAgainAsChangedRows() async throws {
        let dir = try TemporaryDirectory()
        let room = try RoomFixture(path: dir.file("room.sqlite"))
        let first = try room.database.forwardBatch(after: ForwardCursor())
        #expect(first.sessions.first?.endedAt == nil)
        #expect(first.activeAlerts.map(\.rule) == ["spo2-low"])
        try room.database.endSession(room.sessionID, at: RoomFixture.start + 60_000, reason: "test")
        let second = try room.database.forwardBatch(after: first.through)
        #expect(second.sessions.map(\.id) == [room.sessionID])
        #expect(second.sessions.first?.endedAt == RoomFixture.start + 60_000)
        #expect(second.readings.isEmpty)
    }

    @Test func fileDestinationWritesJSONLinesAndTheCursorKeyHasNoPassword() async throws {
        let dir = try TemporaryDirectory()
        let room = try RoomFixture(path: dir.file("room.sqlite"))
        let context = DestinationContext(database: room.database, configuration: Self.configuration(), logger: Logger(label: "t"))
        let d = try DestinationFactory.make("file://" + dir.file("out.jsonl"), context: context)
        try await Forwarder(database: room.database, destinations: [d], configuration: Self.configuration(), logger: Logger(label: "t"))
            .runOnce()
        let lines = try String(contentsOfFile: dir.file("out.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.filter { $0.contains(#""table":"readings""#) }.count == 28)
        #expect(lines.filter { $0.contains(#""table":"alert_events""#) }.count == 2)
        #expect(lines.contains { $0.contains(#""table":"readings""#) && $0.contains(#""metric":"nibp.sys""#) })
        let url = try DestinationURL("mllp://user:secret@127.0.0.1:2575/?app=X")
        #expect(!url.redacted.contains("secret"))
        #expect(url.redacted.hasPrefix("mllp://127.0.0.1:2575"))
        #expect(throws: ForwardingError.self) { try DestinationFactory.make("gopher://x", context: context) }
    }
}
