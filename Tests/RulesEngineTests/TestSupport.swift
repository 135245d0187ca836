import Foundation
import Testing
@testable import RulesEngine
import VitalsCore

/// Paths and small builders shared by the RulesEngine tests.
enum TestSupport {
    /// The repository root, found from this file's path.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var rulesDirectory: String { root + "/Rules" }
    static var malformedDirectory: String { root + "/Tests/RulesEngineTests/Malformed" }

    /// A rule set from YAML text; fails the test with the problems if it does not load.
    static func rules(_ yaml: String) throws -> RuleSet {
        try RuleSet.parse(yaml: yaml, file: "test.yaml")
    }

    /// An engine over `yaml`.
    static func engine(_ yaml: String, limits: [String: Double] = [:]) throws -> RuleEngine {
        try RuleEngine(rules: rules(yaml), limits: limits)
    }

    /// An observation at `seconds`.
    static func reading(_ metric: Metric, _ value: Double, at seconds: Double, flags: QualityFlags = [], device: String = "ox") -> Observation {
        Observation(reading: Reading(metric: metric, value: value, flags: flags), device: device,
                    time: RunTime(seconds: seconds), hostTime: Int64(seconds * 1000))
    }

    /// One rule `id: r` with the given `when` and extra lines.
    static func rule(_ when: String, _ extra: String = "", limits: String = "", priority: String = "medium", kind: String = "physiological") -> String {
        """
        limits:
          low: {default: 90, unit: "%"}
        \(limits)
        rules:
          - id: r
            title: "v={value} l={limit}"
            priority: \(priority)
            kind: \(kind)
            when: "\(when)"
        \(extra.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        """
    }
}

extension RuleEngine {
    /// Evaluates a standalone numeric expression against the engine's state (tests only).
    func evaluate(_ text: String) throws -> Double? {
        var parser = ExpressionParser(
            limits: Dictionary(uniqueKeysWithValues: rules.limits.enumerated().map { ($1.name, .init(slot: $0, type: $1.type)) }),
            satseconds: rules.satseconds)
        parser.doseWindows = rules.doseWindows
        let e = try parser.parse(text, expecting: .plain)
        let tree = memory.number(e)
        let compiled = memory.run(Program(e))
        if tree != compiled && !(tree == nil && compiled.isNaN) {
            Issue.record("`\(text)`: tree \(String(describing: tree)), compiled \(compiled)")
        }
        return tree
    }

    /// Evaluates a standalone condition (tests only).
    func condition(_ text: String) throws -> Bool? {
        var parser = ExpressionParser(
            limits: Dictionary(uniqueKeysWithValues: rules.limits.enumerated().map { ($1.name, .init(slot: $0, type: $1.type)) }),
            satseconds: rules.satseconds)
        parser.doseWindows = rules.doseWindows
        let e = try parser.parse(text, expecting: .boolean)
        let tree = memory.bool(e)
        // The compiled program the engine runs must agree with the tree evaluator.
        let compiled = memory.bool(Program(e))
        if tree != compiled { Issue.record("`\(text)`: tree \(String(describing: tree)), compiled \(String(describing: compiled))") }
        return tree
    }
}
