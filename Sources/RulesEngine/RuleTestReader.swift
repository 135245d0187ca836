import Foundation
import VitalsCore
import Yams

/// Reads a rule test file's YAML, collecting problems with positions.
struct RuleTestReader {
    let file: RuleSourceFile
    var problems: [RuleProblem] = []

    init(file: RuleSourceFile) { self.file = file }

    mutating func read() -> RuleTestFile {
        var result = RuleTestFile(path: file.path, ruleFiles: [], cases: [])
        let root: Node?
        do { root = try Yams.compose(yaml: file.text) } catch {
            problems.append(file.problem(for: error))
            return result
        }
        guard let map = root?.mapping else {
            problems.append(file.problem(at: root, "a rule test file is a mapping with `rule_files` and `tests`"))
            return result
        }
        for (k, _) in map where !["rule_files", "tests"].contains(k.string ?? "") {
            problems.append(file.problem(at: k, "unknown key `\(k.string ?? "?")`", hint: Suggestion.hint(for: k.string ?? "", in: ["rule_files", "tests"])))
        }
        let dir = (file.path as NSString).deletingLastPathComponent
        if let rf = map["rule_files"]?.sequence {
            result.ruleFiles = rf.compactMap { $0.string }.map { $0.hasPrefix("/") ? $0 : (dir as NSString).appendingPathComponent($0) }
        } else {
            problems.append(file.problem(at: map["rule_files"] ?? root, "`rule_files` must list the rule files to test"))
        }
        guard let tests = map["tests"]?.sequence else {
            problems.append(file.problem(at: map["tests"] ?? root, "`tests` must be a list of cases"))
            return result
        }
        for t in tests { if let c = readCase(t) { result.cases.append(c) } }
        return result
    }

    mutating func duration(_ n: Node?, _ what: String) -> Int64? {
        guard let n else { return nil }
        if let s = n.string, DurationLiteral.read(s) == .tooLong {
            problems.append(file.problem(at: n, "`\(what)` = `\(s)` is too long (at most \(DurationLiteral.maximumText))"))
            return nil
        }
        guard let s = n.string, let ms = DurationLiteral.milliseconds(s) else {
            problems.append(file.problem(at: n, "`\(what)` must be a duration such as `30s` or `1m30s`, found `\(n.string ?? "?")`"))
            return nil
        }
        return ms
    }

    mutating func metric(_ n: Node?, _ what: String) -> Metric? {
        guard let n else { return nil }
        guard let s = n.string, let m = Metric(name: s) else {
            problems.append(file.problem(at: n, "`\(n.string ?? "?")` is not a metric", hint: Suggestion.hint(for: n.string ?? "", in: Metric.allCases.map(\.name))))
            return nil
        }
        return m
    }

    mutating func numberMap(_ n: Node?, keys: ((String) -> Bool)?) -> [String: Double] {
        guard let n else { return [:] }
        guard let m = n.mapping else {
            problems.append(file.problem(at: n, "expected a mapping of names to numbers"))
            return [:]
        }
        var out: [String: Double] = [:]
        for (k, v) in m {
            guard let name = k.string, let s = v.string else { continue }
            if let keys, !keys(name) {
                problems.append(file.problem(at: k, "`\(name)` is not a metric", hint: Suggestion.hint(for: name, in: Metric.allCases.map(\.name))))
                continue
            }
            if let d = Double(s) {
                guard d.isFinite, abs(d) <= ExpressionLexer.largestNumber else {
                    problems.append(file.problem(at: v, "`\(s)` is out of range (at most 1e9 either way)"))
                    continue
                }
                out[name] = d
            } else if let ms = DurationLiteral.milliseconds(s) {
                out[name] = Double(ms) / 1000
            } else if DurationLiteral.read(s) == .tooLong {
                problems.append(file.problem(at: v, "`\(s)` is too long (at most \(DurationLiteral.maximumText))"))
            } else {
                problems.append(file.problem(at: v, "`\(s)` is not a number or a duration"))
            }
        }
        return out
    }

    /// At most this many values (readings and `_` slots) in one series, and inputs in one test:
    /// a week at 1 Hz, so `97x999999999999` is an error, not hours of work and gigabytes.
    static let maximumSeriesSlots = 604_800
    static let maximumInputs = 1_000_000

    static let caseKeys = ["name", "limits", "dose_at", "baseline", "until", "input", "expect"]

    mutating func readCase(_ node: Node) -> RuleTestCase? {
        guard let map = node.mapping else {
            problems.append(file.problem(at: node, "each test is a mapping with `name`, `input` and `expect`"))
            return nil
        }
        for (k, _) in map where !Self.caseKeys.contains(k.string ?? "") {
            problems.append(file.problem(at: k, "unknown key `\(k.string ?? "?")` in a test", hint: Suggestion.hint(for: k.string ?? "", in: Self.caseKeys)))
        }
        let before = problems.count
        let name = map["name"]?.string ?? "line \(node.mark?.line ?? 0)"
        let limits = numberMap(map["limits"], keys: nil)
        var baselines: [Metric: Double] = [:]
        for (k, v) in numberMap(map["baseline"], keys: { Metric(name: $0) != nil }) { baselines[Metric(name: k)!] = v }
        var inputs: [(time: Int64, order: Int, input: RuleTestInput)] = []
        if let d = duration(map["dose_at"], "dose_at") { inputs.append((d, -1, .dose)) }
        for item in map["input"]?.sequence ?? [] { readInput(item, into: &inputs) }
        var expected: [RuleTestExpectation] = []
        if let ex = map["expect"] {
            if let seq = ex.sequence {
                for e in seq { if let x = readExpectation(e) { expected.append(x) } }
            } else {
                problems.append(file.problem(at: ex, "`expect` must be a list of events (`[]` for none)"))
            }
        } else {
            problems.append(file.problem(at: node, "the test has no `expect` (write `expect: []` for no events)"))
        }
        let last = max(inputs.map(\.time).max() ?? 0, expected.map(\.time).max() ?? 0)
        let until = duration(map["until"], "until") ?? last
        // The run ticks every second up to its end: keep it to what a test can run.
        if max(last, until) > DurationLiteral.maximumMilliseconds {
            problems.append(file.problem(at: node, "the test runs past \(DurationLiteral.maximumText)",
                                         hint: "shorten the series' `interval` or count, or `until`"))
        }
        guard problems.count == before else { return nil }
        return RuleTestCase(
            name: name, position: SourcePosition(file: file.path, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0),
            limits: limits, baselines: baselines, inputs: inputs.enumerated().map { ($1.time, $1.order == -1 ? -1 : $0, $1.input) },
            until: until, expected: expected)
    }

    mutating func flags(_ n: Node?) -> QualityFlags {
        guard let n else { return [] }
        let names = n.sequence?.compactMap(\.string) ?? n.string.map { [$0] } ?? []
        guard let f = QualityFlags(names: names) else {
            let bad = names.first { QualityFlags(names: [$0]) == nil } ?? "?"
            problems.append(file.problem(at: n, "unknown flag `\(bad)`", hint: Suggestion.hint(for: bad, in: QualityFlags.named.map(\.1))))
            return []
        }
        return f
    }

    mutating func readInput(_ node: Node, into inputs: inout [(time: Int64, order: Int, input: RuleTestInput)]) {
        guard let m = node.mapping else {
            problems.append(file.problem(at: node, "each input is a mapping (`series`, `reading`, `status`, `connection`, `ack` or `dose`)"))
            return
        }
        checkKeys(m, Self.inputKeys, "an input")
        if let s = m["series"] {
            guard let metric = metric(s, "series") else { return }
            let start = duration(m["start"], "start") ?? 0
            let interval = duration(m["interval"], "interval") ?? 1000
            let f = flags(m["flags"])
            let device = m["device"]?.string ?? RuleTestFile.defaultDevice(metric)
            guard let valuesNode = m["values"], let text = valuesNode.string else {
                problems.append(file.problem(at: node, "a series needs `values`", hint: "e.g. `values: \"97x30 85x20\"`"))
                return
            }
            var t = start
            var slots = 0
            for token in text.split(separator: " ") {
                let parts = token.split(separator: "x", maxSplits: 1)
                let n = parts.count == 2 ? Int(parts[1]) : 1
                guard let n, n >= 1, parts[0] == "_" || Double(parts[0]).map({ $0.isFinite }) == true else {
                    problems.append(file.problem(at: valuesNode, "bad series value `\(token)`", hint: "write `97`, `97x30` (30 readings) or `_` (no reading)"))
                    return
                }
                slots += n
                guard slots <= Self.maximumSeriesSlots, inputs.count + slots <= Self.maximumInputs else {
                    problems.append(file.problem(at: valuesNode, "series `\(token)` is too long: at most \(Self.maximumSeriesSlots) values in a series and \(Self.maximumInputs) inputs in a test",
                                                 hint: "a test of a day at 1 Hz is 86400 values"))
                    return
                }
                for _ in 0..<n {
                    if let v = Double(parts[0]) { inputs.append((t, 0, .reading(metric, v, f, device: device))) }
                    t += interval
                }
            }
            return
        }
        guard let at = duration(m["at"], "at") else {
            if m["at"] == nil { problems.append(file.problem(at: node, "the input has no `at` time")) }
            return
        }
        if let r = m["reading"] {
            guard let metric = metric(r, "reading") else { return }
            guard let v = m["value"]?.string.flatMap(Double.init) else {
                problems.append(file.problem(at: node, "a reading needs a numeric `value`"))
                return
            }
            inputs.append((at, 0, .reading(metric, v, flags(m["flags"]), device: m["device"]?.string ?? RuleTestFile.defaultDevice(metric))))
        } else if let s = m["status"] {
            guard let kind = s.string.flatMap(DeviceStatus.Kind.init(rawValue:)) else {
                problems.append(file.problem(at: s, "unknown status `\(s.string ?? "?")`", hint: Suggestion.hint(for: s.string ?? "", in: DeviceStatus.Kind.allCases.map(\.rawValue))))
                return
            }
            let metric = self.metric(m["metric"], "metric")
            inputs.append((at, 0, .status(DeviceStatus(kind, metric: metric), device: m["device"]?.string ?? metric.map(RuleTestFile.defaultDevice) ?? "oximeter")))
        } else if let c = m["connection"] {
            guard let state = c.string.flatMap(ConnectionState.init(rawValue:)) else {
                problems.append(file.problem(at: c, "unknown connection state `\(c.string ?? "?")`", hint: Suggestion.hint(for: c.string ?? "", in: ConnectionState.allCases.map(\.rawValue))))
                return
            }
            inputs.append((at, 0, .connection(state, device: m["device"]?.string ?? "oximeter")))
        } else if m["dose"] != nil {
            inputs.append((at, 0, .dose))
        } else if let a = m["ack"], let rule = a.string {
            inputs.append((at, 0, .acknowledge(rule: rule, by: m["by"]?.string ?? "test")))
        } else {
            problems.append(file.problem(at: node, "an input needs `series`, `reading`, `status`, `connection`, `ack` or `dose`"))
        }
    }

    static let inputKeys = ["series", "start", "interval", "values", "flags", "device", "at", "reading", "value",
                            "status", "metric", "connection", "ack", "by", "dose"]
    static let expectKeys = ["at", "rule", "event", "priority", "value", "message"]

    mutating func checkKeys(_ m: Node.Mapping, _ allowed: [String], _ what: String) {
        for (k, _) in m where !allowed.contains(k.string ?? "") {
            problems.append(file.problem(at: k, "unknown key `\(k.string ?? "?")` in \(what)",
                                         hint: Suggestion.hint(for: k.string ?? "", in: allowed)))
        }
    }

    mutating func readExpectation(_ node: Node) -> RuleTestExpectation? {
        guard let m = node.mapping, let at = duration(m["at"], "at") else {
            problems.append(file.problem(at: node, "an expected event needs `at`, `rule` and `event`"))
            return nil
        }
        checkKeys(m, Self.expectKeys, "an expected event")
        guard let rule = m["rule"]?.string else {
            problems.append(file.problem(at: node, "an expected event needs `rule`"))
            return nil
        }
        guard let event = m["event"]?.string.flatMap(AlertEventKind.init(rawValue:)) else {
            problems.append(file.problem(at: m["event"] ?? node, "`event` must be one of raised, escalated, acknowledged, cleared"))
            return nil
        }
        var priority: AlertPriority?
        if let p = m["priority"] {
            priority = p.string.flatMap(AlertPriority.init(rawValue:))
            if priority == nil { problems.append(file.problem(at: p, "`priority` must be high, medium or low")) }
        }
        let value = m["value"]?.string.flatMap(Double.init)
        return RuleTestExpectation(time: at, rule: rule, event: event, priority: priority, value: value, message: m["message"]?.string)
    }
}
