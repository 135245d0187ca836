/// One measured figure of issue 7, with the baseline measured beside it in the same run and
/// the goals it is checked against. scripts/bench-report.py turns a list of these into
/// docs/BENCHMARKS.md and bench-results.json.
struct Figure: Encodable {
    /// Stable id, e.g. `1.decode.nonin-df7`; the report merges and orders by it.
    var id: String
    /// The issue 7 item (1 to 7).
    var section: Int
    /// What was measured, for the table.
    var figure: String
    /// The measured value.
    var measured: Quantity
    /// The limit or baseline measured in the same run, if the figure has one.
    var baseline: Baseline?
    /// The goals checked.
    var checks: [Check]
    /// How it was measured, and what limits it.
    var note: String
}

/// A value and its unit.
struct Quantity: Encodable {
    var value: Double
    var unit: String
}

/// The reference figure measured in the same run.
struct Baseline: Encodable {
    var name: String
    var value: Double
    var unit: String
}

/// One goal: `value comparison limit` must hold.
struct Check: Encodable {
    /// The goal as written in issue 7.
    var goal: String
    /// What `value` is (e.g. "x line rate", "% of byte-sum loop").
    var quantity: String
    var value: Double
    var limit: Double
    /// ">=" or "<=".
    var comparison: String
    /// How far past the limit (>= 1 means met): value/limit for ">=", limit/value for "<=".
    var ratio: Double
    var met: Bool

    init(goal: String, quantity: String, value: Double, atLeast limit: Double) {
        self.goal = goal
        self.quantity = quantity
        self.value = value
        self.limit = limit
        self.comparison = ">="
        self.ratio = value / limit
        self.met = value >= limit
    }

    init(goal: String, quantity: String, value: Double, atMost limit: Double) {
        self.goal = goal
        self.quantity = quantity
        self.value = value
        self.limit = limit
        self.comparison = "<="
        self.ratio = value > 0 ? limit / value : .infinity
        self.met = value <= limit
    }
}
