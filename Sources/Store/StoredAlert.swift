import VitalsCore

/// One alert occurrence (raised ... cleared) with its acknowledgement, for `vitals session show`.
public struct StoredAlert: Sendable, Hashable {
    /// The alert's id.
    public var id: Int64
    /// The session.
    public var sessionID: Int64
    /// The rule's id.
    public var rule: String
    /// Physiological or technical.
    public var kind: AlertKind
    /// The metric, where the rule has one.
    public var metric: Metric?
    /// The priority it ended with (after any escalation).
    public var priority: AlertPriority
    /// The message when raised.
    public var message: String
    /// When raised, ms since 1970 UTC.
    public var raisedAt: Int64
    /// When escalated, if it was.
    public var escalatedAt: Int64?
    /// When acknowledged, if it was.
    public var acknowledgedAt: Int64?
    /// Who acknowledged.
    public var acknowledgedBy: String?
    /// When cleared, if it was.
    public var clearedAt: Int64?
    /// The rule engine's occurrence number (`AlertEvent.occurrence`; 0 when not known).
    public var occurrence: Int

    /// A stored alert.
    public init(
        id: Int64, sessionID: Int64, rule: String, kind: AlertKind, metric: Metric?, priority: AlertPriority,
        message: String, raisedAt: Int64, escalatedAt: Int64?, acknowledgedAt: Int64?, acknowledgedBy: String?,
        clearedAt: Int64?, occurrence: Int = 0
    ) {
        self.id = id
        self.sessionID = sessionID
        self.rule = rule
        self.kind = kind
        self.metric = metric
        self.priority = priority
        self.message = message
        self.raisedAt = raisedAt
        self.escalatedAt = escalatedAt
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
        self.clearedAt = clearedAt
        self.occurrence = occurrence
    }
}
