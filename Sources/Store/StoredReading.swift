import VitalsCore

/// One reading as read back from the store.
public struct StoredReading: Sendable, Hashable {
    /// The reading's row id (increasing in commit order).
    public var id: Int64
    /// The session it belongs to.
    public var sessionID: Int64
    /// The device's name.
    public var device: String
    /// The metric.
    public var metric: Metric
    /// The value, to 0.01 of the metric's unit.
    public var value: Double
    /// Quality flags.
    public var flags: QualityFlags
    /// Host time, ms since 1970 UTC.
    public var hostTime: Int64
    /// The device's own time in ms, where it sent one (its kind is not stored).
    public var deviceTime: Int64?

    /// A stored reading.
    public init(
        id: Int64, sessionID: Int64, device: String, metric: Metric, value: Double, flags: QualityFlags,
        hostTime: Int64, deviceTime: Int64?
    ) {
        self.id = id
        self.sessionID = sessionID
        self.device = device
        self.metric = metric
        self.value = value
        self.flags = flags
        self.hostTime = hostTime
        self.deviceTime = deviceTime
    }
}
