import Foundation
import Testing
import VitalsTestSupport
import Store
import VitalsCore

/// `vitals status` as its own process.
@Suite struct StatusTests {
    @Test func showsDevicesLatestValuesAndActiveAlerts() throws {
        let dir = try TailTempDirectory()
        let path = dir.file("status.sqlite")
        let db = try VitalsDatabase(path: path)
        let t0 = TailFixture.now() - 60_000
        let s = try db.startSession(SessionPlan(room: "room-1", patientRef: "P-0042"), at: t0)
        let w = TailFixture.writer(db)
        w.register(DeviceIdentity(profile: "nonin-df7", name: "oximeter-1"), at: t0)
        w.register(DeviceIdentity(profile: "suntech-advantage", name: "cuff-1"), at: t0)
        w.record(DeviceEvent(device: "oximeter-1", at: t0, kind: .connected))
        for i in 0..<30 {
            let t = t0 + Int64(i) * 1000
            w.append(Observation(reading: Reading(metric: .spo2, value: Double(95 + i % 3), flags: []), device: "oximeter-1", time: RunTime(milliseconds: 0), hostTime: t))
        }
        w.append(Observation(reading: Reading(metric: .pi, value: 0.42, flags: .lowPerfusion), device: "oximeter-1", time: RunTime(milliseconds: 0), hostTime: t0 + 30_000))
        w.append(Observation(reading: Reading(metric: .nibpSystolic, value: 141, flags: []), device: "cuff-1", time: RunTime(milliseconds: 0), hostTime: t0 + 31_000))
        w.record(DeviceEvent(device: "cuff-1", at: t0 + 31_000, kind: .connected))
        w.record(TailFixture.alert(.raised, n: 1, rule: "sbp-high", occurrence: 1, priority: .medium, value: 141))
        w.close()
        let alert = try #require(try db.activeAlerts(session: s.id).first)
        try db.writeHeartbeat(room: "room-1", at: TailFixture.now())

        let r = try VitalsChild.run(["status", "--db", path])
        #expect(r.status == 0)
        let out = r.stdout
        #expect(out.contains("room-1") && out.contains("session \(s.id)") && out.contains("P-0042"))
        #expect(out.contains("oximeter-1") && out.contains("nonin-df7") && out.contains("suntech-advantage"))
        #expect(out.contains("connected"))
        #expect(!out.contains("NOT MONITORING") && out.contains("monitoring since"))
        let spo2 = out.components(separatedBy: "\n").first { $0.hasPrefix("  SpO2 ") }
        #expect(spo2?.contains("97 %") == true)  // the last of 95, 96, 97, 95, ... (i = 29: 95 + 2)
        let pi = out.components(separatedBy: "\n").first { $0.contains("  PI ") }
        #expect(pi?.contains("0.42") == true && pi?.contains("low-perfusion") == true)
        #expect(out.contains("BP sys") && out.contains("141 mmHg"))
        #expect(out.contains("MEDIUM") && out.contains("(alert \(alert.id))"))
        #expect(!out.contains("\u{1B}"))
        for line in out.components(separatedBy: "\n") { #expect(line.count <= 80, "\(line)") }
        // 60 columns: every line fits, and the monitoring state and the session are not cut off.
        let narrow = try VitalsChild.run(["status", "--db", path], environment: ["COLUMNS": "60"])
        for line in narrow.stdout.components(separatedBy: "\n") { #expect(line.count <= 60, "\(line)") }
        #expect(narrow.stdout.contains("monitoring since") && narrow.stdout.contains("P-0042"), "\(narrow.stdout)")
        #expect(narrow.stdout.contains("started "), "\(narrow.stdout)")

        // A room the database does not know: exit 66, naming the rooms it knows.
        let other = try VitalsChild.run(["status", "--db", path, "--room", "room-9"])
        #expect(other.status == 66 && other.stderr.contains("no room \"room-9\"") && other.stderr.contains("room-1"))
    }

    /// Issue 13.4: a device that refused a host command says so under its state, naming the command.
    @Test func showsARefusedCommand() throws {
        let dir = try TailTempDirectory()
        let path = dir.file("refused.sqlite")
        let db = try VitalsDatabase(path: path)
        let t0 = TailFixture.now() - 10_000
        try db.startSession(SessionPlan(room: "room-1"), at: t0)
        let w = TailFixture.writer(db)
        w.register(DeviceIdentity(profile: "nonin-df7", name: "oximeter-1"), at: t0)
        w.record(DeviceEvent(device: "oximeter-1", at: t0, kind: .connected))
        w.record(DeviceEvent(
            status: DeviceStatus(.commandRejected, code: 0x15, detail: "NAK to select data format DF7"), device: "oximeter-1", at: t0 + 20))
        w.close()
        let r = try VitalsChild.run(["status", "--db", path])
        #expect(r.status == 0)
        let lines = r.stdout.components(separatedBy: "\n")
        let device = try #require(lines.firstIndex { $0.contains("oximeter-1") })
        #expect(lines[device + 1] == "    command refused: NAK to select data format DF7")
    }

    @Test func watchRedrawsUntilInterrupted() throws {
        let dir = try TailTempDirectory()
        let path = dir.file("w.sqlite")
        let db = try VitalsDatabase(path: path)
        try db.startSession(SessionPlan(room: "room-1"), at: TailFixture.now())
        let watch = try VitalsChild(["status", "--db", path, "--watch"])
        defer { watch.stop() }
        // Two frames (stdout is a pipe: frames are appended, without escape codes).
        let lines = watch.waitForLines { $0.filter { $0.hasPrefix("room-1") }.count >= 2 }
        #expect(lines.filter { $0.hasPrefix("room-1") }.count >= 2)
        #expect(!watch.stdout.text.contains("\u{1B}"))
        // The test's threads block SIGINT and SIGTERM (libdispatch workers do) and the child
        // inherits that mask; vitals unblocks them, or the watch would never end (issue 19's
        // hung suites).
        let blocked = try String(contentsOfFile: "/proc/\(watch.process.processIdentifier)/status", encoding: .utf8)
            .components(separatedBy: "\n").first { $0.hasPrefix("SigBlk:") }
            .flatMap { UInt64($0.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) }
        #expect(blocked.map { $0 & (1 << (UInt64(SIGINT) - 1) | 1 << (UInt64(SIGTERM) - 1)) } == 0, "SigBlk \(String(blocked ?? 0, radix: 16))")
        kill(watch.process.processIdentifier, SIGINT)
        #expect(watch.waitForExit(timeout: 10) == 0)
    }
}
