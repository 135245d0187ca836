/// How long to wait between attempts to reopen a port that went away: exponential, capped.
public struct ReconnectBackoff: Sendable, Hashable {
    /// The wait before the first attempt after a disconnect.
    public var initial: Duration
    /// The factor each failed attempt multiplies the wait by.
    public var multiplier: Int
    /// The longest wait: a replugged device is found within this even without a udev event.
    public var maximum: Duration

    /// A backoff; the default waits 0.5, 1, 2, 4, 5, 5, … seconds.
    public init(initial: Duration = .milliseconds(500), multiplier: Int = 2, maximum: Duration = .seconds(5)) {
        self.initial = initial
        self.multiplier = max(1, multiplier)
        self.maximum = maximum
    }

    /// The wait before attempt number `failures + 1` after `failures` failed ones.
    public func delay(afterFailures failures: Int) -> Duration {
        var delay = initial
        for _ in 0..<max(0, failures) {
            delay = delay * multiplier
            if delay >= maximum { return maximum }
        }
        return min(delay, maximum)
    }
}
