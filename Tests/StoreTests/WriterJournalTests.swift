import Foundation
import GRDB
import Testing
@testable import Store
import VitalsCore

/// The journal keeps every kind of record exactly, in order, owner-only; a line cut by a crash
/// is skipped and counted, not fatal.
@Suite struct WriterJournalTests {
    @Test func everyRecordKindRoundTripsInOrder() throws {
        let dir = try TempDirectory()
        let journal = WriterJournal(databasePath: dir.file("j.sqlite"), fallbackDirectory: dir.file("fallback"))
        let readings = [
            Sample.observation(.spo2, 97, at: 1000, flags: [.lowPerfusion], deviceTime: DeviceTime(milliseconds: 42, kind: .counter)),
            Sample.observation(.pi, .nan, at: 1001),
            Sample.observation(.pulse, .infinity, at: 1002),
        ]
        let alert = Sample.alert(.acknowledged, at: 1003, occurrence: 3, by: "nurse Ana")
        let items: [PendingItem] = [
            .device(DeviceIdentity(profile: "nonin-df7", name: "ox", usbVendorID: 0x0403, serialNumber: "SN"), at: 999),
            .alert(alert, ticket: 7),
            .deviceEvent(DeviceEvent(device: "ox", at: 1004, kind: .connected, metric: .spo2, code: 5, count: 2, detail: "d")),
            .sessionEvent(SessionEvent(sessionID: 4, at: 1005, kind: .note, text: "calm", by: "Dr Ng")),
            .waveform(device: "ox", at: 1006, Waveform(sampleRate: 75, samples: [1, -2, 3], flags: [.artifact])),
        ]
        let written = journal.append(readings: readings, items: items)
        #expect((try? written.get()) == journal.primary)
        #expect(fileMode(journal.primary) == 0o600)
        // A record cut by a crash mid-write.
        let handle = try #require(FileHandle(forWritingAtPath: journal.primary))
        handle.seekToEndOfFile()
        handle.write(Data("{\"type\":\"reading\",\"dev".utf8))
        try handle.close()

        let loaded = journal.load()
        #expect(loaded.badLines == 1)
        #expect(loaded.files == [journal.primary])
        #expect(loaded.readings.count == 3)
        #expect(loaded.readings[0] == readings[0])
        #expect(loaded.readings[1].value.isNaN && loaded.readings[2].value == .infinity)
        #expect(loaded.items.count == 5)
        if case let .alert(a, ticket) = loaded.items[1] {
            #expect(a == alert && ticket == nil)
        } else {
            Issue.record("item 1 is \(loaded.items[1])")
        }
        if case let .device(identity, at) = loaded.items[0] {
            #expect(identity.usbVendorID == 0x0403 && identity.serialNumber == "SN" && at == 999)
        } else {
            Issue.record("item 0 is \(loaded.items[0])")
        }
        if case let .deviceEvent(e) = loaded.items[2] { #expect(e == DeviceEvent(device: "ox", at: 1004, kind: .connected, metric: .spo2, code: 5, count: 2, detail: "d")) }
        if case let .sessionEvent(e) = loaded.items[3] { #expect(e == SessionEvent(sessionID: 4, at: 1005, kind: .note, text: "calm", by: "Dr Ng")) }
        if case let .waveform(d, at, w) = loaded.items[4] {
            #expect(d == "ox" && at == 1006 && w == Waveform(sampleRate: 75, samples: [1, -2, 3], flags: [.artifact]))
        }
        // The count at start is by line (the cut line counts): an estimate for the summary.
        let counted = WriterJournal.countRecords(journal.primary)
        #expect(counted.readings == 4 && counted.events == 5)
        journal.remove(loaded.files)
        #expect(journal.existing().isEmpty)
    }
}

/// A wall-clock step is stored as the host's device event with its size.
@Suite struct ClockStepEventTests {
    @Test func aStepIsStoredWithItsSize() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("step.sqlite"))
        let writer = ReadingWriter(database: db, configuration: WriterConfiguration(room: "r"), onError: { _ in })
        let wall = ManualWallClock(milliseconds: 1_780_000_000_000)
        let mono = ManualMonotonicSource()
        let clock = MonotonicRunClock(wall: wall, monotonic: mono)
        mono.advance(milliseconds: 1000)
        wall.advance(by: 1000 - 3_600_000)
        let step = try #require(clock.detectStep())
        writer.record(DeviceEvent.clockStep(milliseconds: step, at: clock.wallClock(at: clock.now())))
        #expect(writer.flush())
        let row = try db.pool.read { c in
            try Row.fetchOne(c, sql: "SELECT e.kind, e.count, e.detail, e.t, d.name FROM device_events e JOIN devices d ON d.id = e.device_id")
        }
        let r = try #require(row)
        #expect(r["kind"] as String == "clock-step")
        #expect(r["count"] as Int64 == -3_600_000)
        #expect(r["detail"] as String == "wall clock stepped -3600 s")
        #expect(r["t"] as Int64 == 1_780_000_001_000 - 3_600_000)
        #expect(r["name"] as String == "host")
        #expect(writer.close().isComplete)
    }
}
