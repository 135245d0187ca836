import VitalsCore

/// Something that happened to a device (not to the patient), for the writer to store.
public struct DeviceEvent: Sendable, Hashable {
    /// The device's name (`DeviceIdentity.name`).
    public var device: String
    /// When, ms since 1970 UTC.
    public var at: Int64
    /// What happened.
    public var kind: DeviceEventKind
    /// The metric concerned, where there is one.
    public var metric: Metric?
    /// The device's own code, where it sent one.
    public var code: Int64?
    /// A count (bad frames for `resync`).
    public var count: Int64?
    /// A short description.
    public var detail: String

    /// A device event.
    public init(
        device: String, at: Int64, kind: DeviceEventKind, metric: Metric? = nil, code: Int64? = nil,
        count: Int64? = nil, detail: String = ""
    ) {
        self.device = device
        self.at = at
        self.kind = kind
        self.metric = metric
        self.code = code
        self.count = count
        self.detail = detail
    }
}

extension DeviceEvent {
    /// The device name host events (a clock step) are recorded under.
    public static let hostDevice = "host"

    /// A wall-clock step of `milliseconds` (from `MonotonicRunClock.detectStep()`), labelled
    /// with the new wall time `at`.
    public static func clockStep(milliseconds: Int64, at: Int64) -> DeviceEvent {
        let sign = milliseconds < 0 ? "-" : "+"
        let seconds = Double(abs(milliseconds)) / 1000
        return DeviceEvent(
            device: hostDevice, at: at, kind: .clockStep, count: milliseconds,
            detail: "wall clock stepped \(sign)\(NumberText.format(seconds)) s")
    }
}
