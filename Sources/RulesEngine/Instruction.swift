import VitalsCore

/// One step of a compiled rule condition (`Program`): postfix, on a stack of `Double`s where NaN
/// is undefined and conditions are 1 (true) or 0 (false). Plain values with no references, so
/// running a program does no reference counting.
enum Instruction {
    case constant(Double)
    case metric(Int)
    case limit(Int)
    case sinceDose
    case dosed
    case baseline(Metric)
    case window(Expression.Window, Int, Int64)
    /// Pops the comparison's right-hand side.
    case count(Int, Expression.Comparison, Int64)
    /// Pops the comparison's right-hand side.
    case countLast(Int, Expression.Comparison, Int)
    case age(Int)
    case sensorOff(Int)
    case artifact(Int)
    case connected(Int)
    case disconnected(Int)
    case satseconds(Int)
    case doseWindowCount(Int)
    case negate
    case arithmetic(Expression.Arithmetic)
    case compare(Expression.Comparison)
    case and
    case or
    case not
    /// `metric(s) limit(i) compare(op)` in one step (the shipped rules' commonest shape).
    case compareMetricLimit(Int, Int, Expression.Comparison)
    /// `age(s) limit(i) compare(op)` in one step (freshness and stale-data conditions).
    case compareAgeLimit(Int, Int, Expression.Comparison)
    /// `metric(s) constant(v) compare(op)` in one step.
    case compareMetricConstant(Int, Double, Expression.Comparison)
}
