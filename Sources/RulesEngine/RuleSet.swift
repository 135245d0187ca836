import VitalsCore

/// A checked set of rules and the limits they use, loaded from one YAML file or a directory of them.
/// Read-only outside the module: a loaded set is known to be valid.
public struct RuleSet: Sendable {
    /// Every declared limit, in declaration order.
    public internal(set) var limits: [Limit]
    /// The REMS windows of the file's `rems:` section (`REMSWindows.standard` without one).
    public internal(set) var rems: REMSWindows = .standard
    /// Where the set was loaded from and its content hash (`nil` for text parsed in memory).
    public internal(set) var source: RuleSetSource?
    /// Every rule, in file and declaration order (the order events are emitted in when several
    /// rules change at the same instant).
    public internal(set) var rules: [Rule]
    /// Warnings found while loading (`vitals rules check` prints them): rules that load but
    /// probably do not mean what they say.
    public internal(set) var warnings: [RuleProblem] = []
    /// SatSeconds accumulators the rules use.
    var satseconds: [SatSecondsSpec]
    /// Dose-window counters the rules use.
    var doseWindows: [DoseWindowSpec] = []
    /// How far back readings must be kept (longest window, and the baseline window).
    var historyMilliseconds: Int64
    /// The most readings a `count_last` needs.
    var historyCount: Int

    /// The limit named `name`.
    public func limit(named name: String) -> Limit? { limits.first { $0.name == name } }

    /// The rule with id `id`.
    public func rule(id: String) -> Rule? { rules.first { $0.id == id } }
}
