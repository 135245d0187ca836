/// The clock rules and the pipeline run on: injected, so replay and tests run on virtual time
/// and the daemon on a monotonic clock. Wall-clock time is only ever a label.
public protocol RunClock: Sendable {
    /// The current point on the run's clock.
    func now() -> RunTime
    /// The host wall-clock label for `time`, in milliseconds since 1970-01-01 UTC.
    func wallClock(at time: RunTime) -> Int64
}
