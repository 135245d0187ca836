import Foundation
import Testing
@testable import RulesEngine

/// The rule unit-test runner (`vitals rules test`): a failing case shows a readable diff, a
/// malformed test file is rejected with positions.
@Suite struct RuleTestFileTests {
    /// This test's folder, removed with the suite instance (issue 19: tests left `ruletest-*`
    /// folders behind).
    let scratch = RuleTestScratch()

    func write(_ text: String, _ name: String) throws -> String {
        let dir = scratch.path
        try TestSupport.rule("spo2 < low", "for: 5s").write(toFile: dir + "/r.yaml", atomically: true, encoding: .utf8)
        try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        return dir + "/" + name
    }

    @Test func passingAndFailingCases() throws {
        let path = try write("""
        rule_files: [r.yaml]
        tests:
          - name: passes
            input:
              - {series: spo2, values: "97x2 85x10"}
            expect:
              - {at: 7s, rule: r, event: raised, value: 85}
          - name: fails
            input:
              - {series: spo2, values: "97x2 85x10"}
            expect:
              - {at: 8s, rule: r, event: raised}
        """, "t.yaml")
        let results = try RuleTestFile.load(path: path).run()
        #expect(results.map(\.name) == ["passes", "fails"])
        #expect(results[0].failure == nil)
        let diff = try #require(results[1].failure)
        #expect(diff.contains("expected:\n    8s r raised"))
        #expect(diff.contains("got:\n  ! 7s r raised priority=medium value=85"))
    }

    @Test func malformedTestFileIsRejectedWithPositions() throws {
        let path = try write("""
        rule_files: [r.yaml]
        tests:
          - name: bad
            input:
              - {series: spo3, values: "97"}
              - {at: 5, reading: spo2, value: 90}
            expect:
              - {at: 1s, rule: r, event: fired}
        """, "bad.yaml")
        do {
            _ = try RuleTestFile.load(path: path)
            Issue.record("loaded")
        } catch {
            #expect(error.problems.map { "\($0.position.line):\($0.position.column)" } == ["5:18", "6:14", "8:34"])
            #expect(error.problems[0].hint == "did you mean `spo2`?")
        }
    }
}

/// A folder under the temporary directory, removed when the suite instance goes.
final class RuleTestScratch: Sendable {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("ruletest-\(UUID().uuidString)").path

    init() { try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
