import GRDB

extension VitalsDatabase {
    /// How far a destination at `cursor` is behind the room: the rows after it (readings, alert,
    /// device and session events, and logged session/alert changes; counted as the newest id
    /// minus the cursor, O(1), exact because rows are never deleted) and the age in seconds, at
    /// `now` (ms), of the oldest reading or alert event among them (0 when nothing waits).
    /// The central heartbeat carries it so the clinic's board shows a forwarder falling behind.
    public func forwardLag(after cursor: ForwardCursor, now: Int64) throws(StoreError) -> (rows: Int64, seconds: Double) {
        try reading { db in
            let rows = try Int64.fetchOne(
                db,
                sql: """
                    SELECT max(0, coalesce((SELECT max(id) FROM readings), 0) - ?)
                         + max(0, coalesce((SELECT max(id) FROM alert_events), 0) - ?)
                         + max(0, coalesce((SELECT max(id) FROM device_events), 0) - ?)
                         + max(0, coalesce((SELECT max(id) FROM session_events), 0) - ?)
                         + max(0, coalesce((SELECT max(seq) FROM forward_changes), 0) - ?)
                    """,
                arguments: [cursor.readingID, cursor.alertEventID, cursor.deviceEventID, cursor.sessionEventID, cursor.changeSeq]) ?? 0
            let oldest = try Int64.fetchOne(
                db,
                sql: """
                    SELECT min(t) FROM (SELECT min(t) AS t FROM (SELECT t FROM readings WHERE id > ? ORDER BY id LIMIT 1)
                                        UNION ALL SELECT min(t) FROM (SELECT t FROM alert_events WHERE id > ? ORDER BY id LIMIT 1))
                    """,
                arguments: [cursor.readingID, cursor.alertEventID])
            return (rows, oldest.map { max(0, Double(now - $0) / 1000) } ?? 0)
        }
    }
}
