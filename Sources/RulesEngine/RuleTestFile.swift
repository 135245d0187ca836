import Foundation
import VitalsCore
import Yams

/// A YAML file of rule unit tests (`vitals rules test FILE`), in the spirit of
/// `promtool test rules`:
///
/// ```yaml
/// rule_files: [../ketamine.yaml]      # relative to this file
/// tests:
///   - name: desaturation held 15 s raises
///     limits: {spo2_low: 90}          # optional session overrides
///     dose_at: 5m                     # optional
///     baseline: {nibp.sys: 120}       # optional explicit baselines
///     until: 2m                       # run until (default: the last input)
///     input:
///       - series: spo2                # a series: start, interval, values
///         start: 0s
///         interval: 1s
///         values: "97x30 85x20 _x5 97x10"   # VxN repeats, _ skips a slot
///         flags: [artifact]           # optional, on every value of the series
///         device: oximeter            # optional
///       - {at: 40s, reading: nibp.sys, value: 185}
///       - {at: 50s, status: sensor-off, metric: spo2, device: oximeter}
///       - {at: 60s, connection: disconnected, device: oximeter}
///       - {at: 70s, ack: spo2-low, by: nurse}
///     expect:
///       - {at: 45s, rule: spo2-low, event: raised, priority: medium, value: 85}
/// ```
public struct RuleTestFile: Sendable {
    /// The file's path.
    public var path: String
    /// The rule files it tests (resolved against the test file's directory).
    public var ruleFiles: [String]
    /// The cases.
    public var cases: [RuleTestCase]

    /// The default device name for a metric's readings in tests.
    static func defaultDevice(_ m: Metric) -> String { m.isBloodPressure ? "cuff" : "oximeter" }

    /// Loads and checks a test file.
    public static func load(path: String) throws(RuleLoadError) -> RuleTestFile {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw RuleLoadError(problems: [RuleProblem(kind: .unreadable, position: SourcePosition(file: path, line: 0, column: 0),
                                                       message: "cannot read the file", lineText: "")])
        }
        return try parse(text: text, path: path)
    }

    /// Parses a test file's text; `path` locates `rule_files`.
    public static func parse(text: String, path: String) throws(RuleLoadError) -> RuleTestFile {
        var reader = RuleTestReader(file: RuleSourceFile(path: path, text: text))
        let result = reader.read()
        if !reader.problems.isEmpty { throw RuleLoadError(problems: reader.problems) }
        return result
    }

    /// Loads the rule files and runs every case. Each element is a case's name and its failure
    /// text (`nil` when it passed).
    public func run() throws(RuleLoadError) -> [(name: String, failure: String?)] {
        let rules: RuleSet
        if ruleFiles.count == 1 {
            rules = try RuleSet.load(path: ruleFiles[0])
        } else {
            var sources: [(path: String, text: String)] = []
            for f in ruleFiles {
                guard let text = try? String(contentsOfFile: f, encoding: .utf8) else {
                    throw RuleLoadError(problems: [RuleProblem(kind: .unreadable, position: SourcePosition(file: f, line: 0, column: 0),
                                                               message: "cannot read the rule file", lineText: "")])
                }
                sources.append((f, text))
            }
            rules = try RuleSet.parse(sources)
        }
        return cases.map { ($0.name, $0.run(rules)) }
    }
}
