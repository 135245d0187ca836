import Foundation
import GRDB
import GRDBSQLite

/// Why the database cannot be written, in the words a technical alert uses
/// ("recording failed: disk full (/var/lib/vitals/room.sqlite)").
public enum StorageFailureCause: Sendable, Hashable, CustomStringConvertible {
    /// No space left on the file's filesystem (SQLITE_FULL, ENOSPC, or an I/O error on a
    /// filesystem with no free blocks), or SQLite's `max_page_count` reached.
    case diskFull
    /// The file or its filesystem is read-only (SQLITE_READONLY, EROFS, EACCES).
    case readOnly
    /// The file's directory does not exist and cannot be created (SQLITE_CANTOPEN with ENOENT).
    case missingDirectory
    /// The file exists but is not a vitals database (see `VitalsDatabase.applicationID`).
    case notAVitalsDatabase
    /// Anything else, with SQLite's (or the system's) message.
    case other(String)

    public var description: String {
        switch self {
        case .diskFull: "disk full"
        case .readOnly: "read-only"
        case .missingDirectory: "missing directory"
        case .notAVitalsDatabase: "not a vitals database"
        case let .other(message): message
        }
    }

    /// The cause of `error` for the database at `path`: the SQLite result code first, then,
    /// for an I/O error or an open failure (whose code does not say why), the filesystem itself.
    public static func classify(_ error: any Error, path: String) -> StorageFailureCause {
        if let e = error as? StoreError, case .notAVitalsDatabase = e { return .notAVitalsDatabase }
        if let e = error as? DatabaseError {
            switch e.resultCode.primaryResultCode {
            case .SQLITE_FULL: return .diskFull
            case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH: return .readOnly
            case .SQLITE_CANTOPEN, .SQLITE_IOERR:
                return probe(path: path) ?? .other(e.message ?? "SQLite error \(e.resultCode.rawValue)")
            default:
                return .other(e.message ?? "SQLite error \(e.resultCode.rawValue)")
            }
        }
        if let e = error as? StoreError, case let .cannotOpen(_, reason) = e {
            return probe(path: path) ?? .other(reason)
        }
        return probe(path: path) ?? .other("\(error)")
    }

    /// The errno-level cause seen on the filesystem at `path`: ENOENT for the directory, EROFS
    /// (read-only mount), no free blocks (ENOSPC), no write permission. Nil when the filesystem
    /// looks writable.
    public static func probe(path: String) -> StorageFailureCause? {
        let directory = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.isEmpty ? "." : directory, isDirectory: &isDirectory),
            isDirectory.boolValue
        else { return .missingDirectory }
        var fs = statvfs()
        if statvfs(directory.isEmpty ? "." : directory, &fs) == 0 {
            if fs.f_flag & UInt(ST_RDONLY) != 0 { return .readOnly }
            if fs.f_bavail == 0 { return .diskFull }
        }
        if FileManager.default.fileExists(atPath: path) {
            if access(path, W_OK) != 0 { return .readOnly }
        } else if access(directory.isEmpty ? "." : directory, W_OK) != 0 {
            return .readOnly
        }
        return nil
    }
}

/// The writer's trouble: its cause, the file, and since when (wall clock, ms since 1970).
public struct StorageFailure: Sendable, Hashable, CustomStringConvertible {
    /// Why writes fail.
    public var cause: StorageFailureCause
    /// The database file.
    public var path: String
    /// When the first failure of this spell happened, wall clock ms since 1970 UTC.
    public var since: Int64
    /// SQLite's or the system's own words, for the log.
    public var detail: String

    /// A failure.
    public init(cause: StorageFailureCause, path: String, since: Int64, detail: String) {
        self.cause = cause
        self.path = path
        self.since = since
        self.detail = detail
    }

    /// The technical alert's text: "recording failed: disk full (/path/to/room.sqlite)".
    public var description: String { "recording failed: \(cause) (\(path))" }
}

/// Whether a `ReadingWriter` is recording.
public enum StorageHealth: Sendable, Hashable {
    /// The last write (or open) succeeded.
    case ok
    /// Writes fail: data waits in memory and, beyond its bound, in the journal.
    case failing(StorageFailure)
}
