import VitalsCore

extension EngineMemory {
    /// The value of an expression that does not change over time (numbers, durations, limits
    /// and arithmetic on them), or `nil`.
    func constant(_ e: Expression) -> Double? {
        switch e {
        case .number(let v), .duration(let v): return v
        case .limit(let i): return limitTable[i]
        case .negate(let a): return constant(a).map { -$0 }
        case .arithmetic(let op, let a, let b):
            guard let x = constant(a), let y = constant(b) else { return nil }
            switch op {
            case .add: return x + y
            case .sub: return x - y
            case .mul: return x * y
            case .div: return y == 0 ? nil : x / y
            }
        case .boolean, .metric, .sinceDose, .dosed, .baseline, .window, .count, .countLast, .age, .sensorOff,
             .artifact, .connected, .disconnected, .doseWindowCount, .satseconds, .compare, .and, .or, .not:
            return nil
        }
    }
}
