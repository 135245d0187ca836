import VitalsCore

/// How the engine derives a metric's pre-dose baseline when none is set explicitly.
///
/// - Sparse blood-pressure metrics (`nibp.*`): the last valid reading at or before the dose,
///   if it is at most `bloodPressureMaxAge` old (the esketamine label asks for a BP before dosing,
///   reference A3/A6).
/// - Continuous metrics (`spo2`, `pulse`, `pi`): the median of the valid readings in the
///   `windowMilliseconds` before the dose (the median ignores a brief dip or spike).
/// - Neither available: undefined, so a rule reading `baseline(m)` is false.
enum Baseline {
    /// Ten minutes of continuous readings before the dose.
    static let windowMilliseconds: Int64 = 600_000
    /// A pre-dose BP older than an hour is not this session's baseline.
    static let bloodPressureMaxAge: Int64 = 3_600_000

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        let mid = s.count / 2
        return s.count % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
    }
}
