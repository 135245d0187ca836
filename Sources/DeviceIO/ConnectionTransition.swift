import VitalsCore

/// One change of a device connection's state: what the caller stores as a device event and
/// feeds to the rules engine.
public struct ConnectionTransition: Sendable, Hashable, CustomStringConvertible {
    /// The state before.
    public var from: ConnectionState
    /// The state after.
    public var to: ConnectionState
    /// When it happened, on the run's clock.
    public var at: RunTime
    /// Why, in words for the log and the event record ("no valid frame for 6.0 s").
    public var reason: String

    /// A transition.
    public init(from: ConnectionState, to: ConnectionState, at: RunTime, reason: String) {
        self.from = from
        self.to = to
        self.at = at
        self.reason = reason
    }

    /// `t=12.0 streaming -> quiet: no valid frame for 6.0 s`.
    public var description: String { "\(at) \(from.rawValue) -> \(to.rawValue): \(reason)" }
}
