import Foundation
import Testing
@testable import RulesEngine
import VitalsCore

/// docs/RULES.md against the shipped rules (issue 19: its table said the disconnect rules wait
/// 5 s while the rule file said 1 s): the example rule file loads, and the table of the shipped
/// set names every rule once with its priority, kind, escalation and, for the disconnect rules,
/// the hold the file gives.
@Suite struct RulesDocumentationTests {
    static let document = TestSupport.root + "/docs/RULES.md"

    /// The fenced blocks of `text` opened with ```` ```tag ````, after `heading`.
    static func blocks(_ text: String, tag: String, after heading: String) -> [String] {
        guard let start = text.range(of: heading) else { return [] }
        var out: [String] = []
        var current: [Substring]?
        for line in text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if let c = current {
                if line.hasPrefix("```") { out.append(c.joined(separator: "\n")); current = nil } else { current = c + [line] }
            } else if line == "```\(tag)" {
                current = []
            }
        }
        return out
    }

    @Test func theExampleRuleFileLoads() throws {
        let text = try String(contentsOfFile: Self.document, encoding: .utf8)
        let yaml = try #require(Self.blocks(text, tag: "yaml", after: "## A rule file").first)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rules-doc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("example.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let set = try RuleSet.load(path: path)
        let rule = try #require(set.rules.first { $0.id == "spo2-low" })
        #expect(rule.holdMilliseconds == 15_000 && rule.clearHoldMilliseconds == 10_000)
        #expect(rule.escalation == Escalation(to: .high, afterMilliseconds: 120_000))
    }

    @Test func theShippedSetTableMatchesTheRuleFile() throws {
        let text = try String(contentsOfFile: Self.document, encoding: .utf8)
        let start = try #require(text.range(of: "## The shipped set")).upperBound
        let end = text.range(of: "\n## ", range: start..<text.endIndex)?.lowerBound ?? text.endIndex
        let rows = text[start..<end].split(separator: "\n")
            .filter { $0.hasPrefix("| `") }
            .map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
        let set = try RuleSet.load(path: TestSupport.rulesDirectory + "/ketamine.yaml")
        let documented = rows.map { $0[0].trimmingCharacters(in: CharacterSet(charactersIn: "`")) }
        #expect(documented.sorted() == set.rules.map(\.id).sorted(), "every shipped rule once in the table")
        for row in rows {
            let id = row[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            guard let rule = set.rules.first(where: { $0.id == id }) else { continue }
            let priority = row[1], kind = row[2], condition = row[3]
            #expect(priority.hasPrefix(rule.priority.rawValue), "\(id): the table says \(priority)")
            #expect(kind == (rule.kind == .physiological ? "phys." : "tech."), "\(id): the table says \(kind)")
            #expect(priority.contains("latching") == rule.latching, "\(id): latching")
            if let e = rule.escalation {
                let minutes = e.afterMilliseconds / 60_000
                let said = priority.contains("escalates") || priority.contains("\(e.to.rawValue) after")
                #expect(said, "\(id): escalates to \(e.to) after \(minutes) min, not in \"\(priority)\"")
            }
            if rule.whenSource.hasPrefix("disconnected(") {
                let seconds = rule.holdMilliseconds / 1000
                #expect(condition.contains("for \(seconds) s"), "\(id): the file holds \(seconds) s; the table says \"\(condition)\"")
            }
        }
    }
}
