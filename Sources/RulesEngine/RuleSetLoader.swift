import Foundation
import VitalsCore
import Yams

/// The state of one load: limits and rules read so far, and every problem.
struct RuleSetLoader {
    var problems: [RuleProblem] = []
    var warnings: [RuleProblem] = []
    var limits: [Limit] = []
    var rules: [Rule] = []
    var parser = ExpressionParser(limits: [:], satseconds: [])
    private var limitTable: [String: ExpressionParser.LimitInfo] = [:]
    /// The `rems:` section's windows and where it was declared (one per rule set).
    var rems: REMSWindows = .standard
    private var remsPosition: SourcePosition?

    static let topKeys = ["limits", "rules", "description", "version", "rems"]
    static let ruleKeys = ["id", "title", "when", "for", "clear", "clear_for", "priority", "kind", "latching",
                           "escalate", "realarm", "metric", "value", "limit", "description"]
    static let units = ["%", "mmHg", "/min"]

    mutating func root(of file: RuleSourceFile) -> Node.Mapping? {
        let node: Node?
        do {
            node = try Yams.compose(yaml: file.text)
        } catch {
            problems.append(file.problem(for: error))
            return nil
        }
        guard let node else {
            problems.append(file.problem(line: 1, column: 1, "the file is empty", hint: "a rule file has `limits:` and `rules:`"))
            return nil
        }
        guard let map = node.mapping else {
            problems.append(file.problem(at: node, "a rule file must be a mapping with `limits:` and `rules:`"))
            return nil
        }
        for (k, _) in map {
            guard let key = k.string, Self.topKeys.contains(key) else {
                problems.append(file.problem(at: k, "unknown key `\(k.string ?? "?")` at the top level",
                                             hint: Suggestion.hint(for: k.string ?? "", in: Self.topKeys)))
                continue
            }
        }
        return map
    }

    mutating func readLimits(_ root: Node.Mapping, _ file: RuleSourceFile) {
        defer {
            let windows = parser.doseWindows
            parser = ExpressionParser(limits: limitTable, satseconds: parser.satseconds)
            parser.doseWindows = windows
        }
        readREMS(root, file)
        guard let node = root["limits"] else { return }
        guard let map = node.mapping else {
            problems.append(file.problem(at: node, "`limits` must be a mapping of names to values", hint: "e.g. `spo2_low: 90`"))
            return
        }
        for (k, v) in map {
            guard let name = k.string, let pos = k.mark else { continue }
            let position = SourcePosition(file: file.path, line: pos.line, column: pos.column)
            if name.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) == nil {
                problems.append(file.problem(at: k, "limit name `\(name)` must be lower case letters, digits and `_`",
                                             hint: name.contains("-") ? "write `\(name.replacingOccurrences(of: "-", with: "_"))`" : nil))
                continue
            }
            if Metric(name: name) != nil || ExpressionParser.functions[name] != nil
                || ExpressionParser.variables[name] != nil || ExpressionParser.keywords.contains(name) {
                problems.append(file.problem(at: k, "`\(name)` is a metric or built-in name and cannot be a limit",
                                             hint: "choose another name, e.g. `\(name)_limit`"))
                continue
            }
            if let earlier = limitTable[name] {
                let other = limits[earlier.slot].position
                problems.append(file.problem(at: k, "limit `\(name)` is already declared at \(other)"))
                continue
            }
            var valueNode = v
            var unit: String?
            if let m = v.mapping {
                for (mk, _) in m where !["default", "unit", "range", "description"].contains(mk.string ?? "") {
                    problems.append(file.problem(at: mk, "unknown key `\(mk.string ?? "?")` in limit `\(name)`",
                                                 hint: Suggestion.hint(for: mk.string ?? "", in: ["default", "unit", "range", "description"])))
                }
                guard let d = m["default"] else {
                    problems.append(file.problem(at: v, "limit `\(name)` has no `default`"))
                    continue
                }
                valueNode = d
                if let u = m["unit"] {
                    guard let us = u.string, Self.units.contains(us) else {
                        problems.append(file.problem(at: u, "unknown unit `\(u.string ?? "?")`",
                                                     hint: Suggestion.hint(for: u.string ?? "", in: Self.units)
                                                        ?? "units are \(Self.units.joined(separator: ", ")); durations carry theirs (`30s`)"))
                        continue
                    }
                    unit = us
                }
            }
            guard let text = valueNode.scalar?.string else {
                problems.append(file.problem(at: valueNode, "limit `\(name)` must be a number or a duration"))
                continue
            }
            var limit: Limit
            if let n = Double(text), n.isFinite {
                guard abs(n) <= ExpressionLexer.largestNumber else {
                    problems.append(file.problem(at: valueNode, "limit `\(name)` = `\(text)` is out of range (at most 1e9 either way)"))
                    continue
                }
                limit = Limit(name: name, defaultValue: n, unit: unit ?? "", isDuration: false, position: position)
            } else if let ms = DurationLiteral.milliseconds(text) {
                if unit != nil {
                    problems.append(file.problem(at: valueNode, "a duration limit takes no `unit`"))
                    continue
                }
                limit = Limit(name: name, defaultValue: Double(ms) / 1000, unit: "", isDuration: true, position: position)
            } else if DurationLiteral.read(text) == .tooLong {
                problems.append(file.problem(at: valueNode, "limit `\(name)` = `\(text)` is too long (at most \(DurationLiteral.maximumText))"))
                continue
            } else {
                problems.append(file.problem(at: valueNode, "`\(text)` is neither a number nor a duration",
                                             hint: "write a number (`90`) or a duration (`30s`, `10m`, `2h`)"))
                continue
            }
            if let r = v.mapping?["range"] {
                guard let range = limitRange(r, of: limit, file) else { continue }
                limit.range = range
            }
            guard limit.range.contains(limit.defaultValue) else {
                problems.append(file.problem(at: valueNode, "the default \(limit.text(limit.defaultValue)) of `\(name)` is outside its range \(limit.rangeText)",
                                             hint: v.mapping?["range"] == nil ? "declare `range: [low, high]` for it" : nil))
                continue
            }
            limitTable[name] = .init(slot: limits.count, type: limit.type)
            limits.append(limit)
        }
    }

    /// A limit's `range: [low, high]`, in its own kind (numbers, or durations for a duration
    /// limit), inside the bounds of its unit (`Limit.defaultRange`).
    private mutating func limitRange(_ node: Node, of limit: Limit, _ file: RuleSourceFile) -> ClosedRange<Double>? {
        let example = limit.isDuration ? "`range: [5s, 5m]`" : "`range: [80, 100]`"
        guard let seq = node.sequence, seq.count == 2 else {
            problems.append(file.problem(at: node, "`range` of `\(limit.name)` must be `[low, high]`", hint: "e.g. \(example)"))
            return nil
        }
        var bounds: [Double] = []
        for item in seq {
            let text = item.scalar?.string ?? ""
            let value = limit.isDuration ? DurationLiteral.milliseconds(text).map { Double($0) / 1000 } : Double(text).flatMap { $0.isFinite ? $0 : nil }
            guard let value else {
                problems.append(file.problem(at: item, "`\(text)` is not a \(limit.isDuration ? "duration" : "number") for the range of `\(limit.name)`",
                                             hint: "e.g. \(example)"))
                return nil
            }
            bounds.append(value)
        }
        let bound = Limit.defaultRange(unit: limit.unit, isDuration: limit.isDuration)
        guard bounds[0] <= bounds[1] else {
            problems.append(file.problem(at: node, "the range of `\(limit.name)` starts above its end", hint: "write `[low, high]`"))
            return nil
        }
        guard bound.contains(bounds[0]), bound.contains(bounds[1]) else {
            let what = limit.isDuration ? "a duration limit" : (limit.unit.isEmpty ? "a plain number" : "a limit in \(limit.unit)")
            problems.append(file.problem(at: node, "the range of `\(limit.name)` must lie within \(limit.text(bound.lowerBound)) to \(limit.text(bound.upperBound)) for \(what)"))
            return nil
        }
        return bounds[0]...bounds[1]
    }

    static let remsKeys = ["predose_window", "post_dose_check", "before_discharge", "observation", "description"]

    /// The `rems:` section: the REMS BP windows and observation, declared once (see
    /// `REMSWindows`). It also defines the limits `rems_bp_from` and `rems_bp_to` (the post-dose
    /// window) so the reminder rule reads the same numbers as the record; a session cannot
    /// override them.
    private mutating func readREMS(_ root: Node.Mapping, _ file: RuleSourceFile) {
        guard let node = root["rems"] else { return }
        guard let map = node.mapping else {
            problems.append(file.problem(at: node, "`rems` must be a mapping", hint: "e.g. `post_dose_check: {at: 40m, window: [30m, 50m]}`"))
            return
        }
        let here = SourcePosition(file: file.path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        if let earlier = remsPosition {
            problems.append(file.problem(at: node, "`rems` is already declared at \(earlier)"))
            return
        }
        remsPosition = here
        for (k, _) in map where !Self.remsKeys.contains(k.string ?? "") {
            problems.append(file.problem(at: k, "unknown key `\(k.string ?? "?")` in `rems`",
                                         hint: Suggestion.hint(for: k.string ?? "", in: Self.remsKeys)))
        }
        let before = problems.count
        var w = REMSWindows.standard
        w.predoseWindowMilliseconds = remsDuration(map, "predose_window", file) ?? w.predoseWindowMilliseconds
        w.beforeDischargeMilliseconds = remsDuration(map, "before_discharge", file) ?? w.beforeDischargeMilliseconds
        w.observationMilliseconds = remsDuration(map, "observation", file) ?? w.observationMilliseconds
        var windowNode: Node = node
        if let check = map["post_dose_check"] {
            guard let cm = check.mapping, cm["at"] != nil, let window = cm["window"] else {
                problems.append(file.problem(at: check, "`post_dose_check` needs `at` and `window`",
                                             hint: "e.g. `post_dose_check: {at: 40m, window: [30m, 50m]}`"))
                return
            }
            for (k, _) in cm where !["at", "window"].contains(k.string ?? "") {
                problems.append(file.problem(at: k, "unknown key `\(k.string ?? "?")` in `post_dose_check`",
                                             hint: Suggestion.hint(for: k.string ?? "", in: ["at", "window"])))
            }
            w.postDoseCheckMilliseconds = remsDuration(cm, "at", file) ?? w.postDoseCheckMilliseconds
            let ends = window.sequence.map { $0.map { DurationLiteral.milliseconds($0.scalar?.string ?? "") } } ?? []
            guard ends.count == 2, let from = ends[0], let to = ends[1] else {
                problems.append(file.problem(at: window, "`window` must be `[from, to]`, two durations after the dose", hint: "e.g. `[30m, 50m]`"))
                return
            }
            guard from < to, (from...to).contains(w.postDoseCheckMilliseconds) else {
                problems.append(file.problem(at: window, "the window must run forward and contain `at` (\(DurationLiteral.format(w.postDoseCheckMilliseconds)))"))
                return
            }
            w.postDoseWindowMilliseconds = from...to
            windowNode = window
        }
        guard problems.count == before else { return }
        rems = w
        let position = SourcePosition(file: file.path, line: windowNode.mark?.line ?? here.line, column: windowNode.mark?.column ?? here.column)
        for (name, ms) in [("rems_bp_from", w.postDoseWindowMilliseconds.lowerBound), ("rems_bp_to", w.postDoseWindowMilliseconds.upperBound)] {
            if let earlier = limitTable[name] {
                problems.append(file.problem(at: windowNode, "limit `\(name)` is already declared at \(limits[earlier.slot].position); the `rems:` section defines it"))
                continue
            }
            let limit = Limit(name: name, defaultValue: Double(ms) / 1000, unit: "", isDuration: true,
                              range: Double(ms) / 1000...Double(ms) / 1000, isOverridable: false, position: position)
            limitTable[name] = .init(slot: limits.count, type: limit.type)
            limits.append(limit)
        }
    }

    /// A positive duration of at most a day under `key`, or `nil` (absent or a problem noted).
    private mutating func remsDuration(_ map: Node.Mapping, _ key: String, _ file: RuleSourceFile) -> Int64? {
        guard let ms = duration(map, key, file) else { return nil }
        guard ms > 0, ms <= 86_400_000 else {
            problems.append(file.problem(at: map[key], "`\(key)` must be positive and at most 24h"))
            return nil
        }
        return ms
    }

    mutating func readRules(_ root: Node.Mapping, _ file: RuleSourceFile) {
        guard let node = root["rules"] else { return }
        guard let seq = node.sequence else {
            problems.append(file.problem(at: node, "`rules` must be a list", hint: "start each rule with `- id: ...`"))
            return
        }
        for item in seq {
            guard let map = item.mapping else {
                problems.append(file.problem(at: item, "each rule must be a mapping", hint: "e.g. `- id: spo2-low`"))
                continue
            }
            if let rule = readRule(map, item, file) {
                if let other = rules.first(where: { $0.id == rule.id }) {
                    problems.append(file.problem(at: map["id"], "rule id `\(rule.id)` is already used at \(other.position)"))
                } else {
                    rules.append(rule)
                }
            }
        }
    }

    private mutating func string(_ map: Node.Mapping, _ key: String, _ file: RuleSourceFile, required: Bool, owner: Node) -> (String, Node)? {
        guard let n = map[key] else {
            if required { problems.append(file.problem(at: owner, "the rule has no `\(key)`")) }
            return nil
        }
        guard let s = n.scalar?.string, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
            problems.append(file.problem(at: n, "`\(key)` must be \(key == "when" || key == "clear" ? "a condition" : "text")"))
            return nil
        }
        return (s, n)
    }

    private mutating func duration(_ map: Node.Mapping, _ key: String, _ file: RuleSourceFile) -> Int64? {
        guard let n = map[key] else { return nil }
        if let s = n.scalar?.string, DurationLiteral.read(s) == .tooLong {
            problems.append(file.problem(at: n, "`\(key)` = `\(s)` is too long (at most \(DurationLiteral.maximumText))"))
            return nil
        }
        guard let s = n.scalar?.string, let ms = DurationLiteral.milliseconds(s) else {
            let s = n.scalar?.string ?? ""
            let hint = Double(s) != nil ? "a duration needs a unit: `\(s)s` or `\(s)m`" : "write a duration such as `15s`, `10m`, `2h`"
            problems.append(file.problem(at: n, "`\(key)` must be a duration, found `\(s)`", hint: hint))
            return nil
        }
        return ms
    }

    private mutating func expression(_ text: String, _ node: Node, _ file: RuleSourceFile, _ expected: ValueType) -> Expression? {
        do {
            return try parser.parse(text, expecting: expected)
        } catch {
            let (line, column) = file.position(ofOffset: error.offset, in: node)
            problems.append(file.problem(line: line, column: column, error.message, hint: error.hint))
            return nil
        }
    }

    private mutating func readRule(_ map: Node.Mapping, _ node: Node, _ file: RuleSourceFile) -> Rule? {
        let before = problems.count
        for (k, _) in map {
            guard let key = k.string, Self.ruleKeys.contains(key) else {
                problems.append(file.problem(at: k, "unknown key `\(k.string ?? "?")` in a rule",
                                             hint: Suggestion.hint(for: k.string ?? "", in: Self.ruleKeys)
                                                ?? (k.string == "alert" ? "did you mean `id`?" : (k.string == "expr" ? "did you mean `when`?" : nil))))
                continue
            }
        }
        let id = string(map, "id", file, required: true, owner: node)
        if let (text, n) = id, text.range(of: "^[a-z0-9][a-z0-9._-]*$", options: .regularExpression) == nil {
            problems.append(file.problem(at: n, "rule id `\(text)` must be lower case letters, digits, `-`, `_` or `.`",
                                         hint: "e.g. `\(text.lowercased().replacingOccurrences(of: " ", with: "-"))`"))
        }
        let title = string(map, "title", file, required: true, owner: node)
        let priority: AlertPriority? = enumValue(map, "priority", file, owner: node)
        let kind: AlertKind? = enumValue(map, "kind", file, owner: node)
        let whenText = string(map, "when", file, required: true, owner: node)
        let when = whenText.flatMap { expression($0.0, $0.1, file, .boolean) }
        let clearText = string(map, "clear", file, required: false, owner: node)
        let clear = clearText.flatMap { expression($0.0, $0.1, file, .boolean) }
        let value = string(map, "value", file, required: false, owner: node).flatMap { expression($0.0, $0.1, file, .plain) }
        let limitExpr = string(map, "limit", file, required: false, owner: node).flatMap { expression($0.0, $0.1, file, .plain) }
        let hold = duration(map, "for", file) ?? 0
        let clearHold = duration(map, "clear_for", file) ?? 0
        if map["clear_for"] != nil && map["clear"] == nil {
            problems.append(file.problem(at: map["clear_for"], "`clear_for` without `clear`",
                                         hint: "add `clear:` with the condition that ends the alert"))
        }
        var latching = false
        if let l = map["latching"] {
            switch l.scalar?.string {
            case "true": latching = true
            case "false": latching = false
            default:
                problems.append(file.problem(at: l, "`latching` must be `true` or `false`, found `\(l.scalar?.string ?? "?")`"))
            }
        }
        var realarm: Int64? = 120_000 // reference C facts 31-32: re-alarm 2 min / silence 120 s.
        if let r = map["realarm"] {
            if let s = r.scalar?.string, s == "never" || s == "off" {
                realarm = nil
            } else {
                realarm = duration(map, "realarm", file)
                if realarm == 0 {
                    problems.append(file.problem(at: r, "`realarm` must be longer than zero", hint: "write `never` to disable re-alarm"))
                }
            }
        }
        var escalation: Escalation?
        if let e = map["escalate"] {
            if let em = e.mapping {
                for (k, _) in em where !["to", "after"].contains(k.string ?? "") {
                    problems.append(file.problem(at: k, "unknown key `\(k.string ?? "?")` in `escalate`",
                                                 hint: Suggestion.hint(for: k.string ?? "", in: ["to", "after"])))
                }
                let to: AlertPriority? = enumValue(em, "to", file, owner: e)
                let after = duration(em, "after", file)
                if em["after"] == nil { problems.append(file.problem(at: e, "`escalate` needs `after`", hint: "e.g. `escalate: {to: high, after: 2m}`")) }
                if let to, let after {
                    if let priority, to <= priority {
                        problems.append(file.problem(at: em["to"], "escalation to `\(to.rawValue)` is not above the rule's priority `\(priority.rawValue)`"))
                    }
                    escalation = Escalation(to: to, afterMilliseconds: after)
                }
            } else {
                problems.append(file.problem(at: e, "`escalate` must be a mapping", hint: "e.g. `escalate: {to: high, after: 2m}`"))
            }
        }
        var metric: Metric? = when?.metricsInOrder.first
        if let m = map["metric"] {
            if let s = m.scalar?.string, let mm = Metric(name: s) {
                metric = mm
            } else {
                problems.append(file.problem(at: m, "`\(m.scalar?.string ?? "?")` is not a metric",
                                             hint: Suggestion.hint(for: m.scalar?.string ?? "", in: Metric.allCases.map(\.name))))
            }
        }
        if let (t, n) = title { checkTitle(t, n, file) }
        guard problems.count == before, let (idText, _) = id, let (titleText, _) = title, let priority, let kind,
              let when, let whenText else { return nil }
        if let clear, let (idText, _) = id { warnIfWhenOutlivesClear(idText, when, clear, whenText.1, file) }
        let defaultLimit = when.limitSlots.first.map { Expression.limit($0) }
        return Rule(
            id: idText, title: titleText, kind: kind, priority: priority, latching: latching,
            holdMilliseconds: hold, clearHoldMilliseconds: clearHold, escalation: escalation,
            realarmMilliseconds: realarm, metric: metric, whenSource: whenText.0, clearSource: clearText?.0,
            position: SourcePosition(file: file.path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1),
            when: when, clear: clear, value: value ?? metric.map { .metric($0) }, limit: limitExpr ?? defaultLimit,
            metrics: when.metrics.union(clear?.metrics ?? []).union(metric.map { [$0] } ?? []))
    }

    /// Issue 11: a `when` term that reads only windows (`count(...) >= 2`) stays true for the
    /// window's length after the readings return to normal, while an instantaneous `clear` (the
    /// latest value) already holds: the alert is then held, or raised again, by old readings.
    /// Warns at the `when` line unless every term with a window also reads a latest value.
    private mutating func warnIfWhenOutlivesClear(_ id: String, _ when: Expression, _ clear: Expression, _ node: Node, _ file: RuleSourceFile) {
        guard !Self.readsWindow(clear) else { return }
        let flagged = Self.terms(when, split: .or).filter { term in
            let conjuncts = Self.terms(term, split: .and)
            return conjuncts.contains(where: Self.readsWindow) && !conjuncts.contains(where: Self.readsLatestValue)
        }
        guard !flagged.isEmpty else { return }
        var w = file.problem(at: node, "rule `\(id)`: `when` can stay true after `clear` holds: a term reads only a window (count, min, max, mean or change) while `clear` reads the latest value, so old readings keep the alert",
                             hint: "add a condition on the latest reading to that term, e.g. `nibp.sys >= limit and count(nibp.sys >= limit, 10m) >= 2`")
        w.isWarning = true
        warnings.append(w)
    }

    private enum Junction { case or, and }

    /// The top-level operands of `e` joined by `or` (or `and`).
    private static func terms(_ e: Expression, split: Junction) -> [Expression] {
        switch (e, split) {
        case (.or(let a, let b), .or), (.and(let a, let b), .and): terms(a, split: split) + terms(b, split: split)
        default: [e]
        }
    }

    /// Reads a window function (its value changes as readings leave the window).
    private static func readsWindow(_ e: Expression) -> Bool {
        if e.function?.time == .window { return true }
        return e.children.contains(where: readsWindow)
    }

    /// Reads a metric's latest valid value.
    private static func readsLatestValue(_ e: Expression) -> Bool {
        if case .metric = e { return true }
        return e.children.contains(where: readsLatestValue)
    }

    private mutating func enumValue<E: RawRepresentable & CaseIterable>(_ map: Node.Mapping, _ key: String, _ file: RuleSourceFile, owner: Node) -> E? where E.RawValue == String {
        let names = E.allCases.map(\.rawValue)
        guard let n = map[key] else {
            problems.append(file.problem(at: owner, "the \(key == "to" ? "escalation" : "rule") has no `\(key)`",
                                         hint: "one of \(names.map { "`\($0)`" }.joined(separator: ", "))"))
            return nil
        }
        guard let s = n.scalar?.string, let v = E(rawValue: s) else {
            let s = n.scalar?.string ?? "?"
            problems.append(file.problem(at: n, "`\(key)` must be one of \(names.joined(separator: ", ")), found `\(s)`",
                                         hint: Suggestion.hint(for: s, in: names)))
            return nil
        }
        return v
    }

    private mutating func checkTitle(_ title: String, _ node: Node, _ file: RuleSourceFile) {
        let scalars = Array(title.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "{" {
                guard let close = scalars[i...].firstIndex(of: "}") else {
                    let (l, c) = file.position(ofOffset: i, in: node)
                    problems.append(file.problem(line: l, column: c, "unclosed `{` in the title", hint: "placeholders are {value}, {limit} and {metric}"))
                    return
                }
                let name = String(String.UnicodeScalarView(scalars[(i + 1)..<close]))
                if !["value", "limit", "metric"].contains(name) {
                    let (l, c) = file.position(ofOffset: i + 1, in: node)
                    problems.append(file.problem(line: l, column: c, "unknown placeholder `{\(name)}` in the title",
                                                 hint: Suggestion.hint(for: name, in: ["value", "limit", "metric"]) ?? "placeholders are {value}, {limit} and {metric}"))
                }
                i = close + 1
            } else {
                i += 1
            }
        }
    }
}
