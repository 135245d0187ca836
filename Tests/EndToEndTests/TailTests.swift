import Foundation
import Testing
import VitalsTestSupport
import Store
import VitalsCore

/// `vitals tail` in its own process, reading what the test commits through `ReadingWriter`.
/// Tests share nothing; each has its own database file.
@Suite struct TailTests {
    /// The `event N` numbers of text or JSON lines, in the order printed.
    func numbers(_ lines: [String]) -> [Int] {
        lines.compactMap { line in
            guard let r = line.range(of: "event ") else { return nil }
            return Int(line[r.upperBound...].prefix { $0.isNumber })
        }
    }

    @Test func followsAcrossAWriterRestartWithTheDatabaseCreatedLater() throws {
        let dir = try TailTempDirectory()
        let path = dir.file("late.sqlite")
        // tail starts first: there is no database yet.
        let tail = try VitalsChild(["tail", "--db", path, "--since", "1h", "--format", "jsonl", "--wait"])
        defer { tail.stop() }
        usleep(200_000)
        #expect(tail.process.isRunning)
        #expect(!FileManager.default.fileExists(atPath: path))  // tail waits; it does not create it

        let db = try VitalsDatabase(path: path)
        let session = try db.startSession(SessionPlan(room: "room-1", patientRef: "P-1"), at: TailFixture.now())
        // The first `vitals run`.
        let first = TailFixture.writer(db)
        first.record(TailFixture.alert(.raised, n: 1, occurrence: 1))
        first.record(TailFixture.alert(.raised, n: 2, rule: "pulse-high", occurrence: 2, priority: .medium))
        first.record(TailFixture.alert(.acknowledged, n: 3, occurrence: 1, by: "Ana"))
        first.close()
        tail.waitForLines { numbers($0).count >= 3 }
        // It stops; a second one starts on the same file and goes on.
        let second = TailFixture.writer(db)
        second.record(TailFixture.alert(.cleared, n: 4, occurrence: 1))
        second.record(TailFixture.alert(.escalated, n: 5, rule: "pulse-high", occurrence: 2, priority: .high))
        second.flush()
        for n in 6...25 {
            second.record(TailFixture.alert(.raised, n: n, rule: "r\(n)", occurrence: n, priority: .low))
        }
        second.close()

        let lines = tail.waitForLines { numbers($0).count >= 25 }
        #expect(numbers(lines) == Array(1...25), "in order, nothing missing or doubled")
        // One more after a quiet spell still arrives, once.
        let third = TailFixture.writer(db)
        third.record(TailFixture.alert(.cleared, n: 26, rule: "r6", occurrence: 6, priority: .low))
        third.close()
        let all = tail.waitForLines { numbers($0).count >= 26 }
        #expect(numbers(all) == Array(1...26))

        let objects = all.compactMap(TailFixture.json)
        #expect(objects.count == all.count, "every line is JSON")
        // Besides alerts, only the monitoring state of the rooms followed (room-1: never monitored).
        #expect(objects.filter { $0["type"] as? String != "alert" }.allSatisfy { $0["type"] as? String == "monitoring" && $0["monitoring"] as? Bool == false })
        for o in objects where o["type"] as? String == "alert" {
            for key in ["type", "t", "at", "rule", "priority", "kind", "event", "metric", "value", "message", "room", "session", "alert_id", "by"] {
                #expect(o[key] != nil, "\(key) in \(o)")
            }
            #expect(o["type"] as? String == "alert")
            #expect(o["room"] as? String == "room-1")
            #expect((o["session"] as? NSNumber)?.int64Value == session.id)
            #expect(((o["t"] as? NSNumber)?.doubleValue ?? -1) >= 0)
        }
        let alerts = objects.filter { $0["type"] as? String == "alert" }
        try #require(alerts.count == 26)
        #expect(alerts[2]["event"] as? String == "acknowledged" && alerts[2]["by"] as? String == "Ana")
        #expect(alerts[0]["by"] is NSNull)
        #expect(alerts[0]["priority"] as? String == "high" && alerts[0]["kind"] as? String == "physiological")
        #expect(alerts[0]["metric"] as? String == "spo2" && (alerts[0]["value"] as? NSNumber)?.doubleValue == 87)
        // The raise, acknowledgement and clearing of one alert share its id.
        let ids = [0, 2, 3].map { (alerts[$0]["alert_id"] as? NSNumber)?.int64Value }
        #expect(Set(ids).count == 1 && ids[0] != nil)
    }

    @Test func noFollowPrintsTheActiveAlertsAndExits() throws {
        let dir = try TailTempDirectory()
        let path = dir.file("nf.sqlite")
        let db = try VitalsDatabase(path: path)
        try db.startSession(SessionPlan(room: "room-1"), at: TailFixture.now())
        let w = TailFixture.writer(db)
        w.record(TailFixture.alert(.raised, n: 1, occurrence: 1))
        w.record(TailFixture.alert(.cleared, n: 2, occurrence: 1))
        w.record(TailFixture.alert(.raised, n: 3, rule: "pulse-high", occurrence: 2, priority: .medium))
        w.close()

        // Default: the active alerts (the cleared one is not).
        let active = try VitalsChild.run(["tail", "--db", path, "--no-follow"])
        #expect(active.status == 0)
        #expect(numbers(active.stdout.components(separatedBy: "\n")) == [3])
        // --since: everything since then, the cleared alert with how long it lasted.
        let since = try VitalsChild.run(["tail", "--db", path, "--no-follow", "--since", "10m"])
        let lines = since.stdout.components(separatedBy: "\n").filter { !$0.isEmpty }
        #expect(numbers(lines) == [1, 2, 3])
        #expect(lines[1].contains("cleared") && lines[1].contains("lasted"))
        #expect(lines[0].contains("room-1") && lines[0].contains("HIGH") && lines[2].contains("MEDIUM"))
        // --priority: that priority and above.
        let high = try VitalsChild.run(["tail", "--db", path, "--no-follow", "--since", "10m", "--priority", "high"])
        #expect(numbers(high.stdout.components(separatedBy: "\n")) == [1, 2])
        let bad = try VitalsChild.run(["tail", "--db", path, "--no-follow", "--priority", "urgent"])
        #expect(bad.status != 0 && bad.stderr.contains("low, medium or high"))
        // No database: says so, creates nothing.
        let none = try VitalsChild.run(["tail", "--db", dir.file("none.sqlite"), "--no-follow"])
        #expect(none.status == 66 && none.stderr.contains("no database") && none.stderr.contains("from --db"))
        let following = try VitalsChild.run(["tail", "--db", dir.file("none.sqlite")])
        #expect(following.status == 66)
        #expect(!FileManager.default.fileExists(atPath: dir.file("none.sqlite")))
    }

    @Test func noEscapeCodesUnlessColourIsWanted() throws {
        let dir = try TailTempDirectory()
        let path = dir.file("c.sqlite")
        let db = try VitalsDatabase(path: path)
        try db.startSession(SessionPlan(room: "room-1"), at: TailFixture.now())
        let w = TailFixture.writer(db)
        w.record(TailFixture.alert(.raised, n: 1, occurrence: 1))
        w.close()
        let args = ["tail", "--db", path, "--no-follow", "--bell"]
        // stdout is a pipe: no colour, with or without NO_COLOR.
        let piped = try VitalsChild.run(args)
        let noColor = try VitalsChild.run(args, environment: ["NO_COLOR": "1"])
        for r in [piped, noColor] {
            #expect(r.status == 0 && r.stdout.contains("event 1"))
            #expect(!r.stdout.contains("\u{1B}"))
        }
        #expect(piped.stdout.contains("\u{07}"), "--bell rings on a high-priority alert")
        // FORCE_COLOR shows what colour looks like, so the check above can fail.
        let forced = try VitalsChild.run(args, environment: ["FORCE_COLOR": "1"])
        #expect(forced.stdout.contains("\u{1B}["))
        let forcedButNoColor = try VitalsChild.run(args, environment: ["FORCE_COLOR": "1", "NO_COLOR": "1"])
        #expect(forcedButNoColor.stdout.contains("\u{1B}["), "FORCE_COLOR wins, as Rainbow documents")
    }
}
