import VitalsCore

/// Why ending a session now needs `--force`.
public enum EndWarning: Sendable, Hashable, CustomStringConvertible {
    /// The planned observation has not passed: it ends at `until`, `remainingMilliseconds` from now.
    case observationNotOver(until: Int64, remainingMilliseconds: Int64)
    /// The last valid reading of `metric` is outside the session's limit `limit`.
    case outsideLimit(metric: Metric, value: Double, limit: String, limitValue: Double)

    public var description: String {
        switch self {
        case let .observationNotOver(until, remaining):
            "the planned observation is not over: it ends at \(Timestamp.iso8601(milliseconds: until)), "
                + "\(DurationText.readable(milliseconds: remaining)) from now"
        case let .outsideLimit(metric, value, limit, limitValue):
            "the last \(metric.name) (\(NumberText.format(value))\(metric.displayUnit.isEmpty ? "" : " " + metric.displayUnit)) "
                + "is outside the session's limit \(limit)=\(NumberText.format(limitValue))"
        }
    }
}
