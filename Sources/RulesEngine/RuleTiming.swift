import VitalsCore

/// The timing parts of a rule the engine reads on every evaluation: a plain value with no
/// references, so the hot path copies it without reference counting (the expressions live in
/// separate arrays of the engine).
struct RuleTiming {
    /// What the rule's `AlertStateMachine` needs.
    var machine: AlertStateMachine.Timing
    var whenDependsOnTime: Bool
    var clearDependsOnTime: Bool
    var hasClear: Bool
    /// The history slot whose freshness gates a physiological rule (its metric); `nil` for
    /// technical rules and rules about no metric, which are always fed fresh data.
    var dataSlot: Int?
    /// How old that metric's latest valid reading may be and still count as current, ms; `nil`
    /// for sparse metrics (NIBP: one reading per cuff cycle), where only the connection counts.
    var staleAfter: Int64?
    /// `when` or `clear` can change with time alone.
    var dependsOnTime: Bool { whenDependsOnTime || clearDependsOnTime }

    /// A continuous metric's reading older than this is not current data (an engineering choice:
    /// oximeters and monitors update every second or two; 10 s rides out a few flagged readings,
    /// as `oximetry_fresh` in Rules/ketamine.yaml).
    static let continuousStaleAfter: Int64 = 10_000

    init(_ r: Rule) {
        let physiological = r.kind == .physiological && r.metric != nil
        machine = AlertStateMachine.Timing(
            hold: r.holdMilliseconds, clearHold: r.clearHoldMilliseconds, escalation: r.escalation,
            realarm: r.realarmMilliseconds, latching: r.latching, priority: r.priority,
            holdNeedsReadings: physiological)
        whenDependsOnTime = r.when.dependsOnTime
        clearDependsOnTime = r.clear?.dependsOnTime ?? false
        hasClear = r.clear != nil
        dataSlot = physiological ? r.metric?.storageCode : nil
        staleAfter = physiological && !(r.metric?.isBloodPressure ?? true) ? Self.continuousStaleAfter : nil
    }
}
