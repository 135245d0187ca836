/// A reading stamped by the session pipeline: which device, when on the run's clock, and when on
/// the host's wall clock, beside the device's own time.
public struct Observation: Sendable, Hashable {
    /// The decoded value, its flags and the device's time.
    public var reading: Reading
    /// The device's name within the room (see `DeviceIdentity.name`).
    public var device: String
    /// Time on the run's clock (virtual in replay, monotonic live): what rules use.
    public var time: RunTime
    /// Host wall-clock time in milliseconds since 1970-01-01 UTC: a label only.
    public var hostTime: Int64

    /// An observation.
    public init(reading: Reading, device: String, time: RunTime, hostTime: Int64) {
        self.reading = reading
        self.device = device
        self.time = time
        self.hostTime = hostTime
    }

    /// The reading's metric.
    public var metric: Metric { reading.metric }
    /// The reading's value.
    public var value: Double { reading.value }
    /// The reading's quality flags.
    public var flags: QualityFlags { reading.flags }
}
