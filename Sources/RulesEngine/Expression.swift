import VitalsCore

/// A checked expression from a rule file. Names are resolved (metrics to `Metric`, limits to a
/// slot in the limit table), so evaluation does no lookups by name.
indirect enum Expression: Sendable, Hashable {
    /// Comparison operators.
    enum Comparison: String, Sendable, Hashable {
        case lt = "<", le = "<=", gt = ">", ge = ">=", eq = "==", ne = "!="

        func holds(_ a: Double, _ b: Double) -> Bool {
            switch self {
            case .lt: a < b
            case .le: a <= b
            case .gt: a > b
            case .ge: a >= b
            case .eq: a == b
            case .ne: a != b
            }
        }
    }

    /// Arithmetic operators.
    enum Arithmetic: String, Sendable, Hashable { case add = "+", sub = "-", mul = "*", div = "/" }

    /// Window functions over the valid readings of the last `duration`.
    enum Window: String, Sendable, Hashable, CaseIterable { case min, max, mean, change }

    /// A number literal.
    case number(Double)
    /// A duration literal, in seconds (durations evaluate as seconds).
    case duration(Double)
    /// `true` or `false`.
    case boolean(Bool)
    /// The latest physiologically valid reading of a metric.
    case metric(Metric)
    /// A named limit, by slot in `RuleSet.limits`.
    case limit(Int)
    /// Seconds since the dose; undefined before it.
    case sinceDose
    /// True once the dose is given.
    case dosed
    /// The session's pre-dose baseline for a metric.
    case baseline(Metric)
    /// `min/max/mean/change(metric, duration)`.
    case window(Window, Metric, milliseconds: Int64)
    /// `count(metric OP expr, duration)`: valid readings in the window for which the comparison holds.
    case count(Metric, Comparison, Expression, milliseconds: Int64)
    /// `count_last(metric OP expr, n)`: of the last `n` valid readings, how many satisfy it.
    case countLast(Metric, Comparison, Expression, n: Int)
    /// Seconds since the latest valid reading (or since the start of the run when none came yet).
    case age(Metric)
    /// The metric's sensor is off (flag or device status).
    case sensorOff(Metric)
    /// The metric's latest reading carries an artifact or out-of-track flag.
    case artifact(Metric)
    /// The device that provides the metric is connected (streaming or quiet).
    case connected(Metric)
    /// The device that provides the metric is disconnected or reconnecting.
    case disconnected(Metric)
    /// `count_after_dose(metric, from, to)`: valid readings taken between `from` and `to` after
    /// the dose, by counter slot; undefined before the dose.
    case doseWindowCount(Int)
    /// The SatSeconds integral of a metric against a constant limit, by accumulator slot.
    case satseconds(Int)
    /// Unary minus.
    case negate(Expression)
    /// Arithmetic.
    case arithmetic(Arithmetic, Expression, Expression)
    /// A comparison.
    case compare(Comparison, Expression, Expression)
    /// Logical and.
    case and(Expression, Expression)
    /// Logical or.
    case or(Expression, Expression)
    /// Logical not.
    case not(Expression)

    /// The metric this node itself reads (children aside).
    var ownMetric: Metric? {
        switch self {
        case .number, .duration, .boolean, .limit, .sinceDose, .dosed, .satseconds, .doseWindowCount,
             .negate, .arithmetic, .compare, .and, .or, .not:
            nil
        case .metric(let m), .baseline(let m), .window(_, let m, _), .count(let m, _, _, _), .countLast(let m, _, _, _),
             .age(let m), .sensorOff(let m), .artifact(let m), .connected(let m), .disconnected(let m):
            m
        }
    }

    /// Every metric the expression reads (for deciding which rules a reading can change).
    var metrics: Set<Metric> { Set(metricsInOrder) }

    /// Every limit slot the expression reads, in order of appearance.
    var limitSlots: [Int] {
        if case .limit(let i) = self { return [i] }
        return children.flatMap(\.limitSlots)
    }

    /// Metrics in order of first appearance (the rule's default metric is the first).
    var metricsInOrder: [Metric] {
        (ownMetric.map { [$0] } ?? []) + children.flatMap(\.metricsInOrder)
    }

    /// The longest window the expression looks back over, in milliseconds.
    var longestWindow: Int64 {
        children.map(\.longestWindow).reduce(ownWindowMilliseconds ?? 0, Swift.max)
    }

    /// The largest `count_last` n.
    var largestCount: Int {
        let own = if case .countLast(_, _, _, let n) = self { n } else { 0 }
        return children.map(\.largestCount).reduce(own, Swift.max)
    }

    /// True when the value can change with time alone (no new input), so ticks and
    /// `nextDeadline` must consider it: read from the function table.
    var dependsOnTime: Bool {
        if let f = function {
            switch f.time {
            case .sinceLastReading, .sinceDose, .window: return true
            case .none: break
            }
        }
        return children.contains { $0.dependsOnTime }
    }
}
