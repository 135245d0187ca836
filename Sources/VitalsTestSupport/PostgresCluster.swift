import Foundation
import Glibc

/// A throwaway PostgreSQL cluster for tests (TESTING.md): `initdb` into a temporary directory,
/// the server on 127.0.0.1 and a free port, its socket in the same directory, stopped and
/// removed when the value is dropped (or by `destroy()`).
///
/// PostgreSQL refuses to run as root, and CI runs as root: then every server command runs as
/// the `postgres` user through `runuser`, and the directory is handed to that user. Over TCP the
/// server asks for a password (SCRAM) so tests can exercise a wrong one; over its socket it
/// trusts, for `createdb`.
public final class PostgresCluster: @unchecked Sendable {
    /// The login every test uses and its password.
    public static let user = "vitals"
    public static let password = "vitals-test-password"

    public let directory: String
    public let port: Int
    let bin: String
    let asPostgres: Bool
    private var stopped = false

    /// Whether a PostgreSQL server is installed here (the tests that need one say so when not).
    public static var binaryDirectory: String? {
        guard let versions = try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql") else { return nil }
        for v in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let bin = "/usr/lib/postgresql/\(v)/bin"
            if FileManager.default.isExecutableFile(atPath: bin + "/pg_ctl") { return bin }
        }
        return nil
    }

    /// Whether the server offers TLS (a self-signed certificate made with `openssl`).
    public let tls: Bool

    /// A new cluster, started; with `tls`, offering TLS with a fresh self-signed certificate.
    public init(tls: Bool = false) throws {
        self.tls = tls
        guard let bin = Self.binaryDirectory else { throw ClusterError("PostgreSQL is not installed (scripts/install-deps.sh installs it)") }
        self.bin = bin
        asPostgres = geteuid() == 0
        var template = Array("/tmp/vitals-pg-XXXXXX".utf8CString)
        guard let p = mkdtemp(&template) else { throw ClusterError("mkdtemp failed") }
        directory = String(cString: p)
        port = try Self.freePort()
        if asPostgres { try Self.command("/bin/chown", ["postgres:postgres", directory]) }
        let pwfile = directory + "/pw"
        try Self.password.write(toFile: pwfile, atomically: false, encoding: .utf8)
        if asPostgres { try Self.command("/bin/chown", ["postgres:postgres", pwfile]) }
        try server(
            "initdb",
            ["-D", directory + "/data", "-U", Self.user, "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--no-sync"])
        if tls {
            try Self.command(
                "/usr/bin/openssl",
                ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                 "-keyout", directory + "/server.key", "-out", directory + "/server.crt"])
            chmod(directory + "/server.key", 0o600)
            if asPostgres { try Self.command("/bin/chown", ["postgres:postgres", directory + "/server.key", directory + "/server.crt"]) }
        }
        try start()
    }

    /// `postgres://vitals:PASSWORD@127.0.0.1:PORT/DATABASE?sslmode=disable`.
    public func url(database: String, password: String? = PostgresCluster.password) -> String {
        let pass = password.map { ":" + $0 } ?? ""
        return "postgres://\(Self.user)\(pass)@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Creates a database.
    public func createDatabase(_ name: String) throws {
        try server("createdb", ["-h", directory, "-p", String(port), "-U", Self.user, name])
    }

    /// Runs SQL through `psql` over the socket and returns what it printed (unaligned, tuples only).
    public func psql(_ database: String, _ sql: String) throws -> String {
        try server("psql", ["-h", directory, "-p", String(port), "-U", Self.user, "-d", database, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql])
    }

    /// Starts the server (again).
    public func start() throws {
        try server(
            "pg_ctl",
            ["-D", directory + "/data", "-o", "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off" + sslOptions, "-l", directory + "/log", "-w", "start"])
        stopped = false
    }

    var sslOptions: String {
        tls ? " -c ssl=on -c ssl_cert_file=\(directory)/server.crt -c ssl_key_file=\(directory)/server.key" : ""
    }

    /// Stops the server (`-m fast`: connections are closed, like a server shutting down).
    public func stop() throws {
        try server("pg_ctl", ["-D", directory + "/data", "-m", "fast", "-w", "stop"])
        stopped = true
    }

    /// Stops the server if it runs and removes the directory.
    public func destroy() {
        if !stopped { _ = try? server("pg_ctl", ["-D", directory + "/data", "-m", "immediate", "-w", "stop"]) }
        stopped = true
        try? FileManager.default.removeItem(atPath: directory)
    }

    deinit { destroy() }

    @discardableResult
    func server(_ tool: String, _ args: [String]) throws -> String {
        if asPostgres { return try Self.command("/usr/sbin/runuser", ["-u", "postgres", "--", bin + "/" + tool] + args) }
        return try Self.command(bin + "/" + tool, args)
    }

    @discardableResult
    static func command(_ path: String, _ args: [String]) throws -> String {
        // Through /bin/sh with output to a file: Foundation's Process can wait forever on Linux
        // when the child leaves a daemon behind (`pg_ctl start`), and a pipe would stay open in
        // the server.
        let outPath = NSTemporaryDirectory() + "vitals-pg-out-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        let quoted = ([path] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let status = system(quoted + " </dev/null >'\(outPath)' 2>&1")
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        guard status == 0 else { throw ClusterError("\(path) \(args.joined(separator: " ")): \(text)") }
        return text
    }

    /// A port nobody listens on now: bind port 0 on 127.0.0.1 and read what the kernel gave.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClusterError("socket failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw ClusterError("bind failed") }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    public struct ClusterError: Error, CustomStringConvertible {
        public var description: String
        init(_ d: String) { description = d }
    }
}
