import GRDB
import VitalsCore

extension VitalsDatabase {
    /// The room's identity: its generated `uid` (table `room_identity`) and the newest session's room name.
    public func roomIdentity() throws(StoreError) -> RoomIdentity {
        try reading { db in try Self.roomIdentity(db) }
    }

    static func roomIdentity(_ db: Database) throws -> RoomIdentity {
        let uid = try String.fetchOne(db, sql: "SELECT uid FROM room_identity WHERE singleton = 1") ?? ""
        let name = try String.fetchOne(db, sql: "SELECT room FROM sessions ORDER BY id DESC LIMIT 1")
        return RoomIdentity(uid: uid, name: name)
    }

    /// The cursor stored for `destination` (its URL without credentials); all zeros when none is.
    public func forwardCursor(destination: String) throws(StoreError) -> ForwardCursor {
        try reading { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM forward_cursors WHERE destination = ?", arguments: [destination])
            else { return ForwardCursor() }
            return ForwardCursor(
                changeSeq: row["change_seq"], readingID: row["reading_id"], alertEventID: row["alert_event_id"],
                deviceEventID: row["device_event_id"], sessionEventID: row["session_event_id"])
        }
    }

    /// Stores `cursor` for `destination`: call only once the destination confirmed the batch.
    /// A cursor never moves back (a stale writer cannot undo a newer one's progress).
    public func saveForwardCursor(_ cursor: ForwardCursor, destination: String, now: Int64) throws(StoreError) {
        try writing { db in
            try db.execute(
                sql: """
                    INSERT INTO forward_cursors(destination, change_seq, reading_id, alert_event_id, device_event_id,
                                                session_event_id, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(destination) DO UPDATE SET
                        change_seq = max(change_seq, excluded.change_seq),
                        reading_id = max(reading_id, excluded.reading_id),
                        alert_event_id = max(alert_event_id, excluded.alert_event_id),
                        device_event_id = max(device_event_id, excluded.device_event_id),
                        session_event_id = max(session_event_id, excluded.session_event_id),
                        updated_at = excluded.updated_at
                    """,
                arguments: [
                    destination, cursor.changeSeq, cursor.readingID, cursor.alertEventID, cursor.deviceEventID,
                    cursor.sessionEventID, now,
                ])
        }
    }

    /// Parks a message a destination refused for good, so that it no longer blocks the rest.
    public func parkDeadLetter(
        destination: String, messageID: String, tries: Int, reason: String, message: String, now: Int64
    ) throws(StoreError) {
        try writing { db in
            try db.execute(
                sql: """
                    INSERT INTO forward_dead_letters(destination, message_id, parked_at, tries, reason, message)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [destination, messageID, now, tries, reason, message])
        }
    }

    /// The dead letters parked for `destination` (all when `nil`), oldest first.
    public func deadLetters(destination: String? = nil) throws(StoreError) -> [ForwardDeadLetter] {
        try reading { db in
            var sql = "SELECT * FROM forward_dead_letters"
            var args: StatementArguments = []
            if let destination {
                sql += " WHERE destination = ?"
                args += [destination]
            }
            sql += " ORDER BY id"
            return try Row.fetchAll(db, sql: sql, arguments: args).map { row in
                ForwardDeadLetter(
                    id: row["id"], destination: row["destination"], messageID: row["message_id"], parkedAt: row["parked_at"],
                    tries: row["tries"], reason: row["reason"], message: row["message"])
            }
        }
    }

    /// The rows after `cursor`, at most `limit` of each table, in one read transaction (one
    /// consistent snapshot).
    ///
    /// `readingPeriodMs` (> 0) keeps a reading period whole: when the batch stops before the
    /// newest reading (the row limit) or `flush` is false, readings from the period of the last
    /// one fetched on are held back for the next batch, so that a destination that sends one
    /// message per device per period sends the same message, with the same content, however the
    /// forwarder was interrupted. `flush` (the `--once` run) sends the open period too, and so
    /// does a period that ended a whole period before `now` (ms since 1970; nothing more will
    /// come for it) or whose session has ended.
    public func forwardBatch(
        after cursor: ForwardCursor, limit: Int = 10_000, readingPeriodMs: Int64 = 0, flush: Bool = true, now: Int64? = nil
    ) throws(StoreError) -> RoomChangeBatch {
        try reading { db in
            let room = try Self.roomIdentity(db)
            var through = cursor
            var hasMore = false

            // Changed sessions and alerts through the trigger log.
            let changes = try Row.fetchAll(
                db, sql: "SELECT seq, tbl, row_id FROM forward_changes WHERE seq > ? ORDER BY seq LIMIT ?",
                arguments: [cursor.changeSeq, limit + 1])
            if changes.count > limit { hasMore = true }
            var sessionIDs = Set<Int64>(), alertIDs = Set<Int64>()
            for row in changes.prefix(limit) {
                through.changeSeq = row["seq"]
                let id: Int64 = row["row_id"]
                if (row["tbl"] as String) == "sessions" { sessionIDs.insert(id) } else { alertIDs.insert(id) }
            }
            let alerts = try alertIDs.sorted().compactMap { id in
                try Row.fetchOne(db, sql: "SELECT * FROM alerts WHERE id = ?", arguments: [id]).flatMap(Self.forwardAlert)
            }

            // Raw rows first: the cursor passes rows this version cannot read (a metric added by
            // a newer bridge) instead of stopping at them.
            var rawReadings = try Row.fetchAll(
                db,
                sql: """
                    SELECT r.id, r.session_id, d.name, d.profile, r.metric, r.value_x100, r.flags, r.t, r.device_t
                    FROM readings r JOIN devices d ON d.id = r.device_id
                    WHERE r.id > ? ORDER BY r.id LIMIT ?
                    """,
                arguments: [cursor.readingID, limit + 1])
            let readingsCut = rawReadings.count > limit
            if readingsCut {
                rawReadings.removeLast()
                hasMore = true
            }
            let readingsFetched = rawReadings.count
            // The newest time already delivered, for when the whole fetch is held back.
            let cursorTime = try Int64.fetchOne(db, sql: "SELECT t FROM readings WHERE id = ?", arguments: [cursor.readingID]) ?? Int64.min
            if readingPeriodMs > 0, let last = rawReadings.last, readingsCut || !flush {
                let lastT: Int64 = last[7]
                let lastSession: Int64 = last[1]
                let open = Self.floorDiv(lastT, readingPeriodMs)
                let sessionEnded = try Int64.fetchOne(
                    db, sql: "SELECT ended_at FROM sessions WHERE id = ?", arguments: [lastSession]) != nil
                let periodOver = now.map { (open + 2) * readingPeriodMs <= $0 } ?? false
                let settled = !readingsCut && (sessionEnded || periodOver)
                if let cut = rawReadings.firstIndex(where: { Self.floorDiv($0[7], readingPeriodMs) >= open }) {
                    // A single period larger than the limit cannot be held back whole.
                    if !settled && (cut > 0 || !readingsCut) {
                        rawReadings.removeSubrange(cut...)
                    }
                }
            }
            if let last = rawReadings.last { through.readingID = last[0] }
            let readings = rawReadings.compactMap(Self.forwardReading)

            var rawAlertEvents = try Row.fetchAll(
                db, sql: "SELECT * FROM alert_events WHERE id > ? ORDER BY id LIMIT ?",
                arguments: [cursor.alertEventID, limit + 1])
            if rawAlertEvents.count > limit { hasMore = true }
            // When readings stop early (row limit, open period), alert events after the last
            // reading sent wait too, so that a destination sees both in time order.
            if readingsCut || rawReadings.count < readingsFetched, let lastT: Int64 = rawReadings.last?[7] ?? (readingsFetched > 0 ? cursorTime : nil) {
                if let cut = rawAlertEvents.firstIndex(where: { ($0["t"] as Int64) > lastT }) {
                    rawAlertEvents.removeSubrange(cut...)
                    hasMore = true
                }
            }
            if let last = rawAlertEvents.prefix(limit).last { through.alertEventID = last["id"] }
            let keptAlertEvents = rawAlertEvents.prefix(limit).compactMap(Self.forwardAlertEvent)

            let deviceEvents = try Row.fetchAll(
                db,
                sql: """
                    SELECT e.id, e.session_id, d.name, e.t, e.kind, m.name AS metric_name, e.code, e.count, e.detail
                    FROM device_events e JOIN devices d ON d.id = e.device_id LEFT JOIN metrics m ON m.code = e.metric
                    WHERE e.id > ? ORDER BY e.id LIMIT ?
                    """,
                arguments: [cursor.deviceEventID, limit + 1]
            ).map { row in
                ForwardDeviceEvent(
                    id: row[0], sessionID: row[1], device: row[2], t: row[3], kind: row[4], metric: row[5], code: row[6],
                    count: row[7], detail: row[8])
            }
            if deviceEvents.count > limit { hasMore = true }
            let keptDeviceEvents = Array(deviceEvents.prefix(limit))
            if let last = keptDeviceEvents.last { through.deviceEventID = last.id }

            let sessionEvents = try Row.fetchAll(
                db, sql: "SELECT * FROM session_events WHERE id > ? ORDER BY id LIMIT ?",
                arguments: [cursor.sessionEventID, limit + 1]
            ).map { row in
                ForwardSessionEvent(id: row["id"], sessionID: row["session_id"], t: row["t"], kind: row["kind"], text: row["text"], by: row["by"])
            }
            if sessionEvents.count > limit { hasMore = true }
            let keptSessionEvents = Array(sessionEvents.prefix(limit))
            if let last = keptSessionEvents.last { through.sessionEventID = last.id }

            // Every session a row refers to, so that a destination never meets an unknown one.
            sessionIDs.formUnion(readings.map(\.sessionID))
            sessionIDs.formUnion(alerts.map(\.sessionID))
            sessionIDs.formUnion(keptAlertEvents.map(\.sessionID))
            sessionIDs.formUnion(keptDeviceEvents.compactMap(\.sessionID))
            sessionIDs.formUnion(keptSessionEvents.map(\.sessionID))
            let sessions = try sessionIDs.sorted().compactMap { id in
                try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE id = ?", arguments: [id]).map(Self.forwardSession)
            }

            let active = try Row.fetchAll(db, sql: "SELECT * FROM alerts WHERE cleared_at IS NULL ORDER BY id")
                .compactMap(Self.forwardAlert)

            return RoomChangeBatch(
                room: room, sessions: sessions, readings: readings, alerts: alerts, alertEvents: keptAlertEvents,
                deviceEvents: keptDeviceEvents, sessionEvents: keptSessionEvents, activeAlerts: active, from: cursor,
                through: through, hasMore: hasMore)
        }
    }

    /// Rounds toward minus infinity (times before 1970 stay in their own period).
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func forwardSession(_ row: Row) -> ForwardSession {
        ForwardSession(
            id: row["id"], room: row["room"], patientRef: row["patient_ref"], clinician: row["clinician"],
            medication: row["medication"], dose: row["dose"], route: row["route"], observeMs: row["observe_ms"],
            limitsJSON: row["limits_json"], startedAt: row["started_at"], doseAt: row["dose_at"], endedAt: row["ended_at"],
            endReason: row["end_reason"], autoOpened: (row["auto_opened"] as Int64) != 0)
    }

    static func forwardReading(_ row: Row) -> ForwardReading? {
        guard let metric = Metric(storageCode: row[4]) else { return nil }
        let flags: Int64 = row[6]
        return ForwardReading(
            id: row[0], sessionID: row[1], device: row[2], profile: row[3], metric: metric,
            value: ReadingValue.decode(row[5]), flags: QualityFlags(rawValue: UInt32(truncatingIfNeeded: flags)),
            t: row[7], deviceT: row[8])
    }

    static func forwardAlert(_ row: Row) -> ForwardAlert? {
        guard let kind = AlertKind(rawValue: row["kind"]), let priority = AlertPriority(rawValue: row["priority"]) else { return nil }
        return ForwardAlert(
            id: row["id"], sessionID: row["session_id"], rule: row["rule"], occurrence: row["occurrence"], kind: kind,
            metric: row["metric"], priority: priority, message: row["message"], raisedAt: row["raised_at"],
            escalatedAt: row["escalated_at"], acknowledgedAt: row["acknowledged_at"], acknowledgedBy: row["acknowledged_by"],
            clearedAt: row["cleared_at"])
    }

    static func forwardAlertEvent(_ row: Row) -> ForwardAlertEvent? {
        guard let kind = AlertKind(rawValue: row["kind"]), let priority = AlertPriority(rawValue: row["priority"]),
              let event = AlertEventKind(rawValue: row["event"])
        else { return nil }
        return ForwardAlertEvent(
            id: row["id"], alertID: row["alert_id"], sessionID: row["session_id"], t: row["t"], runMs: row["run_ms"],
            event: event, rule: row["rule"], priority: priority, kind: kind, metric: row["metric"], value: row["value"],
            message: row["message"], device: row["device"], by: row["by"])
    }
}

/// A message a destination refused for good (table `forward_dead_letters`).
public struct ForwardDeadLetter: Sendable, Hashable {
    public var id: Int64
    public var destination: String
    /// The message's identity at the destination (HL7: its MSH-10 control id).
    public var messageID: String
    public var parkedAt: Int64
    public var tries: Int
    /// The receiver's answer (HL7: the ACK's MSA/ERR text).
    public var reason: String
    /// The message as sent.
    public var message: String
}
