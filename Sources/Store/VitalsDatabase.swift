import Foundation
import GRDB

/// One room's SQLite file: opened (or created owner-only) in WAL mode with `synchronous=FULL`,
/// a busy timeout, and the schema migrated to the current version.
///
/// Every process that touches the file (the daemon, `vitals tail`, `vitals session ...`) opens
/// its own `VitalsDatabase`; SQLite serialises their writes and the busy timeout makes a second
/// writer wait instead of failing. Readers never block the writer (WAL).
public final class VitalsDatabase: Sendable {
    /// The file's path.
    public let path: String
    /// The GRDB pool: one writer connection, several readers.
    let pool: DatabasePool

    /// How long a connection waits for another process's lock before failing.
    public static let busyTimeout: TimeInterval = 10

    /// Opens or creates the database at `path` (see `defaultPath()` for the default).
    ///
    /// A new file and its `-wal` and `-shm` files are created readable and writable by their
    /// owner only (0600): the file holds health data. Missing parent directories are created 0700.
    /// The one exception is a directory shared with a group on purpose (setgid and group
    /// read-write-execute, such as the service's `/var/lib/vitals`, mode 2770, group `vitals`):
    /// there the files are 0660, so the clinicians in that group can run `tail`, `status` and
    /// `ack`; never world-readable (see contrib/README.md).
    public init(path: String) throws(StoreError) {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var config = Configuration()
        config.busyMode = .timeout(Self.busyTimeout)
        config.label = "vitals"
        let mode = Self.fileMode(directory: directory)
        // The umask is process-wide; it is held only while SQLite creates the files. It masks
        // group and other bits only, never the owner's: another thread creating a directory
        // meanwhile (mkdtemp, 0700) must keep its search bit (0o177 made it 0600, and the
        // PostgreSQL test clusters' folders unreadable to their own server).
        let oldMask = umask(0o777 & ~(mode | 0o700))
        defer { umask(oldMask) }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotOpen(path: path, reason: "cannot create the directory \(directory): \(error.localizedDescription)")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            // SQLite gives -wal and -shm the database file's mode; make sure it is 0600 even when
            // an older file was created with a wider one.
            Self.restrictMode(path, to: mode)
            // GRDB sets synchronous=NORMAL when it puts the pool in WAL mode, after any
            // prepareDatabase hook: FULL must be set here, on the writer (swift-ecosystem.md 3.1).
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                // A WAL that grew while a checkpoint could not run (a reader, a full disk) is cut
                // back to this size at the next checkpoint, so a small disk recovers.
                try db.execute(sql: "PRAGMA journal_size_limit = \(Self.walSizeLimitBytes)")
                try Self.claim(db, path: path)
            }
            try Self.migrator.migrate(pool)
            // Reading once makes SQLite create the -shm file now, under the umask.
            _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sessions") }
            for suffix in ["", "-wal", "-shm"] { Self.restrictMode(path + suffix, to: mode) }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw .cannotOpen(path: path, reason: error.message ?? "\(error)")
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// Sets a file's mode to `mode` when it exists and has another one.
    static func restrictMode(_ path: String, to mode: mode_t = 0o600) {
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & 0o777 != mode else { return }
        chmod(path, mode)
    }

    /// 0660 in a directory shared with a group on purpose (setgid, group rwx), else 0600.
    static func fileMode(directory: String) -> mode_t {
        var st = stat()
        guard stat(directory, &st) == 0 else { return 0o600 }
        return st.st_mode & S_ISGID != 0 && st.st_mode & 0o070 == 0o070 ? 0o660 : 0o600
    }

    /// The default path: `$VITALS_DB`, else `$XDG_DATA_HOME/vitals/vitals.sqlite`, else
    /// `~/.local/share/vitals/vitals.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let p = environment["VITALS_DB"], !p.isEmpty { return p }
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            return xdg + "/vitals/vitals.sqlite"
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/share/vitals/vitals.sqlite"
    }

    /// The room name used when none is given: `$VITALS_ROOM`, else `default`.
    public static func defaultRoom(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let r = environment["VITALS_ROOM"], !r.isEmpty { return r }
        return "default"
    }

    /// `PRAGMA synchronous` as the writer connection reports it (2 is FULL).
    public func synchronousMode() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// `PRAGMA journal_mode` (`wal`).
    public func journalMode() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// The schema version: the number of migrations applied.
    /// The number of migrations this build knows: a fully migrated file's ``schemaVersion()``.
    public static var latestSchemaVersion: Int { migrator.migrations.count }

    public func schemaVersion() throws -> Int {
        try pool.read { db in try Self.migrator.appliedIdentifiers(db).count }
    }

    /// `PRAGMA integrity_check`'s answer (`ok` when the file is sound).
    public func integrityCheck() throws -> String {
        try pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n") }
    }

    /// Copies the WAL into the main file and truncates it (at session end, so the WAL stays small).
    public func checkpoint() throws {
        try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }
}
