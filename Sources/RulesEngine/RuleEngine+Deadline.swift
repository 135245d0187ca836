import VitalsCore

extension RuleEngine {
    /// The earliest time after `now` at which some alert could change state with no new input:
    /// a hold, clear hold, escalation or re-alarm running out, `age(m)` or `since_dose` crossing
    /// a constant it is compared with, or a reading leaving a window. The pipeline ticks then
    /// (and at least every second). `nil` when nothing is waiting on time.
    public var nextDeadline: RunTime? {
        let t = memory.now.milliseconds
        var best = Int64.max
        // The crossings compiled at load give the times `EngineMemory.crossings` finds in the
        // expression trees, without walking them (which retained every node on every call).
        code.crossings.withUnsafeBufferPointer { c in
            for i in 0..<timing.count {
                if !machines[i].isInactive, let d = timerDeadline(i), d > t, d < best { best = d }
                guard timing[i].dependsOnTime else { continue }
                // Known since the rule was last evaluated and still ahead: it is the earliest
                // crossing after now too (none fell in between, so none moved).
                let known = unchangedUntil[i]
                if known > t && code.timeCovered[i] {
                    if known < best { best = known }
                } else if let d = memory.earliestCrossing(UnsafeBufferPointer(rebasing: c[code.crossingRanges[i]]), after: t), d < best {
                    best = d
                }
            }
        }
        return best == .max ? nil : RunTime(milliseconds: best)
    }
}
