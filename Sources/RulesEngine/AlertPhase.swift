/// Where one rule's alert is in its life (Prometheus `rules/alerting.go` states, plus IEC
/// 60601-1-8 latching).
public enum AlertPhase: String, Sendable, Hashable {
    /// The condition does not hold.
    case inactive
    /// The condition holds but not yet for the rule's hold time; turning false resets it.
    case pending
    /// Raised: the condition held for its hold time and has not cleared.
    case firing
    /// A latching alert whose condition ended; it stays until acknowledged.
    case latched
}

extension AlertPhase {
    /// The coarse phase of a state machine's state (acknowledged alerts are still firing).
    init(_ s: AlertStateMachine.State) {
        switch s {
        case .inactive: self = .inactive
        case .pending: self = .pending
        case .active, .acknowledged: self = .firing
        case .latched: self = .latched
        }
    }
}
