import Foundation
import Testing
@testable import RulesEngine

/// The shipped rule sets load, and their own YAML unit tests pass.
@Suite struct ShippedRulesTests {
    static let testFiles: [String] = {
        let dir = TestSupport.rulesDirectory + "/tests"
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted().map { dir + "/" + $0 }
    }()

    @Test func ketamineRulesLoad() throws {
        let set = try RuleSet.load(path: TestSupport.rulesDirectory + "/ketamine.yaml")
        #expect(set.rules.count >= 15)
        #expect(set.limit(named: "spo2_low")?.defaultValue == 90)
    }

    @Test func theRulesDirectoryLoadsAsOneSet() throws {
        _ = try RuleSet.load(path: TestSupport.rulesDirectory)
    }

    @Test(arguments: testFiles)
    func ruleUnitTestsPass(_ path: String) throws {
        let file = try RuleTestFile.load(path: path)
        #expect(!file.cases.isEmpty)
        for (name, failure) in try file.run() {
            #expect(failure == nil, "\(name)\n\(failure ?? "")")
        }
    }

    /// Every shipped rule is raised by at least one unit test.
    @Test func everyRuleIsTested() throws {
        let set = try RuleSet.load(path: TestSupport.rulesDirectory + "/ketamine.yaml")
        var tested = Set<String>()
        for path in Self.testFiles {
            for c in try RuleTestFile.load(path: path).cases {
                for e in c.expected where e.event == .raised { tested.insert(e.rule) }
            }
        }
        let untested = set.rules.map(\.id).filter { !tested.contains($0) }
        #expect(untested.isEmpty, "rules without a test that raises them: \(untested)")
    }

    /// Every default limit has a comment above it naming its source or saying it is an
    /// engineering choice.
    @Test func everyLimitHasASourceComment() throws {
        let text = try String(contentsOfFile: TestSupport.rulesDirectory + "/ketamine.yaml", encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let set = try RuleSet.load(path: TestSupport.rulesDirectory + "/ketamine.yaml")
        for limit in set.limits {
            var i = limit.position.line - 2
            var comment = ""
            while i >= 0, lines[i].trimmingCharacters(in: .whitespaces).hasPrefix("#") {
                comment = lines[i] + comment
                i -= 1
            }
            // Limits declared in pairs (sys/dia) share the comment above the first.
            if comment.isEmpty, i >= 0 {
                var j = i
                while j >= 0, !lines[j].trimmingCharacters(in: .whitespaces).hasPrefix("#") { j -= 1 }
                while j >= 0, lines[j].trimmingCharacters(in: .whitespaces).hasPrefix("#") { comment = lines[j] + comment; j -= 1 }
            }
            #expect(comment.contains("ref ") || comment.contains("engineering choice"), "\(limit.name) has no source comment")
        }
    }
}
