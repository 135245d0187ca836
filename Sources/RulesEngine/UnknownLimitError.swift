/// A session override names a limit the rule set does not declare (a typo in
/// `--limit spo2_lo=88` must not be ignored silently), or gives it a value out of range
/// (`--limit stale_spo2=1e300`).
public struct UnknownLimitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The unknown (or out-of-range) limit's name.
    public var name: String
    /// The nearest declared limit, if one is close.
    public var suggestion: String?
    /// Set when the limit exists but the value is out of range: what the range is.
    public var outOfRange: String?

    /// An error for `name`.
    public init(name: String, suggestion: String?) {
        self.name = name
        self.suggestion = suggestion
        self.outOfRange = nil
    }

    /// An error for a declared limit given a value out of range.
    public init(name: String, outOfRange: String) {
        self.name = name
        self.suggestion = nil
        self.outOfRange = outOfRange
    }

    public var description: String {
        if let outOfRange { return "limit `\(name)`: \(outOfRange)" }
        return "unknown limit `\(name)`" + (suggestion.map { "; did you mean `\($0)`?" } ?? "")
    }
}
