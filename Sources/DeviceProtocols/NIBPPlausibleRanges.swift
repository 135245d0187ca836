import VitalsCore

/// A cuff's plausible ranges for SYS, DIA, MAP and pulse, read once from a profile's public
/// `plausible` table. The checks run on every result, and looking each range up in a
/// `[Metric: ClosedRange<Int>]` hashed the metric's name every time.
struct NIBPPlausibleRanges: Sendable {
    var systolic: ClosedRange<Int>
    var diastolic: ClosedRange<Int>
    var mean: ClosedRange<Int>
    var pulse: ClosedRange<Int>

    /// The ranges in `table`; a metric missing from it accepts nothing but 0, as before.
    init(_ table: [Metric: ClosedRange<Int>]) {
        systolic = table[.nibpSystolic] ?? 0...0
        diastolic = table[.nibpDiastolic] ?? 0...0
        mean = table[.nibpMean] ?? 0...0
        pulse = table[.nibpPulse] ?? 0...0
    }

    /// The range for one of the four NIBP metrics.
    func range(_ m: Metric) -> ClosedRange<Int> {
        switch m {
        case .nibpSystolic: systolic
        case .nibpDiastolic: diastolic
        case .nibpMean: mean
        case .nibpPulse: pulse
        default: 0...0
        }
    }
}
