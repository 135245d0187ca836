/// Waits between attempts at the central database: doubling from `initial` up to `maximum`,
/// reset by a success. Sans-IO: it names the delay, the caller sleeps. The cap keeps a room that
/// was cut off for an hour from waiting more than a minute after the server returns; the
/// doubling keeps a room from hammering a server that is down (no busy loop).
public struct CentralBackoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration
    private(set) var next: Duration

    public init(initial: Duration = .milliseconds(500), maximum: Duration = .seconds(30)) {
        self.initial = initial
        self.maximum = maximum
        self.next = initial
    }

    /// The delay before the next attempt after a failure.
    public mutating func failed() -> Duration {
        let delay = next
        next = min(next * 2, maximum)
        return delay
    }

    /// After a success: the next failure waits `initial` again.
    public mutating func succeeded() { next = initial }
}
