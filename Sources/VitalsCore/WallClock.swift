#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The host's wall clock (CLOCK_REALTIME), read when an event happens to label it.
///
/// Labels only: it can step (an NTP correction, an operator's `date -s`), so nothing measures a
/// duration with it; rule timing, holds and deadlines use the monotonic clock.
public protocol WallClock: Sendable {
    /// Milliseconds since 1970-01-01 UTC, read now.
    func nowMilliseconds() -> Int64
}

/// CLOCK_REALTIME.
public struct SystemWallClock: WallClock {
    /// The system's wall clock.
    public init() {}

    public func nowMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

/// A wall clock a test sets and steps by hand (shared by reference: every copy sees a step).
public final class ManualWallClock: WallClock {
    private let value: Mutex<Int64>

    /// A clock reading `milliseconds` until it is set or advanced.
    public init(milliseconds: Int64) { value = Mutex(milliseconds) }

    public func nowMilliseconds() -> Int64 { value.withLock { $0 } }

    /// Moves the clock by `milliseconds` (negative: back), as a clock step does.
    public func advance(by milliseconds: Int64) { value.withLock { $0 += milliseconds } }

    /// Sets the clock.
    public func set(_ milliseconds: Int64) { value.withLock { $0 = milliseconds } }
}

/// The monotonic clock the run is timed by, as a source a test can replace.
public protocol MonotonicSource: Sendable {
    /// Nanoseconds on a clock that never steps (CLOCK_MONOTONIC); its zero is arbitrary.
    func nowNanoseconds() -> Int64
}

/// CLOCK_MONOTONIC.
public struct SystemMonotonicSource: MonotonicSource {
    /// The system's monotonic clock.
    public init() {}

    public func nowNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}

/// A monotonic source a test advances by hand.
public final class ManualMonotonicSource: MonotonicSource {
    private let value = Mutex<Int64>(0)

    /// A source at 0 ns.
    public init() {}

    public func nowNanoseconds() -> Int64 { value.withLock { $0 } }

    /// Moves the source forward by `milliseconds`.
    public func advance(milliseconds: Int64) { value.withLock { $0 += milliseconds * 1_000_000 } }
}

/// The system's wall clock moved back by a fixed `offsetMilliseconds`: the demo labels its
/// compressed session with it so that the session lies in the past and its run ends now.
public struct OffsetWallClock: WallClock {
    /// How far behind the system clock it reads, ms.
    public let offsetMilliseconds: Int64

    public init(offsetMilliseconds: Int64) { self.offsetMilliseconds = offsetMilliseconds }

    public func nowMilliseconds() -> Int64 { SystemWallClock().nowMilliseconds() - offsetMilliseconds }
}
