/// A session override names a limit the rule set does not declare (a typo in
/// `--limit spo2_lo=88` must not be ignored silently).
public struct UnknownLimitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The unknown name.
    public var name: String
    /// The nearest declared limit, if one is close.
    public var suggestion: String?

    /// An error for `name`.
    public init(name: String, suggestion: String?) {
        self.name = name
        self.suggestion = suggestion
    }

    public var description: String {
        "unknown limit `\(name)`" + (suggestion.map { "; did you mean `\($0)`?" } ?? "")
    }
}
