import Foundation
import Testing
import Store
import VitalsTestSupport

/// Issue 10, item 3, on the built binary: `--limit` is validated against the rule set by
/// `session start`, `replay` and `rules backtest` alike (a refused one stores nothing), the
/// REMS windows come from the rule file, and a session records the rule set it ran with.
@Suite struct SessionLimitsCommandTests {
    static let oximetry = RepositoryPaths.root.appendingPathComponent("Fixtures/nonin-df7/df7-finger-out-held-and-missing.script").path

    /// The issue's refused examples, and what the message must name.
    static let refused: [(String, String)] = [
        ("spo2_lo=88", "did you mean `spo2_low`?"),
        ("stale_spo2=1e300", "`stale_spo2` must be 5s to 1m"),
        ("spo2_low=-1", "`spo2_low` must be 80 % to 96 %, not -1 %"),
        ("stale_spo2=-5", "`stale_spo2` must be 5s to 1m, not -5s"),
        ("spo2_low=nan", "`spo2_low` must be a finite number"),
    ]

    @Test(arguments: 0..<refused.count)
    func sessionStartRefusesAndStoresNothing(_ i: Int) throws {
        let (limit, message) = Self.refused[i]
        let dir = try TemporaryDirectory()
        let db = ["--db", dir.file("v.sqlite")]
        let r = try VitalsChild.run(["session", "start", "--patient", "P1", "--rules", RepositoryPaths.rules, "--limit", limit] + db)
        #expect(r.status != 0 && r.status != nil)
        #expect(r.stderr.contains("--limit \(limit.split(separator: "=")[0])="), "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        // Nothing stored: no database at all (exit 66, issue 19), or one without sessions.
        let list = try VitalsChild.run(["session", "list"] + db)
        #expect(list.status == 66 || (list.status == 0 && list.stdout.contains("No sessions.")), "\(list.stdout)\(list.stderr)")
    }

    @Test(arguments: 0..<refused.count)
    func replayAndBacktestRefuseWithTheSameMessage(_ i: Int) throws {
        let (limit, message) = Self.refused[i]
        let replay = try VitalsChild.run([
            "replay", "--device", "nonin-df7=\(Self.oximetry)", "--rules", RepositoryPaths.rules, "--limit", limit,
        ])
        #expect(replay.status != 0 && replay.status != nil)
        #expect(replay.stderr.contains(message), "\(replay.stderr)")
        #expect(replay.stdout.isEmpty)
        let dir = try TemporaryDirectory()
        let backtest = try VitalsChild.run([
            "rules", "backtest", "--rules", RepositoryPaths.rules, "--db", dir.file("b.sqlite"), "--limit", limit,
        ])
        #expect(backtest.status != 0 && backtest.status != nil)
        #expect(backtest.stderr.contains(message), "\(backtest.stderr)")
    }

    @Test func anAcceptedLimitIsStoredWithTheRuleSetAndItsHash() throws {
        let dir = try TemporaryDirectory()
        let db = ["--db", dir.file("v.sqlite")]
        let r = try VitalsChild.run(["session", "start", "--patient", "P1", "--rules", RepositoryPaths.rules, "--limit", "spo2_low=88"] + db)
        #expect(r.status == 0, "\(r.stderr)")
        let s = try #require(try VitalsDatabase(path: dir.file("v.sqlite")).sessions().first)
        #expect(s.plan.limits == ["spo2_low": 88])
        #expect(s.plan.rulesPath == RepositoryPaths.rules)
        #expect(s.plan.rulesSHA256 == (try Self.sha256sum(RepositoryPaths.rules)))
        #expect(s.plan.observeMilliseconds == Int64(7_200_000), "the rule file's rems: observation")
    }

    @Test func sessionShowFollowsTheREMSWindowOfTheRuleFileAndSaysWhenItChanged() throws {
        let dir = try TemporaryDirectory()
        let rules = dir.file("rules.yaml")
        let original = try String(contentsOfFile: RepositoryPaths.rules, encoding: .utf8)
        let moved = original.replacingOccurrences(
            of: "post_dose_check: {at: 40m, window: [30m, 50m]}", with: "post_dose_check: {at: 60m, window: [50m, 70m]}")
            .replacingOccurrences(of: "observation: 2h", with: "observation: 3h")
        #expect(moved != original)
        try moved.write(toFile: rules, atomically: true, encoding: .utf8)
        let db = ["--db", dir.file("v.sqlite")]
        #expect(try VitalsChild.run(["session", "start", "--patient", "P1", "--rules", rules, "--at", "-2h"] + db).status == 0)
        #expect(try VitalsChild.run(["session", "dose", "--at", "-100m"] + db).status == 0)
        let hash = try Self.sha256sum(rules)
        var show = try VitalsChild.run(["session", "show", "1"] + db)
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("~60 min after (50-70 min)"), "\(show.stdout)")
        #expect(show.stdout.contains("Observation 3h 00m planned"), "\(show.stdout)")
        #expect(show.stdout.contains("Rules: \(rules) (sha256 \(hash.prefix(12)), as recorded at session start)"), "\(show.stdout)")
        // The shipped file's window is not the one shown.
        #expect(!show.stdout.contains("30-50 min"))

        // Edit the file: show says it changed, and reads the file as it is now.
        try moved.replacingOccurrences(of: "window: [50m, 70m]", with: "window: [45m, 75m]")
            .write(toFile: rules, atomically: true, encoding: .utf8)
        show = try VitalsChild.run(["session", "show", "1"] + db)
        #expect(show.stdout.contains("Rules: \(rules) CHANGED since the session started (sha256 \(hash.prefix(12)) then"), "\(show.stdout)")
        #expect(show.stdout.contains("~60 min after (45-75 min)"), "\(show.stdout)")
        let end = try VitalsChild.run(["session", "end", "--force"] + db)
        #expect(end.status == 0, "\(end.stderr)")
        #expect(end.stdout.contains("CHANGED since the session started"))
        #expect(end.stderr.contains("REMS blood pressure missing: before the dose, about 60 min after, before discharge"), "\(end.stderr)")
    }

    /// `sha256sum FILE`'s hash.
    static func sha256sum(_ path: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return String(out.prefix(64))
    }
}
