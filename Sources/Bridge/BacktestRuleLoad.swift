import VitalsCore

/// One rule's alarm load in a backtest: the occurrences the rule set raises on the stored data
/// beside the occurrences recorded live, and both per monitored hour.
public struct BacktestRuleLoad: Sendable, Hashable {
    /// The rule's id.
    public var rule: String
    /// Its priority in the backtested set; `nil` for a rule recorded live that the set lacks.
    public var priority: AlertPriority?
    /// Its kind in the backtested set; `nil` as for `priority`.
    public var kind: AlertKind?
    /// Occurrences the backtested set raised (a re-alarm of the same occurrence counts once).
    public var backtest: Int
    /// Occurrences recorded live (rows of the `alerts` table).
    public var recorded: Int
    /// The monitored time these counts are over, in milliseconds.
    public var monitoredMilliseconds: Int64

    /// A rule's load.
    public init(rule: String, priority: AlertPriority?, kind: AlertKind?, backtest: Int, recorded: Int, monitoredMilliseconds: Int64) {
        self.rule = rule
        self.priority = priority
        self.kind = kind
        self.backtest = backtest
        self.recorded = recorded
        self.monitoredMilliseconds = monitoredMilliseconds
    }

    /// Monitored hours.
    public var monitoredHours: Double { Double(monitoredMilliseconds) / 3_600_000 }
    /// Backtest occurrences per monitored hour; `nil` with no monitored time.
    public var backtestPerHour: Double? { monitoredMilliseconds > 0 ? Double(backtest) / monitoredHours : nil }
    /// Recorded occurrences per monitored hour; `nil` with no monitored time.
    public var recordedPerHour: Double? { monitoredMilliseconds > 0 ? Double(recorded) / monitoredHours : nil }
}
