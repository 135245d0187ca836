/// A point on a run's clock, in milliseconds since the run started.
///
/// Integer milliseconds keep replay deterministic (no floating-point drift over a two-hour
/// session) and make `t` in JSON lines exact.
public struct RunTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Milliseconds since the start of the run.
    public var milliseconds: Int64

    /// A point `milliseconds` after the start of the run.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// A point `seconds` after the start of the run, rounded to the millisecond.
    public init(seconds: Double) { self.milliseconds = Int64((seconds * 1000).rounded()) }

    /// The start of the run.
    public static let zero = RunTime(milliseconds: 0)

    /// Seconds since the start of the run.
    public var seconds: Double { Double(milliseconds) / 1000 }

    public static func < (a: RunTime, b: RunTime) -> Bool { a.milliseconds < b.milliseconds }

    /// This point moved by `duration`.
    public func advanced(by duration: Duration) -> RunTime {
        RunTime(milliseconds: milliseconds + duration.milliseconds)
    }

    /// The duration from `other` to this point.
    public func since(_ other: RunTime) -> Duration { .milliseconds(milliseconds - other.milliseconds) }

    public var description: String { "t=\(seconds)" }
}

extension Duration {
    /// Whole milliseconds in this duration (truncated toward zero).
    public var milliseconds: Int64 {
        let (s, atto) = components
        return s * 1000 + atto / 1_000_000_000_000_000
    }

    /// This duration in seconds as a floating-point number.
    public var secondsDouble: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
