import Central
import Foundation
import Logging
import Store
import Synchronization

/// `postgres://` and `postgresql://`: the clinic's central PostgreSQL database (issue 17).
///
/// Each batch is one transaction of idempotent upserts keyed by (room uid, row id)
/// (`CentralDatabase.write`), so the forwarder's at-least-once delivery stores every row once.
/// One connection, opened on first use and dropped after any failure; a failure throws with a
/// message a person can act on (wrong password, unreachable, schema missing) and the forwarder
/// retries after its backoff.
///
/// A heartbeat (`forwarder_heartbeats`: last contact, rows and seconds behind) goes every
/// `heartbeatEvery` on a second connection of its own, whether or not there are rows to send:
/// the forwarder calls `deliver` only when something changed, and the central board must tell a
/// quiet room from a dead forwarder. A forwarder that is alive but stuck shows as a growing lag.
public final class PostgresDestination: ForwardDestination {
    public let cursorKey: String
    let endpoint: CentralEndpoint
    let context: DestinationContext
    static let heartbeatEvery: Duration = .seconds(5)
    private let connection = Mutex<CentralDatabase?>(nil)
    private let heartbeat = Mutex<Task<Void, Never>?>(nil)

    public init(url: DestinationURL, context: DestinationContext) throws {
        do { endpoint = try CentralEndpoint.parse(url.original) } catch {
            throw ForwardingError.badURL(url.redacted, reason: error.description)
        }
        cursorKey = url.redacted
        self.context = context
        heartbeat.withLock { $0 = Task { [endpoint, context, cursorKey] in await Self.beat(endpoint, context, cursorKey) } }
    }

    public func deliver(_ batch: RoomChangeBatch) async throws {
        guard !batch.isEmpty else { return }
        let db = try await open()
        do {
            let now = batch.now ?? Self.nowMs()
            let lag = (try? context.database.forwardLag(after: batch.through, now: now)) ?? (rows: 0, seconds: 0)
            try await db.write(CentralBatch(batch, lagRows: lag.rows, lagSeconds: lag.seconds))
        } catch {
            // The connection may be half dead (the server restarted): start afresh next time.
            connection.withLock { $0 = nil }
            await db.close()
            throw error
        }
    }

    public func close() async {
        let task = heartbeat.withLock { t in
            defer { t = nil }
            return t
        }
        task?.cancel()
        await task?.value
        let db = connection.withLock { d in
            defer { d = nil }
            return d
        }
        await db?.close()
    }

    private func open() async throws -> CentralDatabase {
        if let db = connection.withLock({ $0 }), !db.isClosed { return db }
        let db = try await CentralDatabase.connect(endpoint, logger: context.logger)
        do {
            try await db.requireSchema()
        } catch {
            await db.close()
            throw error
        }
        connection.withLock { $0 = db }
        return db
    }

    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// The heartbeat loop: quiet on failure (`deliver` reports the same failures loudly).
    static func beat(_ endpoint: CentralEndpoint, _ context: DestinationContext, _ key: String) async {
        var db: CentralDatabase?
        while !Task.isCancelled {
            do {
                if db == nil || db?.isClosed == true {
                    await db?.close()
                    let fresh = try await CentralDatabase.connect(endpoint, logger: context.logger)
                    db = fresh
                    try await fresh.requireSchema()
                }
                let identity = try context.database.roomIdentity()
                let cursor = try context.database.forwardCursor(destination: key)
                let lag = try context.database.forwardLag(after: cursor, now: nowMs())
                try await db?.heartbeat(
                    room: CentralRoom(id: identity.uid, name: identity.name ?? identity.uid), lagRows: lag.rows,
                    lagSeconds: lag.seconds)
            } catch {
                await db?.close()
                db = nil
            }
            try? await Task.sleep(for: heartbeatEvery)
        }
        await db?.close()
    }
}
