import Foundation
import Testing
import VitalsTestSupport

/// `vitals rules check` on the built binary: the shipped rules are clean; a `when` that can stay
/// true after its `clear` holds is a warning naming the line (exit 0); hostile files end in an
/// error at their place (exit 1), never a signal.
@Suite struct RulesCheckCommandTests {
    static let windowOnly = """
        rules:
          - id: crisis
            title: t
            priority: high
            kind: physiological
            when: count(nibp.sys >= 180, 10m) >= 2
            clear: nibp.sys < 180
        """

    @Test func warnsAtTheLineOfAWindowOnlyWhen() throws {
        let shipped = try VitalsChild.run(["rules", "check", RepositoryPaths.rules])
        #expect(shipped.status == 0 && !shipped.stderr.contains("warning"), "\(shipped.stderr)")
        let dir = try TemporaryDirectory()
        try Self.windowOnly.write(toFile: dir.file("w.yaml"), atomically: true, encoding: .utf8)
        let r = try VitalsChild.run(["rules", "check", dir.file("w.yaml")])
        #expect(r.status == 0)
        #expect(r.stderr.contains("w.yaml:6:11: warning: rule `crisis`: `when` can stay true after `clear` holds"), "\(r.stderr)")
        #expect(r.stdout.contains("1 warning"))
    }

    @Test func hostileRuleFilesEndInAnErrorNotASignal() throws {
        let dir = try TemporaryDirectory()
        let deep = String(repeating: "(", count: 4_700) + "spo2 < 90" + String(repeating: ")", count: 4_700)
        let wide = Array(repeating: "spo2 < 90", count: 75_000).joined(separator: " or ")
        let cases = [
            ("for: 99999999999999999h", "spo2 < 90", "too long"),
            ("realarm: 999999999999999m", "spo2 < 90", "too long"),
            ("for: 15s", deep, "the expression"),
            ("for: 15s", wide, "too long"),
        ]
        for (i, (extra, when, message)) in cases.enumerated() {
            let yaml = "rules:\n  - id: a\n    title: t\n    priority: high\n    kind: physiological\n    when: \"\(when)\"\n    \(extra)\n"
            try yaml.write(toFile: dir.file("h\(i).yaml"), atomically: true, encoding: .utf8)
            let r = try VitalsChild.run(["rules", "check", dir.file("h\(i).yaml")])
            #expect(r.status == 1 && r.stderr.contains("h\(i).yaml:") && r.stderr.contains(message), "case \(i): \(r.status.map(String.init) ?? "signal") \(r.stderr.prefix(300))")
        }
        let limits = "limits:\n  stale_spo2: 9223372036854775807s\nrules: []\n"
        try limits.write(toFile: dir.file("l.yaml"), atomically: true, encoding: .utf8)
        let r = try VitalsChild.run(["rules", "check", dir.file("l.yaml")])
        #expect(r.status == 1 && r.stderr.contains("l.yaml:2:15: error: limit `stale_spo2`"), "\(r.stderr)")
    }
}
