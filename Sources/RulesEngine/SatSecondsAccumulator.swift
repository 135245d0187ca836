/// The running SatSeconds index for one (metric, limit) pair (reference D, fact 46).
///
/// Each valid reading adds `(limit - value) x seconds since the previous valid reading`: points
/// below the limit count up, points above count down the same way, and the index never goes
/// below zero. The Nellcor manuals' worked example (88 % for 2 s, 86 % for 3 s, 84 % for 6 s
/// against 90 %) is followed, not GE's (which adds 2 for 89 % against 90 %); the sources differ
/// by one point and this is the plainer reading. A reading after a gap of more than
/// `maxGapMilliseconds` (or the first one) counts for one second, the oximeters' update period,
/// so a data gap neither inflates nor drains the index.
struct SatSecondsAccumulator {
    static let maxGapMilliseconds: Int64 = 5000
    var value: Double = 0
    var lastTime: Int64?

    mutating func add(value v: Double, at t: Int64, limit: Double) {
        var dt = 1.0
        if let last = lastTime, t - last <= Self.maxGapMilliseconds { dt = Double(t - last) / 1000 }
        lastTime = t
        value = max(0, value + (limit - v) * dt)
    }
}
