import VitalsCore

/// Every function and built-in variable of the rule language, in one table: its name, the shape
/// of its arguments, its result type, and how its value changes with time alone. The parser
/// (names, usage, argument checks), the type checker (result types), the deadline analysis and
/// the tick's skipping of unchanged rules (`time`) read it; the tree evaluator and the bytecode
/// switch exhaustively over the `Expression` case each entry parses to. Adding a function is one
/// case here, its `Expression`/`Instruction` case (the compiler then names every switch to fill
/// in), and its tests.
enum RuleFunction: String, CaseIterable, Sendable {
    case baseline
    case min, max, mean, change
    case count
    case countLast = "count_last"
    case age
    case sensorOff = "sensor_off"
    case artifact
    case connected, disconnected
    case satseconds
    case countAfterDose = "count_after_dose"
    /// Variables: names that are values on their own (no parentheses).
    case sinceDose = "since_dose"
    case dosed

    /// The argument list a call takes.
    enum Arguments {
        /// A bare name: no parentheses.
        case none
        /// `f(metric)`.
        case metric
        /// `f(metric, duration)`: a window over the last `duration`.
        case metricWindow
        /// `f(metric OP expr, duration)`.
        case comparisonWindow
        /// `f(metric OP expr, n)`: the last `n` readings.
        case comparisonCount
        /// `f(metric, from, to)`: fixed durations after the dose.
        case metricFixedDurations
        /// `f(metric, limit-or-number)`.
        case metricLimit
    }

    /// How the value changes with no new input (so ticks and `nextDeadline` must consider it).
    enum TimeDependence {
        /// Only inputs change it.
        case none
        /// It grows with time since the metric's latest valid reading (`age`): compared with a
        /// constant, it crosses at that reading's time plus the constant.
        case sinceLastReading
        /// It grows with time since the dose: compared with a constant, it crosses at the dose
        /// time plus the constant.
        case sinceDose
        /// It changes when the oldest reading of its window leaves it.
        case window
    }

    var name: String { rawValue }

    var arguments: Arguments {
        switch self {
        case .sinceDose, .dosed: .none
        case .baseline, .age, .sensorOff, .artifact, .connected, .disconnected: .metric
        case .min, .max, .mean, .change: .metricWindow
        case .count: .comparisonWindow
        case .countLast: .comparisonCount
        case .countAfterDose: .metricFixedDurations
        case .satseconds: .metricLimit
        }
    }

    /// A usage line for error messages.
    var usage: String {
        switch self {
        case .baseline: "baseline(spo2)"
        case .min: "min(spo2, 5m)"
        case .max: "max(spo2, 5m)"
        case .mean: "mean(spo2, 5m)"
        case .change: "change(nibp.sys, 10m)"
        case .count: "count(nibp.sys >= 180, 10m)"
        case .countLast: "count_last(nibp.sys >= 180, 2)"
        case .age: "age(spo2)"
        case .sensorOff: "sensor_off(spo2)"
        case .artifact: "artifact(spo2)"
        case .connected: "connected(spo2)"
        case .disconnected: "disconnected(nibp.sys)"
        case .satseconds: "satseconds(spo2, spo2_low)"
        case .countAfterDose: "count_after_dose(nibp.sys, 30m, 50m)"
        case .sinceDose: "since_dose >= 30m"
        case .dosed: "dosed"
        }
    }

    /// The result type, for a call about `metric` (`nil` for variables).
    func result(_ metric: Metric?) -> ValueType {
        let unit = ValueType.number(unit: metric?.displayUnit ?? "")
        return switch self {
        case .baseline, .min, .max, .mean, .change: unit
        case .count, .countLast, .satseconds, .countAfterDose: .plain
        case .age, .sinceDose: .duration
        case .sensorOff, .artifact, .connected, .disconnected, .dosed: .boolean
        }
    }

    var time: TimeDependence {
        switch self {
        case .age: .sinceLastReading
        case .sinceDose: .sinceDose
        case .min, .max, .mean, .change, .count: .window
        // `count_last` counts readings, not time; a dose window's count changes on readings and
        // the dose; SatSeconds integrates on readings.
        case .baseline, .countLast, .sensorOff, .artifact, .connected, .disconnected, .satseconds, .countAfterDose, .dosed: .none
        }
    }

    /// The window function a call of this is (`min`, `max`, `mean`, `change`).
    var window: Expression.Window? {
        switch self {
        case .min: .min
        case .max: .max
        case .mean: .mean
        case .change: .change
        case .baseline, .count, .countLast, .age, .sensorOff, .artifact, .connected, .disconnected, .satseconds,
             .countAfterDose, .sinceDose, .dosed:
            nil
        }
    }

    /// Names called with parentheses.
    static let callable: [String: RuleFunction] = Dictionary(
        uniqueKeysWithValues: allCases.filter { $0.arguments != .none }.map { ($0.name, $0) })
    /// Names that are values on their own.
    static let variables: [String: RuleFunction] = Dictionary(
        uniqueKeysWithValues: allCases.filter { $0.arguments == .none }.map { ($0.name, $0) })
}

extension Expression {
    /// The table entry this node is a call of, or `nil` for literals, metrics, limits and
    /// operators.
    var function: RuleFunction? {
        switch self {
        case .number, .duration, .boolean, .metric, .limit, .negate, .arithmetic, .compare, .and, .or, .not: nil
        case .sinceDose: .sinceDose
        case .dosed: .dosed
        case .baseline: .baseline
        case .window(let f, _, _):
            switch f {
            case .min: .min
            case .max: .max
            case .mean: .mean
            case .change: .change
            }
        case .count: .count
        case .countLast: .countLast
        case .age: .age
        case .sensorOff: .sensorOff
        case .artifact: .artifact
        case .connected: .connected
        case .disconnected: .disconnected
        case .doseWindowCount: .countAfterDose
        case .satseconds: .satseconds
        }
    }

    /// The window this node itself looks back over, ms (`min`/`max`/`mean`/`change`, `count`).
    var ownWindowMilliseconds: Int64? {
        switch self {
        case .window(_, _, let ms), .count(_, _, _, let ms): ms
        case .number, .duration, .boolean, .metric, .limit, .sinceDose, .dosed, .baseline, .countLast, .age, .sensorOff,
             .artifact, .connected, .disconnected, .doseWindowCount, .satseconds, .negate, .arithmetic, .compare, .and, .or, .not:
            nil
        }
    }

    /// The sub-expressions (a function's expression argument, an operator's operands).
    var children: [Expression] {
        switch self {
        case .number, .duration, .boolean, .metric, .limit, .sinceDose, .dosed, .baseline, .window, .age,
             .sensorOff, .artifact, .connected, .disconnected, .doseWindowCount, .satseconds:
            []
        case .count(_, _, let e, _), .countLast(_, _, let e, _), .negate(let e), .not(let e): [e]
        case .arithmetic(_, let a, let b), .compare(_, let a, let b), .and(let a, let b), .or(let a, let b): [a, b]
        }
    }
}
