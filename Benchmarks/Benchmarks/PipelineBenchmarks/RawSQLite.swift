import Foundation
import GRDBSQLite

/// The raw baseline of figure 3 and the file measurements: SQLite's C API, no GRDB.
final class RawSQLite {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let handle: OpaquePointer

    init(path: String) throws {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let db else {
            throw Failure(description: "cannot open \(path)")
        }
        handle = db
    }

    deinit { sqlite3_close_v2(handle) }

    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(handle, sql, nil, nil, &message) != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? "error"
            sqlite3_free(message)
            throw Failure(description: "\(sql): \(text)")
        }
    }

    func integer(_ sql: String) throws -> Int64 {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else {
            throw Failure(description: "cannot prepare \(sql)")
        }
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { throw Failure(description: "no row from \(sql)") }
        return sqlite3_column_int64(statement, 0)
    }

    /// The readings rows the writer would store, in one transaction through one prepared insert.
    func insertReadings(_ rows: [ReadingRow]) throws {
        try execute("BEGIN")
        var statement: OpaquePointer?
        let sql = "INSERT INTO readings(session_id, device_id, metric, t, device_t, value_x100, flags) VALUES (?, ?, ?, ?, ?, ?, ?)"
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else {
            throw Failure(description: "cannot prepare the insert")
        }
        defer { sqlite3_finalize(statement) }
        for r in rows {
            sqlite3_bind_int64(statement, 1, r.session)
            sqlite3_bind_int64(statement, 2, r.device)
            sqlite3_bind_int64(statement, 3, r.metric)
            sqlite3_bind_int64(statement, 4, r.t)
            if let dt = r.deviceT { sqlite3_bind_int64(statement, 5, dt) } else { sqlite3_bind_null(statement, 5) }
            sqlite3_bind_int64(statement, 6, r.value)
            sqlite3_bind_int64(statement, 7, r.flags)
            guard sqlite3_step(statement) == SQLITE_DONE else {
                throw Failure(description: "insert failed: \(String(cString: sqlite3_errmsg(handle)))")
            }
            sqlite3_reset(statement)
        }
        try execute("COMMIT")
    }
}

/// One `readings` row as the writer stores it.
struct ReadingRow {
    var session: Int64
    var device: Int64
    var metric: Int64
    var t: Int64
    var deviceT: Int64?
    var value: Int64
    var flags: Int64
}
