/// What went wrong while forwarding, with what the user needs to fix it.
public enum ForwardingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A `--to` URL that cannot be used.
    case badURL(String, reason: String)
    /// No destination handles this scheme.
    case unsupportedScheme(String, url: String)
    /// A destination could not be reached or did not confirm (retried with backoff).
    case deliveryFailed(destination: String, reason: String)
    /// `--once` made no progress to a destination for this long and gave up.
    case gaveUp(destination: String, seconds: Int, lastError: String)

    public var description: String {
        switch self {
        case let .badURL(url, reason): "bad --to \"\(url)\": \(reason)"
        case let .unsupportedScheme(scheme, url):
            "bad --to \"\(url)\": no destination for scheme \"\(scheme)\" (use \(DestinationFactory.schemes.joined(separator: ", ")))"
        case let .deliveryFailed(destination, reason): "\(destination): \(reason)"
        case let .gaveUp(destination, seconds, lastError):
            "\(destination): no progress for \(seconds) s, giving up (last error: \(lastError))"
        }
    }
}
