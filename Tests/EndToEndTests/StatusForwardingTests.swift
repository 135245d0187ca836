import Foundation
import Store
import Testing
import VitalsCore
import VitalsTestSupport

/// `vitals status` of the room shows how far each `vitals forward` destination is behind
/// (issue 17, item 4), with a session open or not.
@Suite struct StatusForwardingTests {
    @Test func eachDestinationsLagIsShown() throws {
        let dir = try TailTempDirectory()
        let path = dir.file("status.sqlite")
        let db = try VitalsDatabase(path: path)
        let t0 = TailFixture.now() - 120_000
        let s = try db.startSession(SessionPlan(room: "room-1"), at: t0)
        let w = TailFixture.writer(db)
        w.register(DeviceIdentity(profile: "nonin-df7", name: "oximeter-1"), at: t0)
        for i in 0..<40 {
            w.append(Observation(
                reading: Reading(metric: .spo2, value: 97), device: "oximeter-1", time: RunTime(milliseconds: 0), hostTime: t0 + Int64(i) * 1000))
        }
        w.close()
        // One destination has everything up to the 10th reading; another all of it.
        let all = try db.forwardBatch(after: ForwardCursor(), limit: 100_000).through
        var partial = all
        partial.readingID = 10
        try db.saveForwardCursor(partial, destination: "postgres://central.example/vitals", now: t0 + 60_000)
        try db.saveForwardCursor(all, destination: "mllp://engine.example:2575", now: t0 + 60_000)

        let states = try db.forwardDestinations(now: t0 + 100_000)
        #expect(states.map(\.destination) == ["mllp://engine.example:2575", "postgres://central.example/vitals"])
        #expect(states[0].lagRows == 0 && states[0].lagSeconds == 0)
        #expect(states[1].lagRows == 30)
        // The oldest unsent reading is the 11th, taken at t0 + 10 s: 90 s old at t0 + 100 s.
        #expect(states[1].lagSeconds == 90)

        let open = try VitalsChild.run(["status", "--db", path])
        #expect(open.status == 0, "\(open.stderr)")
        let lines = open.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("FORWARDING"), "\(open.stdout)")
        #expect(lines.contains { $0.contains("postgres://central.example/vitals") && $0.contains("30 rows behind") }, "\(open.stdout)")
        #expect(lines.contains { $0.contains("mllp://engine.example:2575") && $0.contains("up to date") }, "\(open.stdout)")

        try db.endSession(s.id, at: t0 + 50_000, reason: "done")
        let ended = try VitalsChild.run(["status", "--db", path])
        #expect(ended.stdout.contains("No open session") && ended.stdout.contains("rows behind"), "\(ended.stdout)")
    }
}
