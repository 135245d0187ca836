import VitalsCore

/// One SatSeconds accumulator a rule set needs: a metric integrated against a constant limit
/// (a number or a named limit; limits do not change while an engine runs).
struct SatSecondsSpec: Sendable, Hashable {
    var metric: Metric
    var limit: Expression
}
