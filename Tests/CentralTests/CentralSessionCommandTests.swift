import Central
import Foundation
import Store
import Testing
import VitalsCore
import VitalsTestSupport

/// `vitals session list|show` and `vitals report` with `--central URL`: every room's sessions
/// read back from a real throwaway PostgreSQL, printed as the room itself prints them.
@Suite(.serialized) struct CentralSessionCommandTests {
    let cluster: PostgresCluster
    let rooms: TemporaryDirectory
    let url: String
    let env = ["PGPASSWORD": PostgresCluster.password, "TZ": "UTC"]

    init() throws {
        cluster = try PostgresCluster()
        try cluster.createDatabase("central")
        rooms = try TemporaryDirectory(prefix: "vitals-central-sessions")
        url = cluster.url(database: "central", password: nil)
        let r = try VitalsChild.run(["central", "init", "--url", url], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// A room whose (ended) session 1 has a dose, BP and oximeter readings, a flagged reading, an
    /// alert raised, acknowledged and cleared, a device event and a note.
    func room(_ name: String, patient: String, spo2: Double) throws -> String {
        let path = rooms.file("\(name).sqlite")
        let db = try VitalsDatabase(path: path)
        let t0: Int64 = 1_764_547_200_000  // 2025-12-01T00:00:00Z
        let s = try db.startSession(SessionPlan(room: name, patientRef: patient, clinician: "Dr A", medication: "esketamine", dose: "56 mg", observeMilliseconds: 7_200_000), at: t0)
        let w = ReadingWriter(database: db, configuration: WriterConfiguration(room: name), onError: { _ in })
        w.register(DeviceIdentity(profile: "nonin-df7", name: "oximeter-1"), at: t0)
        w.register(DeviceIdentity(profile: "suntech-advantage", name: "cuff-1"), at: t0)
        w.record(DeviceEvent(device: "oximeter-1", at: t0 + 500, kind: .connected))
        func put(_ metric: Metric, _ value: Double, at ms: Int64, flags: QualityFlags = [], device: String = "oximeter-1") {
            w.append(Observation(
                reading: Reading(metric: metric, value: value, flags: flags), device: device, time: RunTime(milliseconds: ms),
                hostTime: t0 + ms))
        }
        for i in 0..<600 {
            put(.spo2, spo2 - Double(i % 4), at: Int64(i) * 1_000, flags: i % 97 == 0 ? .artifact : [])
            put(.pulse, 70 + Double(i % 11), at: Int64(i) * 1_000 + 10)
        }
        for (minute, sys) in [(1, 128.0), (45, 151.0), (118, 131.0)] {
            put(.nibpSystolic, sys, at: Int64(minute) * 60_000, device: "cuff-1")
            put(.nibpDiastolic, sys - 45, at: Int64(minute) * 60_000 + 1, device: "cuff-1")
        }
        let alert = { (event: AlertEventKind, at: Int64, by: String?) in
            AlertEvent(
                time: RunTime(milliseconds: at), hostTime: t0 + at, rule: "spo2-low", priority: .high, kind: .physiological,
                event: event, metric: .spo2, value: 87, message: "SpO2 below 90 %: 87", device: "oximeter-1", by: by, occurrence: 1)
        }
        w.record(alert(.raised, 120_000, nil))
        w.record(alert(.acknowledged, 125_000, "Ana"))
        w.record(alert(.cleared, 140_000, nil))
        #expect(w.close().isComplete)
        try db.recordDose(session: s.id, at: t0 + 90_000, by: "Dr A")
        _ = try db.addEvent(SessionEvent(sessionID: s.id, at: t0 + 200_000, kind: .note, text: "calm", by: "Ana"))
        try db.endSession(s.id, at: t0 + 7_300_000, reason: "discharged")
        let f = try VitalsChild.run(["forward", "--db", path, "--to", url, "--once"], environment: env)
        #expect(f.status == 0, "\(f.stderr)")
        return path
    }

    @Test func listShowsEveryRoomAndFiltersByRoom() throws {
        _ = try room("room-a", patient: "P-A", spo2: 97)
        _ = try room("room-b", patient: "P-B", spo2: 95)
        let all = try VitalsChild.run(["session", "list", "--central", url], environment: env)
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stdout.contains("room-a") && all.stdout.contains("P-A") && all.stdout.contains("room-b") && all.stdout.contains("P-B"))
        #expect(all.stdout.split(separator: "\n").count == 3, "a header and one line per room: \(all.stdout)")
        let one = try VitalsChild.run(["session", "list", "--central", url, "--room", "room-b"], environment: env)
        #expect(one.status == 0 && one.stdout.contains("P-B") && !one.stdout.contains("P-A"), "\(one.stdout)")
        let both = try VitalsChild.run(["session", "list", "--central", url, "--room", "room-b", "--room", "room-a"], environment: env)
        #expect(both.stdout.contains("P-A") && both.stdout.contains("P-B"))
        let none = try VitalsChild.run(["session", "list", "--central", url, "--room", "room-z"], environment: env)
        #expect(none.status == 0 && none.stdout == "No sessions.\n")

        // `tail` and `status` across rooms take several --room too; a room's own database takes one.
        _ = try room("room-c", patient: "P-C", spo2: 96)
        let board = try VitalsChild.run(["status", "--central", url, "--room", "room-a", "--room", "room-c"], environment: env)
        #expect(board.status == 0, "\(board.stderr)")
        #expect(board.stdout.contains("room-a") && board.stdout.contains("room-c") && !board.stdout.contains("room-b"), "\(board.stdout)")
        let tail = try VitalsChild.run(
            ["tail", "--central", url, "--no-follow", "--since", "2025-11-30T00:00", "--room", "room-b", "--room", "room-c"], environment: env)
        #expect(tail.status == 0, "\(tail.stderr)")
        #expect(tail.stdout.contains("room-b") && tail.stdout.contains("room-c") && !tail.stdout.contains("room-a"), "\(tail.stdout)")
        let local = try VitalsChild.run(["status", "--db", rooms.file("room-a.sqlite"), "--room", "room-a", "--room", "room-c"], environment: env)
        #expect(local.status != 0 && local.stderr.contains("several --room need --central"), "\(local.stderr)")
    }

    @Test func showPrintsTheSessionAsTheRoomDoes() throws {
        let a = try room("room-a", patient: "P-A", spo2: 97)
        _ = try room("room-b", patient: "P-B", spo2: 95)
        // Both rooms have a session 1: the id alone is ambiguous, and the error names the rooms.
        let ambiguous = try VitalsChild.run(["session", "show", "--central", url, "1"], environment: env)
        #expect(ambiguous.status != 0)
        #expect(ambiguous.stderr.contains("room-a, room-b") && ambiguous.stderr.contains("--room"), "\(ambiguous.stderr)")
        let missing = try VitalsChild.run(["session", "show", "--central", url, "7", "--room", "room-a"], environment: env)
        #expect(missing.status != 0 && missing.stderr.contains("no session 7 in room room-a"), "\(missing.stderr)")

        let central = try VitalsChild.run(["session", "show", "--central", url, "1", "--room", "room-a"], environment: env)
        #expect(central.status == 0, "\(central.stderr)")
        let local = try VitalsChild.run(["session", "show", "--db", a, "1"], environment: env)
        #expect(local.status == 0, "\(local.stderr)")
        var centralLines = central.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(centralLines.first?.hasPrefix("Room room-a (room id ") == true)
        #expect(centralLines.first?.contains("does not carry") == true)
        centralLines.removeFirst()
        // Everything but the Devices section (the copy has no USB ids or attach times) is the room's own text.
        func withoutDevices(_ lines: [String]) -> [String] {
            guard let start = lines.firstIndex(of: "Devices"), let end = lines[start...].firstIndex(of: "") else { return lines }
            return Array(lines[..<start] + lines[end...])
        }
        let localLines = local.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(withoutDevices(centralLines) == withoutDevices(localLines))
        #expect(centralLines.contains { $0.contains("oximeter-1 (nonin-df7)") } && centralLines.contains { $0.contains("cuff-1 (suntech-advantage)") })
        #expect(central.stdout.contains("spo2-low") && central.stdout.contains("calm") && central.stdout.contains("P-A"))
        #expect(!central.stdout.contains("P-B"))
        // Nothing is left behind in the temporary directory.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("vitals-central-copy-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func reportReadsTheCentralCopy() throws {
        _ = try room("room-a", patient: "P-A", spo2: 97)
        _ = try room("room-b", patient: "P-B", spo2: 91)
        let out = rooms.file("central-report.json")
        let r = try VitalsChild.run(
            ["report", "--central", url, "1", "--room", "room-b", "--format", "json", "-o", out], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("Room room-b") && r.stderr.contains("does not carry"))
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("P-B") && !text.contains("P-A"))
        #expect(text.contains("spo2-low"))
        // The minimum SpO2 of room-b's valid readings (91 - 3) is in the summary.
        #expect(text.contains("88"))
        let mode = try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let refused = try VitalsChild.run(["report", "1", "--room", "room-b", "--db", rooms.file("none.sqlite")], environment: env)
        #expect(refused.status != 0 && refused.stderr.contains("--room is for --central"))
    }
}
