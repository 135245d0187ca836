import VitalsCore

extension EngineMemory {
    /// The crossings of `e` resolved against the limits in force, appended to `out`. Returns
    /// false when some part of `e` depends on time in a way the crossings do not describe (for
    /// example `age(m)` compared with something that is not constant): such a rule must be
    /// evaluated at every tick.
    func compileCrossings(_ e: Expression, into out: inout [TimeCrossing]) -> Bool {
        if case .compare(_, let a, let b) = e {
            var covered = true
            for (x, y) in [(a, b), (b, a)] {
                switch x.function?.time {
                case .sinceLastReading?:
                    guard let c = constant(y), let m = x.ownMetric else { covered = false; continue }
                    out.append(.age(slot: m.storageCode, offset: DurationLiteral.saturatedMilliseconds(seconds: c)))
                case .sinceDose?:
                    guard let c = constant(y) else { covered = false; continue }
                    out.append(.sinceDose(offset: DurationLiteral.saturatedMilliseconds(seconds: c)))
                case .window?, .none?, nil:
                    covered = compileCrossings(x, into: &out) && covered
                }
            }
            return covered
        }
        switch e.function?.time {
        case .sinceLastReading?, .sinceDose?:
            // Bare, not compared with a constant.
            return false
        case .window?:
            guard let m = e.ownMetric, let ms = e.ownWindowMilliseconds else { return false }
            out.append(.window(slot: m.storageCode, milliseconds: ms))
            // The window only: an argument that reads time (a count's right-hand side) is not described.
            return !e.children.contains { $0.dependsOnTime }
        case .none?, nil:
            var covered = true
            for c in e.children { covered = compileCrossings(c, into: &out) && covered }
            return covered
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
