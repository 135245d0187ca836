import VitalsCore

/// One `count_after_dose(metric, from, to)` counter a rule set needs (the REMS 40-minute BP
/// checkpoint): readings of `metric` taken between `from` and `to` after the dose. Bounds are
/// constant (durations or duration limits).
struct DoseWindowSpec: Sendable, Hashable {
    var metric: Metric
    var from: Expression
    var to: Expression
}
