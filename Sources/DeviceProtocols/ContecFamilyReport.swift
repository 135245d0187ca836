import VitalsCore

/// The slowly changing part of a Contec-family frame: SpO2, pulse and the status bits that
/// qualify them. Beat markers, signal strength, bar graph and pleth change every frame and are
/// deliberately left out, so consecutive frames of a steady signal compare equal.
struct ContecFamilyReport: Sendable, Hashable {
    /// SpO2 %, or `nil` when the frame carries a missing-value marker.
    var spo2: Int?
    /// Why SpO2 is missing (the marker seen), for the `value-missing` status.
    var spo2Missing: String
    /// Pulse rate /min, or `nil` when the frame carries a missing-value marker.
    var pulse: Int?
    /// Why the pulse is missing.
    var pulseMissing: String
    /// Quality flags from the status bits.
    var flags: QualityFlags
    /// Which status bit put the sensor off ("no finger", "probe unplugged"); empty when on.
    var sensorOffReason: String
}
