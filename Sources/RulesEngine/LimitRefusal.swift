/// A limit value the rule set refuses: a session override (`--limit`, or one stored with a
/// session) that names no limit, is not a finite number, lies outside the limit's range, or sets
/// a limit the file does not let a session change.
public struct LimitRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why a value is refused.
    public enum Reason: Sendable, Hashable {
        /// No limit has this name; `suggestion` is the nearest declared one, if close.
        case unknown(suggestion: String?)
        /// NaN or infinite.
        case notFinite
        /// Outside the limit's declared range (in the limit's unit; seconds for durations).
        case outOfRange(ClosedRange<Double>)
        /// The limit is defined by the file's `rems:` section and cannot be overridden.
        case notOverridable
    }

    /// The limit's name as given.
    public var name: String
    /// The value as given (in the limit's unit; seconds for durations).
    public var value: Double
    /// Why it is refused.
    public var reason: Reason
    /// The limit, when the name is known.
    public var limit: Limit?

    /// A refusal.
    public init(name: String, value: Double, reason: Reason, limit: Limit?) {
        self.name = name
        self.value = value
        self.reason = reason
        self.limit = limit
    }

    /// The value as the rule file would write it (`30s`, `88 %`).
    public var valueText: String { limit?.text(value) ?? givenText }

    /// The value as a plain number, as `--limit` takes it (`88`, `1e+300`, seconds for durations).
    public var givenText: String {
        value.isFinite && value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    /// Why, in one clause: "`stale_spo2` must be 1ms to 24h, not 1e+300 s".
    public var reasonText: String {
        switch reason {
        case .unknown(let suggestion):
            return "unknown limit `\(name)`" + (suggestion.map { "; did you mean `\($0)`?" } ?? "")
        case .notFinite:
            return "`\(name)` must be a finite number, not \(value)"
        case .outOfRange:
            return "`\(name)` must be \(limit?.rangeText ?? "in range"), not \(valueText)"
        case .notOverridable:
            return "`\(name)` is set by the rule file's `rems:` section and cannot be changed per session"
        }
    }

    /// `limit stale_spo2=1e+300 refused: ...`.
    public var description: String { "limit \(name)=\(givenText) refused: \(reasonText)" }

    /// What a room running a stored session reports as a technical alert: the refused value
    /// and the default it runs on instead ("session limit stale_spo2=1e+300 refused: `stale_spo2`
    /// must be 1ms to 24h, not 1e+300 s; running on the rule default 25s"). For an unknown name
    /// there is no default: the value is kept for the record only.
    public var sessionAlertMessage: String {
        let fallback = limit.map { "running on the rule default \($0.text($0.defaultValue))" }
            ?? "kept for the record only"
        return "session limit \(name)=\(givenText) refused: \(reasonText); \(fallback)"
    }
}
