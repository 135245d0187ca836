/// One event in an alert's life, as the rules engine emits it and every sink receives it.
public struct AlertEvent: Sendable, Hashable {
    /// Run-clock time of the event.
    public var time: RunTime
    /// Host wall-clock label in milliseconds since 1970-01-01 UTC.
    public var hostTime: Int64
    /// The rule's id.
    public var rule: String
    /// The priority the alert has after this event.
    public var priority: AlertPriority
    /// Physiological or technical.
    public var kind: AlertKind
    /// What happened.
    public var event: AlertEventKind
    /// The metric the rule is about, where it has one.
    public var metric: Metric?
    /// The value that caused the event, where there is one.
    public var value: Double?
    /// The rule's title with its values filled in.
    public var message: String
    /// The device the triggering data came from, where known.
    public var device: String?
    /// Who acknowledged (acknowledged events only).
    public var by: String?
    /// Identifies one occurrence of an alert (raised ... cleared) within a run.
    public var occurrence: Int
    /// The alert is raised but its data source went away or its data went stale: the alarm
    /// condition can no longer be checked, and silence does not clear it.
    public var dataLost: Bool

    /// An alert event.
    public init(
        time: RunTime, hostTime: Int64, rule: String, priority: AlertPriority, kind: AlertKind,
        event: AlertEventKind, metric: Metric? = nil, value: Double? = nil, message: String,
        device: String? = nil, by: String? = nil, occurrence: Int = 0, dataLost: Bool = false
    ) {
        self.time = time
        self.hostTime = hostTime
        self.rule = rule
        self.priority = priority
        self.kind = kind
        self.event = event
        self.metric = metric
        self.value = value
        self.message = message
        self.device = device
        self.by = by
        self.occurrence = occurrence
        self.dataLost = dataLost
    }
}
