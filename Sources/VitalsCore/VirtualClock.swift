import Synchronization

/// A clock that moves only when told to: replay and tests.
///
/// Wall-clock labels are `epoch` plus the virtual time, so a replay of the same input always
/// prints the same `at` values.
public final class VirtualClock: RunClock {
    private let current: Mutex<RunTime>
    /// Wall-clock label of virtual time zero, in milliseconds since 1970-01-01 UTC.
    public let epochMilliseconds: Int64

    /// A virtual clock at zero whose labels start at `epochMilliseconds`.
    public init(epochMilliseconds: Int64 = VirtualClock.defaultEpoch) {
        self.epochMilliseconds = epochMilliseconds
        self.current = Mutex(.zero)
    }

    /// 2026-01-01T09:00:00Z: the default label of a replay's start, as DESIGN.md's examples show.
    public static let defaultEpoch: Int64 = 1_767_258_000_000

    public func now() -> RunTime { current.withLock { $0 } }

    public func wallClock(at time: RunTime) -> Int64 { epochMilliseconds + time.milliseconds }

    /// Moves the clock to `time`; never backwards.
    public func advance(to time: RunTime) {
        current.withLock { if time > $0 { $0 = time } }
    }
}
