import VitalsCore

/// One checked alert rule: when it fires, how long it must hold, what clears it, and how it is
/// annunciated (priority, kind, latching, escalation, re-alarm).
public struct Rule: Sendable {
    /// Stable id (`spo2-low`); alert state survives a reload under the same id.
    public internal(set) var id: String
    /// The message template; `{value}`, `{limit}` and `{metric}` are filled in.
    public internal(set) var title: String
    /// Physiological or technical.
    public internal(set) var kind: AlertKind
    /// IEC 60601-1-8 priority when raised.
    public internal(set) var priority: AlertPriority
    /// A latching alert stays (as "latched") after its condition ends, until acknowledged.
    public internal(set) var latching: Bool
    /// How long `when` must hold before the alert fires, in milliseconds (0: at once).
    public internal(set) var holdMilliseconds: Int64
    /// How long the clear condition must hold before the alert clears, in milliseconds.
    public internal(set) var clearHoldMilliseconds: Int64
    /// Escalation of an unacknowledged alert, if any.
    public internal(set) var escalation: Escalation?
    /// After an acknowledgement, the alert is raised again after this long if its condition
    /// still holds; `nil` for never.
    public internal(set) var realarmMilliseconds: Int64?
    /// The metric the rule is about (explicit, or the first metric `when` reads).
    public internal(set) var metric: Metric?
    /// The `when` expression as written.
    public internal(set) var whenSource: String
    /// The `clear` expression as written, if any.
    public internal(set) var clearSource: String?
    /// Where the rule starts in its file.
    public internal(set) var position: SourcePosition

    var when: Expression
    var clear: Expression?
    var value: Expression?
    var limit: Expression?
    /// Metrics whose readings can change the rule's conditions.
    var metrics: Set<Metric>
}
