import Central
import Foundation
import Store
import Testing
import VitalsCore
import VitalsTestSupport

/// Against a real PostgreSQL server (a throwaway cluster per test).
@Suite(.serialized) struct CentralServerTests {
    let cluster: PostgresCluster
    let endpoint: CentralEndpoint

    init() throws {
        cluster = try PostgresCluster()
        try cluster.createDatabase("central")
        endpoint = try CentralEndpoint.parse(cluster.url(database: "central"), environment: [:])
    }

    static let room = CentralRoom(id: "0123456789abcdef0123456789abcdef", name: "room-1")

    static func batch(alertCleared: Int64? = nil) -> CentralBatch {
        var b = CentralBatch(room: room)
        b.sessions = [
            CentralSession(
                id: 1, room: "room-1", patientRef: "MRN-7", clinician: "Dr A", medication: "esketamine", dose: "56 mg",
                route: "nasal", observeMs: 7_200_000, limitsJSON: "{}", startedAt: 1_000, doseAt: 2_000, endedAt: nil,
                endReason: nil, autoOpened: false)
        ]
        b.devices = [CentralDevice(name: "oximeter", profile: "nonin-ascii")]
        b.readings = (1...3).map {
            CentralReading(id: $0, sessionID: 1, device: "oximeter", metric: "spo2", t: 1_000 + $0 * 1_000, deviceT: nil, valueX100: 9_700 - $0 * 100, flags: 0)
        }
        b.alerts = [
            CentralAlert(
                id: 1, sessionID: 1, rule: "spo2-low", occurrence: 1, kind: "physiological", metric: "spo2", priority: "high",
                message: "SpO2 below 90 %: 88", raisedAt: 4_000, escalatedAt: nil, acknowledgedAt: nil, acknowledgedBy: nil,
                clearedAt: alertCleared)
        ]
        b.alertEvents = [
            CentralAlertEvent(
                id: 1, alertID: 1, sessionID: 1, t: 4_000, runMs: 3_000, event: "raised", rule: "spo2-low", priority: "high",
                kind: "physiological", metric: "spo2", value: 88, message: "SpO2 below 90 %: 88", device: "oximeter", by: nil)
        ]
        b.sessionEvents = [CentralSessionEvent(id: 1, sessionID: 1, t: 1_000, kind: "start", text: "", by: "Dr A")]
        b.deviceEvents = [CentralDeviceEvent(id: 1, sessionID: 1, device: "oximeter", t: 1_500, kind: "connected", metric: nil, code: nil, count: nil, detail: "")]
        return b
    }

    @Test func initCreatesTheSchemaOnceAndAgainChangesNothing() async throws {
        let db = try await CentralDatabase.connect(endpoint)
        #expect(try await db.schemaVersion() == 0)
        await #expect(throws: CentralError.self) { try await db.requireSchema() }
        #expect(try await db.migrate() == [1])
        #expect(try await db.migrate() == [])
        #expect(try await db.schemaVersion() == CentralSchema.latestVersion)
        try await db.requireSchema()
        await db.close()
        #expect(try cluster.psql("central", "SELECT version, name FROM schema_migrations") == "1|v1-rooms-records-heartbeats\n")
        let indexes = try cluster.psql("central", "SELECT indexname FROM pg_indexes WHERE indexname IN ('readings_latest', 'alert_events_since') ORDER BY 1")
        #expect(indexes == "alert_events_since\nreadings_latest\n")
    }

    @Test func aResentBatchChangesNothingAndAChangedRowIsUpdated() async throws {
        let db = try await CentralDatabase.connect(endpoint)
        try await db.migrate()
        try await db.write(Self.batch())
        let before = try cluster.psql("central", "SELECT xmin, * FROM sessions UNION ALL SELECT xmin, room_id, id, NULL, rule, NULL, NULL, NULL, NULL, NULL, NULL, raised_at, NULL, NULL, NULL, NULL FROM alerts")
        try await db.write(Self.batch())
        let after = try cluster.psql("central", "SELECT xmin, * FROM sessions UNION ALL SELECT xmin, room_id, id, NULL, rule, NULL, NULL, NULL, NULL, NULL, NULL, raised_at, NULL, NULL, NULL, NULL FROM alerts")
        #expect(before == after, "an identical resend rewrote a row")
        let counts = "SELECT (SELECT count(*) FROM readings), (SELECT count(*) FROM alert_events), (SELECT count(*) FROM session_events), (SELECT count(*) FROM device_events), (SELECT count(*) FROM devices)"
        #expect(try cluster.psql("central", counts) == "3|1|1|1|1\n")
        try await db.write(Self.batch(alertCleared: 9_000))
        #expect(try cluster.psql("central", "SELECT cleared_at FROM alerts") == "9000\n")
        #expect(try cluster.psql("central", "SELECT lag_rows FROM forwarder_heartbeats") == "0\n")
        await db.close()
    }

    @Test func aWrongPasswordIsSaidPlainly() async throws {
        let wrong = try CentralEndpoint.parse(cluster.url(database: "central", password: "not-it"), environment: [:])
        do {
            _ = try await CentralDatabase.connect(wrong)
            Issue.record("connected with a wrong password")
        } catch {
            #expect(error.description.contains("password authentication failed"), "\(error)")
            #expect(!error.description.contains("not-it"))
            #expect(error.needsAttention)
        }
    }

    @Test func anUnreachableServerIsRetriedWithBackoffNotInABusyLoop() async throws {
        var gone = endpoint
        gone.port = try PostgresCluster.freePort()
        let reports = Reports()
        let task = Task { try await CentralDatabase.connectRetrying(gone) { message, delay in reports.add(message, delay) } }
        try await Task.sleep(for: .seconds(2))
        task.cancel()
        _ = await task.result
        let seen = reports.all
        // One report (a repeated failure is not reported again), and a handful of attempts in 2 s.
        #expect(seen.count == 1)
        #expect(seen.first?.0.contains("cannot connect to") == true, "\(seen)")
    }

    @Test func theAlertFeedWakesOnNotifyAndReadsEachEventOnce() async throws {
        let setup = try await CentralDatabase.connect(endpoint)
        try await setup.migrate()
        let received = Reports()
        let feed = CentralAlertFeed(endpoint: endpoint, filter: CentralAlertFilter())
        let follower = Task {
            try await feed.follow(since: nil, report: { received.add("report: " + $0, .zero) }) { records in
                for r in records { received.add("\(r.event.room) \(r.event.id) \(r.event.event.event.rawValue)", .zero) }
            }
        }
        try await Task.sleep(for: .milliseconds(500))
        try await setup.write(Self.batch())
        try await setup.write(Self.batch())  // a resend: nothing new to show
        var other = Self.batch()
        other.room = CentralRoom(id: "fedcba9876543210fedcba9876543210", name: "room-2")
        try await setup.write(other)
        var waited = 0
        while received.all.count < 2 && waited < 100 {
            try await Task.sleep(for: .milliseconds(100))
            waited += 1
        }
        try await Task.sleep(for: .milliseconds(300))
        follower.cancel()
        _ = await follower.result
        #expect(received.all.map(\.0).sorted() == ["room-1 1 raised", "room-2 1 raised"])
        let board = try await CentralBoard.read(setup)
        #expect(board.rooms.map(\.name) == ["room-1", "room-2"])
        #expect(board.rooms[0].patientRef == "MRN-7")
        #expect(board.rooms[0].vitals.map(\.value) == [94])
        #expect(board.rooms[0].alerts.map(\.priority) == [.high])
        let lines = board.lines(now: 10_000, staleAfterMs: 30_000)
        #expect(lines.contains { $0.contains("ACTIVE ALERTS: 1 high") })
        #expect(!lines.contains { $0.contains("NOT REPORTING") })
        #expect(board.lines(now: 10_000, staleAfterMs: -1).contains { $0.contains("NOT REPORTING") })
        await setup.close()
    }
}

final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [(String, Duration)] = []
    func add(_ s: String, _ d: Duration) { lock.withLock { items.append((s, d)) } }
    var all: [(String, Duration)] { lock.withLock { items } }
}
