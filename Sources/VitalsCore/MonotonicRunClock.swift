#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The live clock: CLOCK_MONOTONIC since construction for rules, CLOCK_REALTIME for labels.
public struct MonotonicRunClock: RunClock {
    private let startNanos: Int64
    private let startWallMillis: Int64

    /// A clock whose zero is now.
    public init() {
        startNanos = Self.monotonicNanos()
        startWallMillis = Self.realtimeMillis()
    }

    public func now() -> RunTime {
        RunTime(milliseconds: (Self.monotonicNanos() - startNanos) / 1_000_000)
    }

    public func wallClock(at time: RunTime) -> Int64 { startWallMillis + time.milliseconds }

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
