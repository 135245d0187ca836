import Foundation
import PostgresNIO

/// Where the central database is and how to log in, read from a `postgres://` URL the way libpq
/// reads one, with libpq's environment (`PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`,
/// `PGPASSWORD`, `PGSSLMODE`) and password file (`PGPASSFILE`, else `~/.pgpass`) filling what the
/// URL leaves out. A password belongs in the password file or the environment, not in a unit's
/// command line, where `ps` shows it.
public struct CentralEndpoint: Sendable, Hashable {
    /// libpq's `sslmode`, reduced to what postgres-nio can do.
    public enum TLSMode: String, Sendable, Hashable {
        /// No TLS.
        case disable
        /// TLS when the server offers it (libpq's `allow` and `prefer`).
        case prefer
        /// TLS or no connection; the certificate is not checked (libpq's `require`).
        case require
        /// TLS with a certificate chain checked against the trust roots, not the host name.
        case verifyCA = "verify-ca"
        /// TLS with the chain and the host name checked.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// `sslrootcert`: a PEM file of trusted roots for `verify-ca` / `verify-full`.
    public var rootCertificatePath: String?

    public init(
        host: String, port: Int = 5432, user: String, password: String? = nil, database: String,
        tls: TLSMode = .prefer, rootCertificatePath: String? = nil
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
        self.rootCertificatePath = rootCertificatePath
    }

    /// The URL with any password replaced by `***`: safe for logs and messages.
    public var redacted: String {
        "postgres://\(user)@\(host):\(port)/\(database)" + (tls == .prefer ? "" : "?sslmode=\(tls.rawValue)")
    }

    /// Reads `text`, a `postgres://` or `postgresql://` URL
    /// (`postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=MODE&sslrootcert=FILE]`).
    /// `environment` stands for the process environment; `home` for `$HOME` (the default
    /// password file is `~/.pgpass`).
    public static func parse(
        _ text: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(CentralError) -> CentralEndpoint {
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw .badURL(text: redact(text), reason: "expected postgres://USER@HOST:PORT/DATABASE")
        }
        let host = nonEmpty(url.percentEncodedHost?.removingPercentEncoding) ?? environment["PGHOST"] ?? "localhost"
        if host.hasPrefix("/") {
            throw .badURL(text: redact(text), reason: "a Unix socket directory as host is not supported; use a TCP host")
        }
        let port = url.port ?? environment["PGPORT"].flatMap(Int.init) ?? 5432
        guard (1...65535).contains(port) else { throw .badURL(text: redact(text), reason: "port \(port) is out of range") }
        let user = nonEmpty(url.percentEncodedUser?.removingPercentEncoding) ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        let database = nonEmpty(path) ?? environment["PGDATABASE"] ?? user
        var query: [String: String] = [:]
        for item in url.queryItems ?? [] { query[item.name] = item.value ?? "" }
        let modeText = query["sslmode"] ?? environment["PGSSLMODE"] ?? "prefer"
        let tls: TLSMode
        switch modeText {
        case "disable": tls = .disable
        case "allow", "prefer": tls = .prefer
        case "require": tls = .require
        case "verify-ca": tls = .verifyCA
        case "verify-full": tls = .verifyFull
        default:
            throw .badURL(text: redact(text), reason: "sslmode '\(modeText)': use disable, prefer, require, verify-ca or verify-full")
        }
        for name in query.keys where !["sslmode", "sslrootcert"].contains(name) {
            throw .badURL(text: redact(text), reason: "unknown parameter '\(name)' (sslmode and sslrootcert are understood)")
        }
        var endpoint = CentralEndpoint(
            host: host, port: port, user: user, password: nil, database: database, tls: tls,
            rootCertificatePath: query["sslrootcert"] ?? environment["PGSSLROOTCERT"])
        endpoint.password = nonEmpty(url.percentEncodedPassword?.removingPercentEncoding)
            ?? environment["PGPASSWORD"]
            ?? PasswordFile.lookup(
                path: environment["PGPASSFILE"] ?? environment["HOME"].map { $0 + "/.pgpass" },
                host: host, port: port, database: database, user: user)
        return endpoint
    }

    /// postgres-nio's configuration for this endpoint.
    public func configuration() throws(CentralError) -> PostgresConnection.Configuration {
        let mode: PostgresConnection.Configuration.TLS
        switch tls {
        case .disable:
            mode = .disable
        case .prefer:
            var c = TLSConfiguration.makeClientConfiguration()
            c.certificateVerification = .none
            mode = .prefer(try context(c))
        case .require:
            var c = TLSConfiguration.makeClientConfiguration()
            c.certificateVerification = .none
            mode = .require(try context(c))
        case .verifyCA, .verifyFull:
            var c = TLSConfiguration.makeClientConfiguration()
            c.certificateVerification = tls == .verifyFull ? .fullVerification : .noHostnameVerification
            if let rootCertificatePath { c.trustRoots = .file(rootCertificatePath) }
            mode = .require(try context(c))
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: mode)
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    private func context(_ c: TLSConfiguration) throws(CentralError) -> NIOSSLContext {
        do { return try NIOSSLContext(configuration: c) } catch {
            throw .tls(endpoint: redacted, reason: "\(error)")
        }
    }

    private static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }

    /// `text` with the password part of its user info replaced by `***`.
    static func redact(_ text: String) -> String {
        guard var url = URLComponents(string: text), url.password != nil else { return text }
        url.password = "***"
        return url.string ?? "(a URL with a password)"
    }
}

/// libpq's password file: `hostname:port:database:username:password` lines, `*` matching
/// anything, `\:` and `\\` escaping; the first matching line wins. Like libpq, a file that group
/// or others can read is ignored (it would leak the password).
enum PasswordFile {
    static func lookup(path: String?, host: String, port: Int, database: String, user: String) -> String? {
        guard let path, let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = attributes[.posixPermissions] as? Int, mode & 0o077 == 0,
            let text = try? String(contentsOfFile: path, encoding: .utf8)
        else { return nil }
        let wanted = [host, String(port), database, user]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = split(String(line))
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// A line's fields, unescaped.
    static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for c in line {
            if escaped {
                current.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current)
        return fields
    }
}
