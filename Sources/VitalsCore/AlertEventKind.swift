/// The events in an alert's life, as they appear in JSON lines and in the database.
public enum AlertEventKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The condition held (for its hold time): the alert fires.
    case raised
    /// Unacknowledged for the rule's escalation time: its priority rose.
    case escalated
    /// A clinician acknowledged it.
    case acknowledged
    /// It ended.
    case cleared
}
