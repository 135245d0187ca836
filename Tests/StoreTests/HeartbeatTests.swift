import Foundation
import Testing
@testable import Store
import VitalsCore

/// The daemon's heartbeat and what terminals make of it (issue 19: a stopped daemon must never
/// look like a calm room).
@Suite struct HeartbeatTests {
    @Test func beatsKeepTheirStretchAndAGapStartsANewOne() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("h.sqlite"))
        let t0: Int64 = 1_780_000_000_000
        #expect(try db.heartbeat(room: "r") == nil)
        #expect(MonitoringState(nil, now: t0) == .never)

        for i in 0..<5 { try db.writeHeartbeat(room: "r", at: t0 + Int64(i) * 1000) }
        let beat = try #require(try db.heartbeat(room: "r"))
        #expect(beat.at == t0 + 4000 && beat.since == t0)
        #expect(MonitoringState(beat, now: t0 + 9000) == .monitoring(since: t0))
        // Older than 5 s: not monitoring, since the last beat.
        #expect(MonitoringState(beat, now: t0 + 9001) == .stopped(since: t0 + 4000))

        // A beat after a gap starts a new stretch.
        try db.writeHeartbeat(room: "r", at: t0 + 20_000)
        #expect(try db.heartbeat(room: "r")?.since == t0 + 20_000)

        // A clean stop shows at once, and the next beat starts again.
        try db.stopHeartbeat(room: "r", at: t0 + 20_500)
        let stopped = try #require(try db.heartbeat(room: "r"))
        #expect(MonitoringState(stopped, now: t0 + 20_600) == .stopped(since: t0 + 20_500))
        try db.writeHeartbeat(room: "r", at: t0 + 21_000)
        #expect(MonitoringState(try db.heartbeat(room: "r"), now: t0 + 21_000) == .monitoring(since: t0 + 21_000))
    }

    @Test func knownRoomsAreThoseWithABeatOrASession() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("k.sqlite"))
        try db.writeHeartbeat(room: "b", at: 1000)
        try db.startSession(SessionPlan(room: "a"), at: 1000)
        try db.startSession(SessionPlan(room: "b"), at: 1000)
        #expect(try db.knownRooms() == ["a", "b"])
        #expect(try db.heartbeats().map(\.room) == ["b"])
    }

    @Test func stateTextIsWhatTheBannerSays() {
        let f = LocalTimeFormatter(timeZone: TimeZone(identifier: "UTC")!)
        let t: Int64 = 1_780_000_000_000  // 20:26:40 UTC
        #expect(MonitoringState.stopped(since: t).text(f) == "NOT MONITORING since \(f.time(t))")
        #expect(MonitoringState.monitoring(since: t).text(f) == "monitoring since \(f.time(t))")
        #expect(MonitoringState.never.text(f).hasPrefix("NOT MONITORING"))
    }
}
