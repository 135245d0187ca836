import VitalsCore

extension RuleEngine {
    /// The earliest time after `now` at which some alert could change state with no new input:
    /// a hold, clear hold, escalation or re-alarm running out, `age(m)` or `since_dose` crossing
    /// a constant it is compared with, or a reading leaving a window. The pipeline ticks then
    /// (and at least every second). `nil` when nothing is waiting on time.
    public var nextDeadline: RunTime? {
        let t = memory.now.milliseconds
        var best: Int64?
        func consider(_ d: Int64) { if d > t, best == nil || d < best! { best = d } }
        for i in rules.rules.indices {
            if let d = timerDeadline(i) { consider(d) }
            let r = timing[i]
            if r.whenDependsOnTime { memory.crossings(rules.rules[i].when, consider) }
            if r.clearDependsOnTime, let c = rules.rules[i].clear { memory.crossings(c, consider) }
        }
        return best.map { RunTime(milliseconds: $0) }
    }
}
