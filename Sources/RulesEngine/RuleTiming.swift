import VitalsCore

/// The timing parts of a rule the engine reads on every evaluation: a plain value with no
/// references, so the hot path copies it without reference counting (the expressions live in
/// separate arrays of the engine).
struct RuleTiming {
    var hold: Int64
    var clearHold: Int64
    var escalation: Escalation?
    var realarm: Int64?
    var latching: Bool
    var whenDependsOnTime: Bool
    var clearDependsOnTime: Bool
    var hasClear: Bool
    /// `when` or `clear` can change with time alone.
    var dependsOnTime: Bool { whenDependsOnTime || clearDependsOnTime }

    init(_ r: Rule) {
        hold = r.holdMilliseconds
        clearHold = r.clearHoldMilliseconds
        escalation = r.escalation
        realarm = r.realarmMilliseconds
        latching = r.latching
        whenDependsOnTime = r.when.dependsOnTime
        clearDependsOnTime = r.clear?.dependsOnTime ?? false
        hasClear = r.clear != nil
    }
}
