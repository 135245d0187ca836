import VitalsCore

extension EngineMemory {
    /// A numeric expression's value now (durations in seconds); `nil` when undefined (no
    /// reading yet, before the dose, no baseline, an empty window, division by zero).
    ///
    /// The tree evaluator: used for values and limits in events, deadlines and tests. Rule
    /// conditions run compiled (`Program`), which gives the same results.
    func number(_ e: Expression) -> Double? {
        switch e {
        case .number(let v), .duration(let v): return v
        case .metric(let m): return histories[m.storageCode].lastValidValue
        case .limit(let i): return limitTable[i]
        case .sinceDose: return sinceDose()
        case .baseline(let m): return baselines[m]
        case .age(let m): return age(m.storageCode)
        case .satseconds(let i): return satseconds[i].value
        case .doseWindowCount(let i): return doseTime == nil ? nil : Double(doseWindowCounts[i])
        case .window(let f, let m, let ms): return window(f, m.storageCode, ms)
        case .count(let m, let op, let rhs, let ms):
            guard let limit = number(rhs) else { return nil }
            return count(m.storageCode, op, limit, ms)
        case .countLast(let m, let op, let rhs, let k):
            guard let limit = number(rhs) else { return nil }
            return countLast(m.storageCode, op, limit, k)
        case .negate(let a): return number(a).map { -$0 }
        case .arithmetic(let op, let a, let b):
            guard let x = number(a), let y = number(b) else { return nil }
            return Self.arithmetic(op, x, y)
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
        case .artifact(let m): return artifact(m.storageCode)
        case .connected(let m): return connected(m.storageCode)
        case .disconnected(let m): return disconnected(m.storageCode)
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
        case .number, .duration, .metric, .limit, .sinceDose, .baseline, .window, .count, .countLast, .age,
             .doseWindowCount, .satseconds, .negate, .arithmetic:
            return nil
        }
    }

    // MARK: Functions shared by the tree evaluator and compiled programs

    func sinceDose() -> Double? { doseTime.map { Double(now.milliseconds - $0.milliseconds) / 1000 } }

    func age(_ slot: Int) -> Double {
        Double(now.milliseconds - (histories[slot].lastValidTime ?? 0)) / 1000
    }

    func artifact(_ slot: Int) -> Bool { histories[slot].lastFlags.rawValue & artifactMask != 0 }

    func connected(_ slot: Int) -> Bool {
        guard histories[slot].device != nil else { return false }
        switch histories[slot].deviceState {
        case .streaming?, .quiet?, nil: return true
        case .connecting?, .disconnected?, .reconnecting?: return false
        }
    }

    func disconnected(_ slot: Int) -> Bool {
        guard histories[slot].device != nil else { return false }
        let s = histories[slot].deviceState
        return s == .disconnected || s == .reconnecting
    }

    // The window functions index the history in place rather than copying it (a copy would
    // retain its arrays on every evaluation).

    func window(_ f: Expression.Window, _ slot: Int, _ ms: Int64) -> Double? {
        let from = histories[slot].firstIndex(from: now.milliseconds - ms)
        let to = histories[slot].times.count
        guard from < to else { return nil }
        return histories[slot].values.withUnsafeBufferPointer { v in
            switch f {
            case .min: return v[from..<to].min()
            case .max: return v[from..<to].max()
            case .mean: return v[from..<to].reduce(0, +) / Double(to - from)
            case .change: return to - from >= 2 ? v[to - 1] - v[from] : nil
            }
        }
    }

    func count(_ slot: Int, _ op: Expression.Comparison, _ limit: Double, _ ms: Int64) -> Double {
        let from = histories[slot].firstIndex(from: now.milliseconds - ms)
        return histories[slot].values.withUnsafeBufferPointer { v in
            Double(Self.countHolding(v, from..<v.count, op, limit))
        }
    }

    func countLast(_ slot: Int, _ op: Expression.Comparison, _ limit: Double, _ k: Int) -> Double {
        let head = histories[slot].head
        return histories[slot].values.withUnsafeBufferPointer { v in
            Double(Self.countHolding(v, max(head, v.count - k)..<v.count, op, limit))
        }
    }

    /// How many of `v[range]` satisfy `value op limit`: `op.holds` for each, with the switch on
    /// `op` outside the loop. A window count runs over every reading of its window on every
    /// evaluation (`count(awrr > 0, 10m)` is 600 readings, twice a second on a capnograph); with
    /// the switch inside, the loop was half of a clinic-year backtest (perf), one indirect jump
    /// a reading. Same comparisons, NaN included (only `!=` holds for it).
    @inline(__always)
    static func countHolding(_ v: UnsafeBufferPointer<Double>, _ range: Range<Int>, _ op: Expression.Comparison, _ limit: Double) -> Int {
        var n = 0
        switch op {
        case .lt: for j in range where v[j] < limit { n += 1 }
        case .le: for j in range where v[j] <= limit { n += 1 }
        case .gt: for j in range where v[j] > limit { n += 1 }
        case .ge: for j in range where v[j] >= limit { n += 1 }
        case .eq: for j in range where v[j] == limit { n += 1 }
        case .ne: for j in range where v[j] != limit { n += 1 }
        }
        return n
    }

    static func arithmetic(_ op: Expression.Arithmetic, _ x: Double, _ y: Double) -> Double? {
        switch op {
        case .add: x + y
        case .sub: x - y
        case .mul: x * y
        case .div: y == 0 ? nil : x / y
        }
    }
}
