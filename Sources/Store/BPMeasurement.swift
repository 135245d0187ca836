/// One cuff measurement: the systolic and diastolic readings a device sent together.
public struct BPMeasurement: Sendable, Hashable {
    /// Host time of the systolic reading, ms since 1970 UTC.
    public var at: Int64
    /// Systolic pressure, mmHg.
    public var systolic: Double
    /// Diastolic pressure, mmHg; `nil` when the device sent only a systolic value.
    public var diastolic: Double?
    /// The device's name.
    public var device: String

    /// A measurement.
    public init(at: Int64, systolic: Double, diastolic: Double?, device: String) {
        self.at = at
        self.systolic = systolic
        self.diastolic = diastolic
        self.device = device
    }

    /// `132/84`, or `132/?`.
    public var text: String {
        func f(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
        return "\(f(systolic))/\(diastolic.map(f) ?? "?")"
    }
}
