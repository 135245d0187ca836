import VitalsCore

/// What a backtest found for one stored session.
public struct BacktestSessionResult: Sendable {
    /// The session's id.
    public var sessionID: Int64
    /// Its room.
    public var room: String
    /// Time with at least one device streaming (see `Backtest`), in milliseconds.
    public var monitoredMilliseconds: Int64
    /// Per rule: the backtested set's rules in order, then rules recorded live that it lacks.
    public var rules: [BacktestRuleLoad]
    /// The alert events the backtested set gave, in order.
    public var events: [AlertEvent]
    /// The session's own limit overrides that the backtested set does not declare (not applied).
    public var ignoredLimits: [String]

    /// A session's result.
    public init(
        sessionID: Int64, room: String, monitoredMilliseconds: Int64, rules: [BacktestRuleLoad], events: [AlertEvent],
        ignoredLimits: [String]
    ) {
        self.sessionID = sessionID
        self.room = room
        self.monitoredMilliseconds = monitoredMilliseconds
        self.rules = rules
        self.events = events
        self.ignoredLimits = ignoredLimits
    }
}
