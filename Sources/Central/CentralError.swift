import PostgresNIO

/// What can go wrong with the central database, each with a message a person can act on.
/// postgres-nio's own errors print a generic text on purpose (they can carry data), so
/// `CentralError.describe` reads the SQLSTATE and the server's message out of them.
public enum CentralError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The URL cannot be read.
    case badURL(text: String, reason: String)
    /// The TLS settings cannot be used.
    case tls(endpoint: String, reason: String)
    /// Connecting or logging in failed.
    case connect(endpoint: String, reason: String)
    /// A statement failed.
    case query(endpoint: String, reason: String)
    /// The database has a schema newer than this program knows.
    case schemaTooNew(endpoint: String, found: Int, known: Int)
    /// The database has no central schema yet.
    case notInitialised(endpoint: String)

    public var description: String {
        switch self {
        case .badURL(let text, let reason): "central database URL '\(text)': \(reason)"
        case .tls(let endpoint, let reason): "\(endpoint): TLS: \(reason)"
        case .connect(let endpoint, let reason): "cannot connect to \(endpoint): \(reason)"
        case .query(let endpoint, let reason): "\(endpoint): \(reason)"
        case .schemaTooNew(let endpoint, let found, let known):
            "\(endpoint): the central schema is at version \(found), newer than this vitals knows (\(known)); update vitals"
        case .notInitialised(let endpoint):
            "\(endpoint): no central schema; run `vitals central init --url URL` first"
        }
    }

    /// True when retrying cannot help until someone changes something (the URL, the password,
    /// the schema): the caller still retries with backoff, but says so loudly.
    public var needsAttention: Bool {
        switch self {
        case .badURL, .tls, .schemaTooNew, .notInitialised: true
        case .connect(_, let reason): reason.contains("password") || reason.contains("does not exist") || reason.contains("not permitted")
        case .query: false
        }
    }

    /// A one-line reason for `error`, from postgres-nio's error when it is one.
    public static func describe(_ error: any Error) -> String {
        if let e = error as? CentralError { return e.description }
        if let e = error as? PostgresTransactionError {
            if let inner = e.closureError { return describe(inner) }
            if let inner = e.commitError { return "commit failed: " + describe(inner) }
            if let inner = e.beginError { return describe(inner) }
        }
        if let e = error as? PSQLError {
            if let server = e.serverInfo {
                let state = server[.sqlState] ?? ""
                let message = server[.message] ?? "server error"
                switch state {
                case "28P01": return "password authentication failed (\(message)); check the password in PGPASSFILE or PGPASSWORD"
                case "28000": return "login not permitted: \(message)"
                case "3D000": return "\(message): create it (createdb) before `vitals central init`"
                default: return "\(message) (SQLSTATE \(state))"
                }
            }
            switch e.code {
            case .connectionError, .serverClosedConnection, .uncleanShutdown:
                return "connection lost or refused" + (e.underlying.map { ": \($0)" } ?? "")
            case .authMechanismRequiresPassword:
                return "the server asks for a password and none was given (put it in PGPASSFILE or PGPASSWORD)"
            case .sslUnsupported:
                return "the server does not offer TLS, and sslmode asks for it"
            default:
                return "\(e.code)" + (e.underlying.map { ": \($0)" } ?? "")
            }
        }
        return "\(error)"
    }
}
