import Central
import Foundation
import Store
import Testing
import VitalsCore
import VitalsTestSupport

/// `vitals forward --to postgres://`, `vitals central init`, `tail --central` and
/// `status --central` as processes, against a throwaway PostgreSQL cluster.
@Suite(.serialized) struct CentralForwardingTests {
    let cluster: PostgresCluster
    let rooms: TemporaryDirectory
    /// The URL carries no password: the children read it from PGPASSWORD, as a unit would from
    /// its environment or PGPASSFILE.
    let url: String
    let env = ["PGPASSWORD": PostgresCluster.password]

    init() throws {
        cluster = try PostgresCluster()
        try cluster.createDatabase("central")
        rooms = try TemporaryDirectory(prefix: "vitals-central-rooms")
        url = cluster.url(database: "central", password: nil)
        let first = try VitalsChild.run(["central", "init", "--url", url], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("applied v1"))
    }

    static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// A room database with a session, `readings` readings of two devices, an alert raised,
    /// acknowledged and (when `clear`) cleared, a device event and a note.
    @discardableResult
    func room(_ name: String, readings: Int, clear: Bool = true) throws -> String {
        let path = rooms.file("\(name).sqlite")
        let db = try VitalsDatabase(path: path)
        let t0 = Self.now() - Int64(readings) * 10 - 60_000
        let s = try db.startSession(SessionPlan(room: name, patientRef: "P-\(name)"), at: t0)
        let w = ReadingWriter(database: db, configuration: WriterConfiguration(room: name), onError: { _ in })
        w.register(DeviceIdentity(profile: "nonin-df7", name: "oximeter-1"), at: t0)
        w.register(DeviceIdentity(profile: "suntech-advantage", name: "cuff-1"), at: t0)
        w.record(DeviceEvent(device: "oximeter-1", at: t0, kind: .connected))
        for i in 0..<readings {
            let metric: Metric = i % 50 == 49 ? .nibpSystolic : (i % 2 == 0 ? .spo2 : .pulse)
            let value = metric == .spo2 ? Double(90 + i % 9) + 0.5 : Double(60 + i % 70)
            w.append(Observation(
                reading: Reading(metric: metric, value: value, flags: i % 17 == 0 ? .lowPerfusion : [], deviceTime: DeviceTime(milliseconds: Int64(i) * 10, kind: .counter)),
                device: metric == .nibpSystolic ? "cuff-1" : "oximeter-1", time: RunTime(milliseconds: Int64(i) * 10), hostTime: t0 + Int64(i) * 10))
        }
        w.record(alert(.raised, rule: "spo2-low"))
        w.record(alert(.acknowledged, rule: "spo2-low", by: "Ana"))
        if clear { w.record(alert(.cleared, rule: "spo2-low")) }
        #expect(w.close().isComplete)
        _ = try db.addEvent(SessionEvent(sessionID: s.id, at: Self.now(), kind: .note, text: "calm", by: "Ana"))
        return path
    }

    func alert(_ event: AlertEventKind, rule: String, by: String? = nil) -> AlertEvent {
        AlertEvent(
            time: RunTime(milliseconds: 1000), hostTime: Self.now(), rule: rule, priority: .high, kind: .physiological, event: event,
            metric: .spo2, value: 87, message: "SpO2 below 90 %: 87", device: "oximeter-1", by: by, occurrence: 1)
    }

    func forwardOnce(_ path: String) throws {
        let r = try VitalsChild.run(["forward", "--db", path, "--to", url, "--once"], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
    }

    func central(_ sql: String) throws -> String { try cluster.psql("central", sql) }

    /// The room's rows as text, the way the central query below prints them.
    func roomRows(_ path: String) throws -> (readings: [String], alerts: [String], events: [String]) {
        let db = try VitalsDatabase(path: path)
        var readings: [String] = []
        var alerts: [String] = []
        var events: [String] = []
        for s in try db.sessions() {
            readings += try db.readings(session: s.id).map {
                "\($0.id)|\($0.sessionID)|\($0.device)|\($0.metric.name)|\(Int64(($0.value * 100).rounded()))|\($0.flags.rawValue)|\($0.hostTime)|\($0.deviceTime.map(String.init) ?? "")"
            }
            alerts += try db.alerts(session: s.id).map {
                "\($0.id)|\($0.rule)|\($0.priority.rawValue)|\($0.acknowledgedBy ?? "")|\($0.clearedAt.map(String.init) ?? "")"
            }
            events += try db.alertEvents(session: s.id).map { "\($0.id)|\($0.alertID)|\($0.event.event.rawValue)|\($0.event.hostTime)" }
        }
        return (readings.sorted(), alerts.sorted(), events.sorted())
    }

    func centralRows(_ room: String) throws -> (readings: [String], alerts: [String], events: [String]) {
        let id = "(SELECT room_id FROM rooms WHERE name = '\(room)')"
        func lines(_ sql: String) throws -> [String] { try central(sql).split(separator: "\n").map(String.init).sorted() }
        return (
            try lines("SELECT id, session_id, device, metric, value_x100, flags, t, device_t FROM readings WHERE room_id = \(id)"),
            try lines("SELECT id, rule, priority, acknowledged_by, cleared_at FROM alerts WHERE room_id = \(id)"),
            try lines("SELECT id, alert_id, event, t FROM alert_events WHERE room_id = \(id)")
        )
    }

    @Test func twoRoomsForwardIntoOneDatabaseAndEqualTheirOwn() throws {
        let a = try room("room-a", readings: 3_000)
        let b = try room("room-b", readings: 1_200, clear: false)
        try forwardOnce(a)
        try forwardOnce(b)
        for (name, path) in [("room-a", a), ("room-b", b)] {
            let here = try roomRows(path)
            let there = try centralRows(name)
            #expect(there.readings.count == here.readings.count)
            #expect(there.readings == here.readings)
            #expect(there.alerts == here.alerts)
            #expect(there.events == here.events)
        }
        #expect(try central("SELECT count(*) FROM rooms") == "2\n")
        #expect(try central("SELECT count(*) FROM session_events WHERE text = 'calm'") == "2\n")
        // A second run sends nothing new and a repeated init changes nothing.
        let before = try central("SELECT count(*), sum(xmin::text::bigint) FROM readings")
        try forwardOnce(a)
        #expect(try central("SELECT count(*), sum(xmin::text::bigint) FROM readings") == before)
        let again = try VitalsChild.run(["central", "init", "--url", url], environment: env)
        #expect(again.status == 0 && again.stdout.contains("already at version"))

        // The board: both rooms, room-b's alert active, both forwarders heard from.
        let status = try VitalsChild.run(["status", "--central", url], environment: env)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("room-a") && status.stdout.contains("P-room-b"))
        #expect(status.stdout.contains("ACTIVE ALERTS: 1 high"))
        #expect(status.stdout.contains("spo2 ") && status.stdout.contains("nibp.sys"))
    }

    @Test func tailCentralShowsAnAlertRaisedInAnotherRoom() throws {
        try forwardOnce(try room("room-a", readings: 10))
        let tail = try VitalsChild(["tail", "--central", url, "--format", "jsonl"], environment: env)
        defer { tail.stop() }
        usleep(1_500_000)
        let path = rooms.file("room-b.sqlite")
        let db = try VitalsDatabase(path: path)
        try db.startSession(SessionPlan(room: "room-b"), at: Self.now())
        let w = ReadingWriter(database: db, configuration: WriterConfiguration(room: "room-b"), onError: { _ in })
        w.record(alert(.raised, rule: "pulse-high"))
        #expect(w.close().isComplete)
        try forwardOnce(path)
        let line = tail.waitForLine(timeout: .seconds(20)) { $0.contains("pulse-high") }
        let o = try #require(line.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }, "\(tail.stderrLines)")
        #expect(o["room"] as? String == "room-b")
        #expect(o["event"] as? String == "raised")
        #expect(o["priority"] as? String == "high")
        // room-a's alert had cleared before tail started: not shown.
        #expect(!tail.stdoutLines.contains { $0.contains("room-a") })
    }

    /// Central server stopped for 10 s (not 30, to keep the suite short; the benchmark script
    /// measures a 30 s outage) while the room records and `vitals forward` follows.
    @Test func everyRowArrivesOnceAcrossAServerOutage() async throws {
        let path = rooms.file("room-a.sqlite")
        let db = try VitalsDatabase(path: path)
        try db.startSession(SessionPlan(room: "room-a"), at: Self.now())
        let forward = try VitalsChild(["forward", "--db", path, "--to", url], environment: env)
        defer { forward.stop() }
        let w = ReadingWriter(database: db, configuration: WriterConfiguration(room: "room-a"), onError: { _ in })
        w.register(DeviceIdentity(profile: "nonin-df7", name: "oximeter-1"), at: Self.now())
        var written = 0
        func record(for seconds: Double) async throws {
            let end = Date().addingTimeInterval(seconds)
            while Date() < end {
                for _ in 0..<20 {
                    w.append(Observation(reading: Reading(metric: .spo2, value: 97), device: "oximeter-1", time: RunTime(milliseconds: Int64(written)), hostTime: Self.now()))
                    written += 1
                }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        try await record(for: 2)
        try cluster.stop()
        try await record(for: 10)
        try cluster.start()
        try await record(for: 2)
        #expect(w.close().isComplete)
        let deadline = Date().addingTimeInterval(60)
        var counts = ""
        while Date() < deadline {
            counts = (try? central("SELECT count(*), count(DISTINCT id), min(id), max(id) FROM readings")) ?? ""
            if counts == "\(written)|\(written)|1|\(written)\n" { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        #expect(counts == "\(written)|\(written)|1|\(written)\n", "\(forward.stderrLines.suffix(5))")
        #expect(forward.stderrLines.contains { $0.contains("cannot connect") || $0.contains("connection") }, "the outage was reported")
    }

    @Test func aForwarderKilledMidBatchLeavesNoGapAndNoDuplicate() async throws {
        let total = 60_000
        let path = try room("room-a", readings: total)
        let forward = try VitalsChild(["forward", "--db", path, "--to", url], environment: env)
        var seen = 0
        let deadline = Date().addingTimeInterval(60)
        while seen == 0 && Date() < deadline {
            seen = Int(try central("SELECT count(*) FROM readings").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
            if seen == 0 { try await Task.sleep(for: .milliseconds(5)) }
        }
        forward.send(SIGKILL)
        _ = forward.wait()
        let atKill = Int(try central("SELECT count(*) FROM readings").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(atKill > 0 && atKill < total, "killed after the first batch and before the last (\(atKill) of \(total))")
        try forwardOnce(path)
        #expect(try central("SELECT count(*), count(DISTINCT id), min(id), max(id) FROM readings") == "\(total)|\(total)|1|\(total)\n")
        #expect(try centralRows("room-a").readings == (try roomRows(path)).readings)
    }
}
