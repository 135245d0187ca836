import VitalsCore

extension EngineMemory {
    /// Feeds `consider` the times at which time-dependent parts of `e` change.
    func crossings(_ e: Expression, _ consider: (Int64) -> Void) {
        switch e {
        case .compare(_, let a, let b):
            for (x, y) in [(a, b), (b, a)] {
                guard let c = constant(y) else { continue }
                let cm = Int64((c * 1000).rounded())
                switch x {
                case .age(let m):
                    let ref = histories[m.storageCode].lastValidTime ?? 0
                    consider(ref + cm)
                    consider(ref + cm + 1)
                case .sinceDose:
                    if let d = doseTime?.milliseconds {
                        consider(d + cm)
                        consider(d + cm + 1)
                    }
                default: break
                }
            }
            crossings(a, consider)
            crossings(b, consider)
        case .window(_, let m, let ms), .count(let m, _, _, let ms):
            // The oldest reading in the window leaves it just after `time + ms`.
            let h = histories[m.storageCode]
            let from = h.firstIndex(from: now.milliseconds - ms)
            if from < h.times.count { consider(h.times[from] + ms + 1) }
        case .negate(let a), .not(let a), .countLast(_, _, let a, _): crossings(a, consider)
        case .arithmetic(_, let a, let b), .and(let a, let b), .or(let a, let b):
            crossings(a, consider)
            crossings(b, consider)
        default: break
        }
    }

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
        default: return nil
        }
    }
}
