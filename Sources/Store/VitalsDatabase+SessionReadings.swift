import GRDB
import GRDBSQLite
import VitalsCore

/// One stored reading as the backtest replays it: no row id, no device time, the device's name
/// shared with every other row of that device (no allocation a row).
public struct SessionReadingRow: Sendable {
    public var device: String
    public var metric: Metric
    public var value: Double
    public var flags: QualityFlags
    /// Host time, ms since 1970 UTC.
    public var hostTime: Int64
}

extension VitalsDatabase {
    /// The readings of `sessionID` in the order of `readings(session:)` (host time, then commit
    /// order) into `rows`, which is emptied first and keeps its capacity: the backtest reuses one
    /// buffer for every session, so a clinic-year costs one session's memory, not a year's.
    ///
    /// Fast path of `readings(session:)` for bulk replays: the session's reading-id range is
    /// scanned in id order through SQLite's C API on GRDB's statement (no `Row`, no sort in
    /// SQL), and sorted here only when a reading was committed out of time order, which the
    /// writer allows (a device's late reading). Rows of an unknown metric code are skipped, as
    /// there.
    public func loadReadings(session sessionID: Int64, into rows: inout [SessionReadingRow]) throws(StoreError) {
        rows.removeAll(keepingCapacity: true)
        try reading { db in
            guard let s = try Self.session(db, id: sessionID) else { throw StoreError.unknownSession(id: sessionID) }
            guard let range = s.readingIDs else { return }
            var names: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, name FROM devices") {
                names[row[0]] = row[1]
            }
            var metrics = [Metric?](repeating: nil, count: 64)
            for m in Metric.allCases where m.storageCode >= 0 && m.storageCode < metrics.count {
                metrics[m.storageCode] = m
            }
            let statement = try db.cachedStatement(sql: """
                SELECT device_id, metric, value_x100, flags, t FROM readings
                WHERE id BETWEEN ? AND ? AND session_id = ? ORDER BY id
                """)
            let stmt = statement.sqliteStatement
            sqlite3_reset(stmt)
            sqlite3_bind_int64(stmt, 1, range.lowerBound)
            sqlite3_bind_int64(stmt, 2, range.upperBound)
            sqlite3_bind_int64(stmt, 3, sessionID)
            defer { sqlite3_reset(stmt) }
            var sorted = true
            var lastT = Int64.min
            var lastDeviceID: Int64 = .min
            var lastDevice = ""
            while true {
                let code = sqlite3_step(stmt)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else {
                    let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
                }
                let code3 = Int(sqlite3_column_int64(stmt, 1))
                guard code3 >= 0, code3 < metrics.count, let metric = metrics[code3] else { continue }
                let deviceID = sqlite3_column_int64(stmt, 0)
                if deviceID != lastDeviceID {
                    // `readings(session:)` joins `devices`: a row without its device is left out.
                    guard let name = names[deviceID] else { continue }
                    lastDeviceID = deviceID
                    lastDevice = name
                }
                let t = sqlite3_column_int64(stmt, 4)
                if t < lastT { sorted = false }
                lastT = t
                rows.append(SessionReadingRow(
                    device: lastDevice, metric: metric, value: ReadingValue.decode(sqlite3_column_int64(stmt, 2)),
                    flags: QualityFlags(rawValue: UInt32(truncatingIfNeeded: sqlite3_column_int64(stmt, 3))),
                    hostTime: t))
            }
            if !sorted {
                // Stable by time: equal times keep commit (id) order, as `ORDER BY t, id`.
                rows = rows.enumerated().sorted { a, b in
                    a.element.hostTime != b.element.hostTime ? a.element.hostTime < b.element.hostTime : a.offset < b.offset
                }.map(\.element)
            }
        }
    }
}
