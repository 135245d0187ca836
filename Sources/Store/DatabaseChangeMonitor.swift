import GRDB

/// Tells cheaply whether another connection (another process) has committed to the database
/// since the last look: `PRAGMA data_version` on a connection of its own.
///
/// `data_version` is per connection: its value changes when a *different* connection commits.
/// The `DatabasePool` behind `VitalsDatabase` hands out whichever reader connection is free, so
/// comparing its answers could compare two connections' counters; this monitor therefore keeps
/// one read-only connection and asks it outside any transaction (inside one, the answer would be
/// the transaction's snapshot). GRDB's own observation cannot be used: it sees only the writes of
/// its own process (swift-ecosystem.md 3.1).
public final class DatabaseChangeMonitor {
    private let queue: DatabaseQueue
    private var lastVersion: Int64?

    /// A monitor of the existing database at `path` (it is opened read-only, never created).
    public init(path: String) throws(StoreError) {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(VitalsDatabase.busyTimeout)
        config.label = "vitals.change-monitor"
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch let error as DatabaseError {
            throw .cannotOpen(path: path, reason: error.message ?? "\(error)")
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// True when another connection has committed since the previous call (and on the first).
    public func hasChanged() throws(StoreError) -> Bool {
        let version: Int64
        do {
            version = try queue.inDatabase { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
        } catch let e as DatabaseError {
            throw .readFailed(code: e.resultCode.primaryResultCode.rawValue, message: e.message ?? "\(e)")
        } catch {
            throw .readFailed(code: -1, message: "\(error)")
        }
        defer { lastVersion = version }
        return version != lastVersion
    }
}
