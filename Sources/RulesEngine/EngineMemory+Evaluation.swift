import VitalsCore

extension EngineMemory {
    /// A numeric expression's value now (durations in seconds); `nil` when undefined (no
    /// reading yet, before the dose, no baseline, an empty window, division by zero).
    func number(_ e: Expression) -> Double? {
        let t = now.milliseconds
        switch e {
        case .number(let v), .duration(let v): return v
        case .metric(let m): return histories[m.storageCode].lastValidValue
        case .limit(let i): return limitTable[i]
        case .sinceDose: return doseTime.map { Double(t - $0.milliseconds) / 1000 }
        case .baseline(let m): return baselines[m]
        case .age(let m):
            return Double(t - (histories[m.storageCode].lastValidTime ?? 0)) / 1000
        case .satseconds(let i): return satseconds[i].value
        case .doseWindowCount(let i): return doseTime == nil ? nil : Double(doseWindowCounts[i])
        case .window(let f, let m, let ms):
            let h = histories[m.storageCode]
            let from = h.firstIndex(from: t - ms)
            let to = h.times.count
            guard from < to else { return nil }
            switch f {
            case .min: return h.values[from..<to].min()
            case .max: return h.values[from..<to].max()
            case .mean: return h.values[from..<to].reduce(0, +) / Double(to - from)
            case .change: return to - from >= 2 ? h.values[to - 1] - h.values[from] : nil
            }
        case .count(let m, let op, let rhs, let ms):
            guard let limit = number(rhs) else { return nil }
            let h = histories[m.storageCode]
            var n = 0
            for j in h.firstIndex(from: t - ms)..<h.times.count where op.holds(h.values[j], limit) { n += 1 }
            return Double(n)
        case .countLast(let m, let op, let rhs, let k):
            guard let limit = number(rhs) else { return nil }
            let h = histories[m.storageCode]
            var n = 0
            for j in max(h.head, h.times.count - k)..<h.times.count where op.holds(h.values[j], limit) { n += 1 }
            return Double(n)
        case .negate(let a): return number(a).map { -$0 }
        case .arithmetic(let op, let a, let b):
            guard let x = number(a), let y = number(b) else { return nil }
            switch op {
            case .add: return x + y
            case .sub: return x - y
            case .mul: return x * y
            case .div: return y == 0 ? nil : x / y
            }
        case .boolean, .dosed, .sensorOff, .artifact, .connected, .disconnected, .compare, .and, .or, .not:
            return nil
        }
    }

    /// A condition's value now: three-valued, `nil` when it reads something undefined.
    /// `and` is false if either side is false, `or` true if either side is true.
    func bool(_ e: Expression) -> Bool? {
        switch e {
        case .boolean(let b): return b
        case .dosed: return doseTime != nil
        case .sensorOff(let m): return histories[m.storageCode].sensorOff
        case .artifact(let m): return !histories[m.storageCode].lastFlags.isDisjoint(with: [.artifact, .outOfTrack])
        case .connected(let m):
            guard let d = histories[m.storageCode].device else { return false }
            switch deviceStates[d] {
            case .streaming?, .quiet?, nil: return true
            default: return false
            }
        case .disconnected(let m):
            guard let d = histories[m.storageCode].device else { return false }
            return deviceStates[d] == .disconnected || deviceStates[d] == .reconnecting
        case .compare(let op, let a, let b):
            guard let x = number(a), let y = number(b) else { return nil }
            return op.holds(x, y)
        case .and(let a, let b):
            let x = bool(a)
            if x == false { return false }
            let y = bool(b)
            if y == false { return false }
            return x == nil || y == nil ? nil : true
        case .or(let a, let b):
            let x = bool(a)
            if x == true { return true }
            let y = bool(b)
            if y == true { return true }
            return x == nil || y == nil ? nil : false
        case .not(let a): return bool(a).map { !$0 }
        default: return nil
        }
    }
}
