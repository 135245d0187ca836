import VitalsCore

/// What the engine remembers about one metric: recent valid readings (for windows, counts and
/// the baseline), the latest valid reading, and the quality of the latest reading of any kind.
struct MetricHistory {
    /// Times (ms) and values of valid readings, oldest first, from `head`.
    var times: [Int64] = []
    var values: [Double] = []
    var head = 0
    /// The latest valid reading.
    var lastValidTime: Int64?
    var lastValidValue: Double?
    /// Flags of the latest reading, valid or not.
    var lastFlags: QualityFlags = []
    /// The sensor is off (flag or device status), until a reading without the flag or a
    /// sensor-on status arrives.
    var sensorOff = false
    /// The device that last sent this metric.
    var device: String? {
        didSet { if device != oldValue { deviceState = nil } }
    }
    /// That device's connection state, when one was reported (kept here so rules need no lookup).
    var deviceState: ConnectionState?

    var count: Int { times.count - head }

    mutating func append(time: Int64, value: Double) {
        times.append(time)
        values.append(value)
        lastValidTime = time
        lastValidValue = value
    }

    /// Drops readings older than `horizon` before `now`, keeping at least `keep` readings.
    mutating func trim(now: Int64, horizon: Int64, keep: Int) {
        let cutoff = now - horizon
        while head < times.count - keep, times[head] < cutoff { head += 1 }
        // Compact once the dead prefix is large, so memory stays bounded.
        if head > 4096 && head * 2 > times.count {
            times.removeFirst(head)
            values.removeFirst(head)
            head = 0
        }
    }

    /// The index of the first reading at or after `from`.
    func firstIndex(from: Int64) -> Int {
        var lo = head, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] < from { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
