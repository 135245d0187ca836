/// A duration that could not be read, with what is wrong and how to write it.
public struct DurationTextError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text as given.
    public var text: String
    /// What is wrong, with an example of the right form.
    public var reason: String

    /// An error for `text`.
    public init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }

    public var description: String { "'\(text)' is not a duration: \(reason)" }
}
