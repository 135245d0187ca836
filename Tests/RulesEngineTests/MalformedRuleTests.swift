import Foundation
import Testing
@testable import RulesEngine

/// The corpus of malformed rule files: each names its expected position and message in its
/// first line (`# expect: LINE:COL message`) and must be rejected exactly there.
@Suite struct MalformedRuleTests {
    static let files: [String] = {
        let dir = TestSupport.malformedDirectory
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    @Test func corpusHasAtLeastThirtyFiles() {
        #expect(Self.files.count >= 30)
    }

    @Test(arguments: files)
    func rejectedAtTheRightPosition(_ name: String) throws {
        let path = TestSupport.malformedDirectory + "/" + name
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let header = try #require(text.split(separator: "\n").first).dropFirst("# expect: ".count)
        let parts = header.split(separator: " ", maxSplits: 1).map(String.init)
        let lc = parts[0].split(separator: ":").compactMap { Int($0) }
        let message = parts.count > 1 ? parts[1] : ""
        do {
            _ = try RuleSet.load(path: path)
            Issue.record("\(name) loaded without error")
        } catch {
            let first = try #require(error.problems.first)
            #expect(first.position.line == lc[0] && first.position.column == lc[1],
                    "\(name): expected \(parts[0]), got \(first.position.line):\(first.position.column) \(first.message)")
            #expect(first.message.contains(message) || error.description.contains(message), "\(name): \(first.message)")
            // The rendering carries the offending line and a caret under the column.
            #expect(first.description.contains(first.lineText))
            let caretLine = first.description.split(separator: "\n", omittingEmptySubsequences: false).first { $0.hasSuffix("^") }
            #expect(caretLine?.count == first.position.column)
        }
    }

    @Test func allProblemsOfAFileAreListed() throws {
        let yaml = """
        rules:
          - id: a
            title: t
            priority: urgent
            kind: physiological
            when: spo < 90
            for: 15
        """
        do {
            _ = try RuleSet.parse(yaml: yaml, file: "x.yaml")
            Issue.record("loaded")
        } catch {
            #expect(error.problems.map(\.position.line) == [4, 6, 7])
            #expect(error.problems[1].hint == "did you mean `spo2`?")
            #expect(error.description.hasSuffix("3 errors"))
        }
    }

    @Test func hintsSuggestTheNearestName() throws {
        do {
            _ = try RuleSet.parse(yaml: TestSupport.rule("nibp.sy > 180"), file: "x.yaml")
            Issue.record("loaded")
        } catch {
            #expect(error.problems.first?.hint == "did you mean `nibp.sys`?")
        }
    }

    @Test func unreadablePathIsMarked() {
        do {
            _ = try RuleSet.load(path: "/nonexistent/rules.yaml")
            Issue.record("loaded")
        } catch {
            #expect(error.isUnreadable)
        }
    }

    @Test func directoryWithDuplicateIdsAcrossFilesIsRejected() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TestSupport.rule("spo2 < low").write(toFile: dir + "/a.yaml", atomically: true, encoding: .utf8)
        try "rules:\n  - {id: r, title: t, priority: low, kind: technical, when: sensor_off(spo2)}\n"
            .write(toFile: dir + "/b.yaml", atomically: true, encoding: .utf8)
        do {
            _ = try RuleSet.load(path: dir)
            Issue.record("loaded")
        } catch {
            #expect(error.problems.count == 1)
            #expect(error.problems[0].position.file.hasSuffix("b.yaml"))
            #expect(error.problems[0].message.contains("already used"))
        }
    }
}
