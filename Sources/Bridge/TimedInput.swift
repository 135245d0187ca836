import VitalsCore

/// A device input at a point on the run's clock.
public struct TimedInput: Sendable, Hashable {
    /// When, on the run's clock.
    public var time: RunTime
    /// Which device.
    public var device: String
    /// What happened.
    public var input: DeviceInput

    /// A timed input.
    public init(time: RunTime, device: String, input: DeviceInput) {
        self.time = time
        self.device = device
        self.input = input
    }
}
