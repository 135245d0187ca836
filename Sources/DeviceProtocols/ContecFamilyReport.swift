import VitalsCore

/// The slowly changing part of a Contec-family frame: SpO2, pulse and the status bits that
/// qualify them. Beat markers, signal strength, bar graph and pleth change every frame and are
/// deliberately left out, so consecutive frames of a steady signal compare equal.
///
/// Built for every frame (60 a second), so it holds plain values only (no String to retain and
/// release on every copy); the status texts are made when a status is emitted. Two reports are equal exactly when their
/// values, raw markers, flags and sensor-off reason are.
struct ContecFamilyReport: ConfirmableReport {
    /// SpO2 %, or `nil` when the frame carries a missing-value marker.
    var spo2: Int?
    /// The SpO2 byte as sent (the marker seen when `spo2` is nil).
    var spo2Raw: Int
    /// Pulse rate /min, or `nil` when the frame carries a missing-value marker.
    var pulse: Int?
    /// The pulse rate as sent.
    var pulseRaw: Int
    /// Quality flags from the status bits.
    var flags: QualityFlags
    /// Which status bits put the sensor off; `.none` when on.
    var sensorOffCause: ContecSensorOffReason

    /// Which status bit put the sensor off ("no finger", "probe unplugged"); empty when on.
    var sensorOffReason: String { sensorOffCause.text }
}
