import Synchronization

/// The live clock: CLOCK_MONOTONIC since construction for rules (durations, holds, deadlines),
/// the wall clock read at the event for labels.
///
/// At speed 1, `wallClock(at:)` reads the wall clock now and subtracts how long ago `time` was
/// on the monotonic clock: a label is the wall time when the event happened, so a clock step
/// (NTP, `date -s`) changes the labels of later events, never earlier ones, and rule timing
/// does not move. `detectStep()` reports such a step so it can be logged with its size.
///
/// `speed` compresses time for the demo and simulations (120: two hours of run time pass in a
/// minute); labels then advance by run time from the wall time at start, so a compressed
/// session's stored times read as the session it simulates. Live monitoring uses speed 1.
public struct MonotonicRunClock: RunClock {
    private let startNanos: Int64
    private let startWallMillis: Int64
    private let wall: any WallClock
    private let monotonic: any MonotonicSource
    private let steps: StepTracker
    /// How many run-time seconds pass in one real second.
    public let speed: Double

    /// The smallest jump of wall time against monotonic time reported as a step, ms. Smaller
    /// drifts (NTP slewing, scheduling jitter between the two reads) are not steps.
    public static let stepThresholdMilliseconds: Int64 = 2000

    /// A clock whose zero is now.
    public init(
        speed: Double = 1, wall: any WallClock = SystemWallClock(), monotonic: any MonotonicSource = SystemMonotonicSource()
    ) {
        precondition(speed > 0, "speed must be positive")
        self.speed = speed
        self.wall = wall
        self.monotonic = monotonic
        startNanos = monotonic.nowNanoseconds()
        startWallMillis = wall.nowMilliseconds()
        steps = StepTracker()
    }

    public func now() -> RunTime {
        let elapsed = monotonic.nowNanoseconds() - startNanos
        if speed == 1 { return RunTime(milliseconds: elapsed / 1_000_000) }
        return RunTime(milliseconds: Int64((Double(elapsed) / 1_000_000 * speed).rounded(.down)))
    }

    public func wallClock(at time: RunTime) -> Int64 {
        guard speed == 1 else { return startWallMillis + time.milliseconds }
        let age = now().milliseconds - time.milliseconds
        return wall.nowMilliseconds() - age
    }

    /// The run time whose label is `wallMilliseconds` (for events recorded by wall clock, such
    /// as a dose entered with `vitals session dose`), by today's wall clock.
    public func runTime(atWallClock wallMilliseconds: Int64) -> RunTime {
        guard speed == 1 else { return RunTime(milliseconds: wallMilliseconds - startWallMillis) }
        return RunTime(milliseconds: now().milliseconds - (wall.nowMilliseconds() - wallMilliseconds))
    }

    /// The wall clock's step since the last call (or since start), ms, positive when it jumped
    /// forward; nil when wall time and monotonic time still agree within
    /// `stepThresholdMilliseconds`. Call it on every tick and log a host event with the size.
    ///
    /// Copies of a clock share the tracker, so a step is reported once.
    public func detectStep() -> Int64? {
        let elapsedMillis = (monotonic.nowNanoseconds() - startNanos) / 1_000_000
        let offset = wall.nowMilliseconds() - (startWallMillis + elapsedMillis)
        return steps.observe(offset: offset, threshold: Self.stepThresholdMilliseconds)
    }

    /// Host wall-clock time now, in milliseconds since 1970-01-01 UTC.
    public static func realtimeMillis() -> Int64 { SystemWallClock().nowMilliseconds() }
}

/// The offset of the wall clock from start-wall + monotonic last seen, shared by a clock's copies.
final class StepTracker: Sendable {
    private let lastOffset = Mutex<Int64>(0)

    /// The change of `offset` since the last step reported, if larger than `threshold`.
    func observe(offset: Int64, threshold: Int64) -> Int64? {
        lastOffset.withLock { last in
            let step = offset - last
            guard abs(step) > threshold else { return nil }
            last = offset
            return step
        }
    }
}
