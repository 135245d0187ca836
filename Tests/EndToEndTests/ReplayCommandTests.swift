import Foundation
import Testing
import VitalsTestSupport

/// The replay command's contract: readings by default, statuses on request, alerts with
/// --rules, and errors that name the problem.
@Suite struct ReplayCommandTests {
    static let fixture = RepositoryPaths.root.appendingPathComponent("Fixtures/nonin-df7/df7-finger-out-held-and-missing").path

    func types(_ out: String) throws -> Set<String> {
        Set(try out.split(separator: "\n").map { line in
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(o["type"] as? String)
        })
    }

    @Test func readingsByDefaultStatusesOnRequestAlertsWithRules() throws {
        let plain = try VitalsChild.run(["replay", "--device", "nonin-df7=\(Self.fixture).script", "--format", "jsonl"])
        #expect(plain.status == 0)
        #expect(try types(plain.stdout) == ["reading"])
        let statuses = try VitalsChild.run(["replay", "--device", "nonin-df7=\(Self.fixture).script", "--format", "jsonl", "--statuses"])
        #expect(try types(statuses.stdout) == ["reading", "status"])
        // With --statuses the output is the fixture's expected transcript, line for line.
        let expected = try String(contentsOfFile: Self.fixture + ".expected.jsonl", encoding: .utf8)
        #expect(statuses.stdout == expected)
        let alerts = try VitalsChild.run([
            "replay", "--device", "nonin-df7=\(Self.fixture).script", "--format", "jsonl", "--rules", RepositoryPaths.rules,
        ])
        #expect(try types(alerts.stdout) == ["alert"])
    }

    @Test func badInputIsNamed() throws {
        let unknown = try VitalsChild.run(["replay", "--device", "nonin-df9=\(Self.fixture).script"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown device profile 'nonin-df9'") && unknown.stderr.contains("nonin-df7"))
        let dir = try TemporaryDirectory()
        try "r 0 ^A\nx 10 nonsense\n".write(toFile: dir.file("bad.script"), atomically: true, encoding: .utf8)
        let bad = try VitalsChild.run(["replay", "--device", "nonin-df7=\(dir.file("bad.script"))"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("bad.script:2:1:"), "\(bad.stderr)")
    }
}
