import GRDB

extension VitalsDatabase {
    /// `PRAGMA application_id` of a vitals database: 0x5654_4C53, "VTLS" in ASCII (docs/SCHEMA.md).
    /// Set when the file is created; `file(1)` and other programs can tell the file apart by it.
    public static let applicationID: Int32 = 0x5654_4C53

    /// The WAL is truncated to at most this size after a checkpoint (`PRAGMA journal_size_limit`), bytes.
    public static let walSizeLimitBytes = 4 * 1024 * 1024

    /// The migration every vitals database has applied first; recognises a vitals database
    /// created before `application_id` was set.
    static let firstMigration = "v1-sessions-readings-alerts"

    /// Makes sure the file at `path` is a vitals database before anything migrates it: an empty
    /// file gets `applicationID`; a file with it, or an older vitals database (recognised by its
    /// migrations table), is accepted (the older one gets the id when the file is writable);
    /// anything else is refused with `StoreError.notAVitalsDatabase`, untouched.
    static func claim(_ db: Database, path: String) throws {
        let id = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        if id == applicationID { return }
        let tables = try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")
        if tables.isEmpty, id == 0 {
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            return
        }
        if id == 0, tables.contains("grdb_migrations"),
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM grdb_migrations WHERE identifier = ?)", arguments: [firstMigration]) == true,
            tables.contains("sessions"), tables.contains("readings")
        {
            // An older vitals database: mark it, unless the file is read-only (reading it is fine).
            try? db.execute(sql: "PRAGMA application_id = \(applicationID)")
            return
        }
        let shown = tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", ..." : "")
        let reason =
            id != 0
            ? "its application_id is \(id), not \(applicationID)"
            : "it has no vitals application_id and its tables (\(shown)) are not a vitals schema"
        throw StoreError.notAVitalsDatabase(path: path, reason: reason)
    }
}
