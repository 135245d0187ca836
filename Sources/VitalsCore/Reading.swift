/// One value a decoder read from a device frame, before the pipeline stamps host time on it.
///
/// Decoders never read a clock, so a `Reading` carries only what the bytes say: the value, its
/// quality flags and, where the device sends one, its own time.
public struct Reading: Sendable, Hashable {
    /// What was measured.
    public var metric: Metric
    /// The value in the metric's display unit.
    public var value: Double
    /// What the device says about the value's quality.
    public var flags: QualityFlags
    /// The device's own time for this value, where the protocol carries one.
    public var deviceTime: DeviceTime?

    /// A reading.
    public init(metric: Metric, value: Double, flags: QualityFlags = [], deviceTime: DeviceTime? = nil) {
        self.metric = metric
        self.value = value
        self.flags = flags
        self.deviceTime = deviceTime
    }
}
