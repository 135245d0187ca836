import VitalsCore

/// A backtest over one or more stored sessions: each session's result and the totals per rule.
public struct BacktestReport: Sendable {
    /// Each session backtested, in the order asked.
    public var sessions: [BacktestSessionResult]

    /// A report.
    public init(sessions: [BacktestSessionResult]) {
        self.sessions = sessions
    }

    /// Monitored time over every session, in milliseconds.
    public var monitoredMilliseconds: Int64 { sessions.reduce(0) { $0 + $1.monitoredMilliseconds } }

    /// Per rule over every session: counts summed, per hour over the total monitored time. Rules
    /// in the order of the first session's list, then any that only later sessions name.
    public var totals: [BacktestRuleLoad] {
        var order: [String] = []
        var byRule: [String: BacktestRuleLoad] = [:]
        let total = monitoredMilliseconds
        for s in sessions {
            for r in s.rules {
                if var t = byRule[r.rule] {
                    t.backtest += r.backtest
                    t.recorded += r.recorded
                    t.priority = t.priority ?? r.priority
                    t.kind = t.kind ?? r.kind
                    byRule[r.rule] = t
                } else {
                    order.append(r.rule)
                    var t = r
                    t.monitoredMilliseconds = total
                    byRule[r.rule] = t
                }
            }
        }
        return order.compactMap { byRule[$0] }
    }
}
