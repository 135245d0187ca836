import VitalsCore

extension EngineMemory {
    /// The crossings of `e` resolved against the limits in force, appended to `out`. Returns
    /// false when some part of `e` depends on time in a way the crossings do not describe (for
    /// example `age(m)` compared with something that is not constant): such a rule must be
    /// evaluated at every tick.
    func compileCrossings(_ e: Expression, into out: inout [TimeCrossing]) -> Bool {
        switch e {
        case .sinceDose, .age:
            // Bare, not compared with a constant.
            return false
        case .compare(_, let a, let b):
            var covered = true
            for (x, y) in [(a, b), (b, a)] {
                switch x {
                case .age(let m):
                    guard let c = constant(y) else { covered = false; continue }
                    out.append(.age(slot: m.storageCode, offset: Int64((c * 1000).rounded())))
                case .sinceDose:
                    guard let c = constant(y) else { covered = false; continue }
                    out.append(.sinceDose(offset: Int64((c * 1000).rounded())))
                default:
                    covered = compileCrossings(x, into: &out) && covered
                }
            }
            return covered
        case .window(_, let m, let ms):
            out.append(.window(slot: m.storageCode, milliseconds: ms))
            return true
        case .count(let m, _, let rhs, let ms):
            // As `crossings`: the window only; a right-hand side that reads time is not described.
            out.append(.window(slot: m.storageCode, milliseconds: ms))
            return !rhs.dependsOnTime
        case .negate(let a), .not(let a), .countLast(_, _, let a, _):
            return compileCrossings(a, into: &out)
        case .arithmetic(_, let a, let b), .and(let a, let b), .or(let a, let b):
            let x = compileCrossings(a, into: &out)
            return compileCrossings(b, into: &out) && x
        default:
            return true
        }
    }

    /// The earliest time after `t` at which one of `crossings` falls, or `nil`. The same times
    /// `crossings(_:_:)` feeds its caller, from the flat list.
    func earliestCrossing(_ crossings: UnsafeBufferPointer<TimeCrossing>, after t: Int64) -> Int64? {
        var best = Int64.max
        @inline(__always) func consider(_ d: Int64) { if d > t, d < best { best = d } }
        for c in crossings {
            switch c {
            case .age(let slot, let offset):
                let ref = histories[slot].lastValidTime ?? 0
                consider(ref + offset)
                consider(ref + offset + 1)
            case .sinceDose(let offset):
                if let d = doseTime?.milliseconds {
                    consider(d + offset)
                    consider(d + offset + 1)
                }
            case .window(let slot, let ms):
                let from = histories[slot].firstIndex(from: now.milliseconds - ms)
                if from < histories[slot].times.count { consider(histories[slot].times[from] + ms + 1) }
            }
        }
        return best == .max ? nil : best
    }
}
