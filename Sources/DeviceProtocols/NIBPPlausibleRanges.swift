import VitalsCore

/// A cuff's plausible ranges for SYS, DIA, MAP and pulse, read once from a profile's public
/// `plausible` table. The checks run on every result, and looking each range up in a
/// `[Metric: ClosedRange<Int>]` hashed the metric's name every time.
struct NIBPPlausibleRanges: Sendable {
    var systolic: ClosedRange<Int>
    var diastolic: ClosedRange<Int>
    var mean: ClosedRange<Int>
    var pulse: ClosedRange<Int>

    /// The ranges in `table`, each cut to the metric's `plausibleRange` (one owner of what is
    /// physically possible); a metric missing from it accepts nothing but 0, as before.
    init(_ table: [Metric: ClosedRange<Int>]) {
        func cut(_ m: Metric) -> ClosedRange<Int> {
            guard let r = table[m] else { return 0...0 }
            let p = m.plausibleRange
            let low = max(r.lowerBound, Int(p.lowerBound.rounded(.up)))
            let high = min(r.upperBound, Int(p.upperBound.rounded(.down)))
            return low <= high ? low...high : 0...0
        }
        systolic = cut(.nibpSystolic)
        diastolic = cut(.nibpDiastolic)
        mean = cut(.nibpMean)
        pulse = cut(.nibpPulse)
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
