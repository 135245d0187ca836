import VitalsCore

/// The engine's record of one rule's alert.
struct AlertState {
    var phase: AlertPhase = .inactive
    /// When the condition started holding (pending) .
    var activeSince: Int64 = 0
    /// When the clear condition started holding, while firing.
    var clearingSince: Int64?
    /// The current occurrence id (0 before the first raise).
    var occurrence = 0
    /// When the occurrence was raised or last re-alarmed (escalation counts from here).
    var raisedAt: Int64 = 0
    /// The priority now (the rule's, or the escalated one).
    var priority: AlertPriority = .low
    var acknowledgedAt: Int64?
    var escalated = false
    /// The value when the occurrence was raised (cleared events name it in their message).
    var raisedValue: Double?
}
