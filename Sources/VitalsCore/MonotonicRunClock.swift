#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The live clock: CLOCK_MONOTONIC since construction for rules, CLOCK_REALTIME for labels.
///
/// `speed` compresses time for the demo and simulations (120: two hours of run time pass in a
/// minute); labels then advance by run time too, so a compressed session's stored times read as
/// the session it simulates. Live monitoring uses speed 1.
public struct MonotonicRunClock: RunClock {
    private let startNanos: Int64
    private let startWallMillis: Int64
    /// How many run-time seconds pass in one real second.
    public let speed: Double

    /// A clock whose zero is now.
    public init(speed: Double = 1) {
        precondition(speed > 0, "speed must be positive")
        self.speed = speed
        startNanos = Self.monotonicNanos()
        startWallMillis = Self.realtimeMillis()
    }

    public func now() -> RunTime {
        let elapsed = Self.monotonicNanos() - startNanos
        if speed == 1 { return RunTime(milliseconds: elapsed / 1_000_000) }
        return RunTime(milliseconds: Int64((Double(elapsed) / 1_000_000 * speed).rounded(.down)))
    }

    public func wallClock(at time: RunTime) -> Int64 { startWallMillis + time.milliseconds }

    /// The run time whose label is `wallMilliseconds` (for events recorded by wall clock, such
    /// as a dose entered with `vitals session dose`).
    public func runTime(atWallClock wallMilliseconds: Int64) -> RunTime {
        RunTime(milliseconds: wallMilliseconds - startWallMillis)
    }

    /// Host wall-clock time now, in milliseconds since 1970-01-01 UTC.
    public static func realtimeMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    static func monotonicNanos() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
