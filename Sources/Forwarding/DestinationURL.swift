import Foundation

/// A `--to` URL taken apart: scheme, host, port, path, query and credentials.
public struct DestinationURL: Sendable, Hashable, CustomStringConvertible {
    /// Lowercased (`mllp`, `mllps`, `file`, `postgres`).
    public var scheme: String
    public var user: String?
    public var password: String?
    public var host: String?
    public var port: Int?
    /// Percent-decoded.
    public var path: String
    /// The query items in order (`?period=1s&app=WARD3`).
    public var query: [(name: String, value: String)]
    /// The URL as given.
    public var original: String

    public init(_ text: String) throws(ForwardingError) {
        guard let c = URLComponents(string: text), let scheme = c.scheme, !scheme.isEmpty else {
            throw .badURL(text, reason: "not a URL (expected scheme://host:port, e.g. mllp://127.0.0.1:2575)")
        }
        self.scheme = scheme.lowercased()
        user = c.user
        password = c.password
        host = c.host.flatMap { $0.isEmpty ? nil : $0 }
        port = c.port
        path = c.path
        query = (c.queryItems ?? []).map { ($0.name, $0.value ?? "") }
        original = text
    }

    /// The URL without user and password: the cursor key and what logs print.
    public var redacted: String {
        var c = URLComponents()
        c.scheme = scheme
        c.host = host
        c.port = port
        c.path = path
        if !query.isEmpty { c.queryItems = query.map { URLQueryItem(name: $0.name, value: $0.value) } }
        // URLComponents prints "file:/x" without an authority; keep the conventional "file:///x".
        if host == nil { return "\(scheme)://\(path)" + (c.percentEncodedQuery.map { "?" + $0 } ?? "") }
        return c.string ?? "\(scheme)://\(host ?? ""):\(port.map(String.init) ?? "")\(path)"
    }

    public var description: String { redacted }

    /// The value of query parameter `name`, when given.
    public func parameter(_ name: String) -> String? {
        query.last(where: { $0.name == name })?.value
    }

    public static func == (a: DestinationURL, b: DestinationURL) -> Bool { a.original == b.original }
    public func hash(into h: inout Hasher) { h.combine(original) }
}
