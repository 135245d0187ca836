/// The outcome of checking limit overrides against a rule set: the values that may be used and
/// every refused one. Callers decide what a refusal means: the CLI stops and stores nothing; a
/// room running a stored session uses `accepted` (the rule defaults stand in for the refused
/// ones) and raises a technical alert with each refusal's `sessionAlertMessage`.
public struct LimitValidation: Sendable, Hashable {
    /// The overrides that passed, by name.
    public var accepted: [String: Double]
    /// The refused ones, sorted by name.
    public var refusals: [LimitRefusal]

    /// A validation result.
    public init(accepted: [String: Double], refusals: [LimitRefusal]) {
        self.accepted = accepted
        self.refusals = refusals
    }

    /// True when nothing was refused.
    public var isValid: Bool { refusals.isEmpty }

    /// The accepted overrides, or the first refusal as an error.
    public func get() throws(LimitRefusal) -> [String: Double] {
        if let first = refusals.first { throw first }
        return accepted
    }
}

extension RuleSet {
    /// Checks session overrides (numbers in the limit's unit, durations in seconds): each must
    /// name a declared, overridable limit and be a finite value inside its range.
    public func validate(limits overrides: [String: Double]) -> LimitValidation {
        var accepted: [String: Double] = [:]
        var refusals: [LimitRefusal] = []
        for (name, value) in overrides.sorted(by: { $0.key < $1.key }) {
            guard let limit = limit(named: name) else {
                refusals.append(LimitRefusal(
                    name: name, value: value,
                    reason: .unknown(suggestion: Suggestion.nearest(to: name, in: limits.map(\.name))), limit: nil))
                continue
            }
            if !limit.isOverridable {
                refusals.append(LimitRefusal(name: name, value: value, reason: .notOverridable, limit: limit))
            } else if !value.isFinite {
                refusals.append(LimitRefusal(name: name, value: value, reason: .notFinite, limit: limit))
            } else if !limit.range.contains(value) {
                refusals.append(LimitRefusal(name: name, value: value, reason: .outOfRange(limit.range), limit: limit))
            } else {
                accepted[name] = value
            }
        }
        return LimitValidation(accepted: accepted, refusals: refusals)
    }
}
