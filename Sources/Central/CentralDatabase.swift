import Logging
import PostgresNIO

/// One connection to the central database: migrations, batched idempotent upserts, the
/// heartbeat. Not shared between tasks: each user (a forwarder destination, a tail, a board)
/// opens its own.
public final class CentralDatabase: Sendable {
    public let endpoint: CentralEndpoint
    let connection: PostgresConnection
    let logger: Logger

    /// Most values one statement may bind is 65535 (the protocol's 16-bit count); a batch is
    /// split into statements well below it.
    static let maximumBinds = 30_000

    private init(endpoint: CentralEndpoint, connection: PostgresConnection, logger: Logger) {
        self.endpoint = endpoint
        self.connection = connection
        self.logger = logger
    }

    /// Connects once; a failure is a `CentralError.connect` with a reason a person can act on.
    public static func connect(_ endpoint: CentralEndpoint, logger: Logger = Logger(label: "vitals.central")) async throws(CentralError) -> CentralDatabase {
        let configuration = try endpoint.configuration()
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            return CentralDatabase(endpoint: endpoint, connection: connection, logger: logger)
        } catch {
            throw .connect(endpoint: endpoint.redacted, reason: CentralError.describe(error))
        }
    }

    /// Connects, retrying with `CentralBackoff` until it succeeds or the task is cancelled;
    /// `report` receives each failure's message and the delay before the next attempt (a
    /// failure that repeats is reported once, then again when it changes).
    public static func connectRetrying(
        _ endpoint: CentralEndpoint, logger: Logger = Logger(label: "vitals.central"),
        report: @Sendable (String, Duration) -> Void
    ) async throws -> CentralDatabase {
        var backoff = CentralBackoff()
        var last: String?
        while true {
            do {
                return try await connect(endpoint, logger: logger)
            } catch {
                let delay = backoff.failed()
                if error.description != last { report(error.description, delay) }
                last = error.description
                try await Task.sleep(for: delay)
            }
        }
    }

    /// Closes the connection.
    public func close() async {
        try? await connection.close()
    }

    /// True once the server or the network closed the connection: open a new one.
    public var isClosed: Bool { connection.isClosed }

    /// Runs `query`, turning postgres-nio's errors into `CentralError.query`.
    @discardableResult
    func run(_ query: PostgresQuery, on c: PostgresConnection? = nil) async throws(CentralError) -> [PostgresRow] {
        do {
            return try await (c ?? connection).query(query, logger: logger).collect()
        } catch {
            throw .query(endpoint: endpoint.redacted, reason: CentralError.describe(error))
        }
    }

    /// In one transaction (commit or nothing).
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(CentralError) -> T {
        do {
            return try await connection.withTransaction(logger: logger) { c in try await body(c) }
        } catch {
            throw .query(endpoint: endpoint.redacted, reason: CentralError.describe(error))
        }
    }

    // MARK: Schema

    /// The schema version the database is at (0: none).
    public func schemaVersion() async throws(CentralError) -> Int {
        let exists = try await run("SELECT to_regclass('schema_migrations') IS NOT NULL")
        guard let row = exists.first, (try? row.decode(Bool.self)) == true else { return 0 }
        let rows = try await run("SELECT coalesce(max(version), 0) FROM schema_migrations")
        return Int((try? rows.first?.decode(Int32.self)) ?? 0)
    }

    /// Applies the migrations the database lacks, each in its own transaction under an advisory
    /// lock (two `central init` at once do not both apply one); returns the versions applied.
    @discardableResult
    public func migrate() async throws(CentralError) -> [Int] {
        try await transaction { c in
            try await c.query("SELECT pg_advisory_xact_lock(7314001)", logger: self.logger)
            try await c.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """, logger: self.logger)
            let rows = try await c.query("SELECT version FROM schema_migrations", logger: self.logger).collect()
            let applied = Set(try rows.map { Int(try $0.decode(Int32.self)) })
            if let newest = applied.max(), newest > CentralSchema.latestVersion {
                throw CentralError.schemaTooNew(endpoint: self.endpoint.redacted, found: newest, known: CentralSchema.latestVersion)
            }
            var done: [Int] = []
            for m in CentralSchema.migrations where !applied.contains(m.version) {
                for statement in CentralSchema.statements(m.sql) {
                    try await c.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
                try await c.query("INSERT INTO schema_migrations(version, name) VALUES (\(Int32(m.version)), \(m.name))", logger: self.logger)
                done.append(m.version)
            }
            return done
        }
    }

    /// Throws `notInitialised` or `schemaTooNew` unless the schema is the one this program knows.
    public func requireSchema() async throws(CentralError) {
        let version = try await schemaVersion()
        if version == 0 { throw .notInitialised(endpoint: endpoint.redacted) }
        if version > CentralSchema.latestVersion {
            throw .schemaTooNew(endpoint: endpoint.redacted, found: version, known: CentralSchema.latestVersion)
        }
        if version < CentralSchema.latestVersion { throw .notInitialised(endpoint: endpoint.redacted) }
    }

    // MARK: Writing

    /// Writes `batch` in one transaction: the room, its rows (a row already there is skipped, or
    /// updated where it may change), and the heartbeat. Returns after COMMIT; a resend of the same
    /// batch changes nothing.
    public func write(_ batch: CentralBatch) async throws(CentralError) {
        try await transaction { c in
            try await c.query(
                """
                INSERT INTO rooms(room_id, name) VALUES (\(batch.room.id), \(batch.room.name))
                ON CONFLICT (room_id) DO UPDATE SET name = EXCLUDED.name WHERE rooms.name <> EXCLUDED.name
                """, logger: self.logger)
            try await self.upsert(batch.sessions, room: batch.room.id, on: c)
            try await self.upsert(batch.devices, room: batch.room.id, on: c)
            try await self.upsert(batch.alerts, room: batch.room.id, on: c)
            try await self.upsert(batch.readings, room: batch.room.id, on: c)
            try await self.upsert(batch.deviceEvents, room: batch.room.id, on: c)
            try await self.upsert(batch.alertEvents, room: batch.room.id, on: c)
            try await self.upsert(batch.sessionEvents, room: batch.room.id, on: c)
            try await self.heartbeat(room: batch.room.id, lagRows: batch.lagRows, lagSeconds: batch.lagSeconds, on: c)
        }
    }

    /// Records that the room's forwarder is alive, with what it still has to send.
    public func heartbeat(room: CentralRoom, lagRows: Int64, lagSeconds: Double) async throws(CentralError) {
        try await transaction { c in
            try await c.query(
                "INSERT INTO rooms(room_id, name) VALUES (\(room.id), \(room.name)) ON CONFLICT (room_id) DO NOTHING",
                logger: self.logger)
            try await self.heartbeat(room: room.id, lagRows: lagRows, lagSeconds: lagSeconds, on: c)
        }
    }

    func heartbeat(room: String, lagRows: Int64, lagSeconds: Double, on c: PostgresConnection) async throws {
        try await c.query(
            """
            INSERT INTO forwarder_heartbeats(room_id, last_contact, lag_rows, lag_seconds)
            VALUES (\(room), now(), \(lagRows), \(lagSeconds))
            ON CONFLICT (room_id) DO UPDATE SET last_contact = now(), lag_rows = EXCLUDED.lag_rows,
                lag_seconds = EXCLUDED.lag_seconds
            """, logger: logger)
    }

    /// `INSERT … VALUES (…), (…) ON CONFLICT (room_id, id) DO NOTHING | DO UPDATE`, in statements
    /// of at most `maximumBinds` values.
    func upsert<Row: CentralRow>(_ rows: [Row], room: String, on c: PostgresConnection) async throws {
        guard !rows.isEmpty else { return }
        let columns = Row.columns
        let perStatement = max(1, Self.maximumBinds / columns.count)
        let conflict: String
        if Row.mutableColumns.isEmpty {
            conflict = "DO NOTHING"
        } else {
            // Only when something differs, so an identical resend rewrites no row.
            let set = Row.mutableColumns.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
            let differs = Row.mutableColumns.map { "\(Row.table).\($0) IS DISTINCT FROM EXCLUDED.\($0)" }
                .joined(separator: " OR ")
            conflict = "DO UPDATE SET \(set) WHERE \(differs)"
        }
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + perStatement, rows.count)]
            var binds = PostgresBindings(capacity: 1 + chunk.count * columns.count)
            binds.append(room)
            var values: [String] = []
            values.reserveCapacity(chunk.count)
            var n = 2
            for row in chunk {
                row.bind(into: &binds)
                values.append("($1, " + (n..<(n + columns.count)).map { "$\($0)" }.joined(separator: ", ") + ")")
                n += columns.count
            }
            let sql = "INSERT INTO \(Row.table) (room_id, \(columns.joined(separator: ", "))) VALUES "
                + values.joined(separator: ", ") + " ON CONFLICT (room_id, \(Row.key)) \(conflict)"
            try await c.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            start += chunk.count
        }
    }
}
