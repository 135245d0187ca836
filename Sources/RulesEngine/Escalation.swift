import VitalsCore

/// How an unacknowledged alert escalates: to a higher priority after a time.
public struct Escalation: Sendable, Hashable {
    /// The priority after escalation (higher than the rule's own).
    public var to: AlertPriority
    /// How long the alert must stay unacknowledged, in milliseconds.
    public var afterMilliseconds: Int64

    /// An escalation.
    public init(to: AlertPriority, afterMilliseconds: Int64) {
        self.to = to
        self.afterMilliseconds = afterMilliseconds
    }
}
