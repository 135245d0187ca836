import Logging
import Store

/// What every destination may need besides its URL.
public struct DestinationContext: Sendable {
    /// The room database (dead letters are parked in it).
    public var database: VitalsDatabase
    /// The forwarder's settings (periods, timeouts, tries).
    public var configuration: ForwarderConfiguration
    public var logger: Logger

    public init(database: VitalsDatabase, configuration: ForwarderConfiguration, logger: Logger) {
        self.database = database
        self.configuration = configuration
        self.logger = logger
    }
}

/// Makes the destination a `--to` URL names, by its scheme: one line per scheme.
public enum DestinationFactory {
    /// The schemes `make` knows, for error messages and `--help`.
    public static let schemes = ["mllp", "mllps", "file", "postgres", "postgresql"]

    public static func make(_ text: String, context: DestinationContext) throws -> any ForwardDestination {
        let url = try DestinationURL(text)
        switch url.scheme {
        case "file": return try FileDestination(url: url)
        case "mllp", "mllps": return try MLLPDestination(url: url, context: context)
        case "postgres", "postgresql": return try PostgresDestination(url: url, context: context)
        default: throw ForwardingError.unsupportedScheme(url.scheme, url: url.redacted)
        }
    }
}
