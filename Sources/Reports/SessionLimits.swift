import RulesEngine
import Store

/// The limits a session ran with: the rule set's defaults with the patient's own overrides
/// (`vitals session start --limit`), by name. The REMS form's "vital signs in an acceptable
/// range" answers are computed against these.
public struct SessionLimits: Sendable, Hashable {
    /// Value by limit name (durations in seconds, as the rule set declares them).
    public var values: [String: Double]
    /// Where the defaults came from (the rule file or folder), for the report's header.
    public var source: String

    /// Limits.
    public init(values: [String: Double], source: String) {
        self.values = values
        self.source = source
    }

    /// The one place the report reads the rule set: loads `rulesPath` and overlays the session's
    /// own limits. Throws the loader's error (file:line:column) when the rules do not load.
    public static func load(rulesPath: String, plan: SessionPlan) throws(RuleLoadError) -> SessionLimits {
        let set = try RuleSet.load(path: rulesPath)
        var values: [String: Double] = [:]
        for name in VitalSignRange.limitNames {
            if let l = set.limit(named: name) { values[name] = l.defaultValue }
        }
        for (name, v) in plan.limits { values[name] = v }
        return SessionLimits(values: values, source: rulesPath)
    }

    /// The value of `name`, if the rules or the session declare it.
    public subscript(name: String) -> Double? { values[name] }
}
