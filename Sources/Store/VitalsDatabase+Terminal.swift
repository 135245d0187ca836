import GRDB
import VitalsCore

/// Queries for the clinicians' terminal (`vitals tail`, `vitals ack`, `vitals status`).
extension VitalsDatabase {
    /// The columns every terminal alert-event query selects: the event, its room, when its alert
    /// was raised and when its session started.
    static let terminalEventSelect = """
        SELECT e.*, s.room, s.started_at AS session_started_at, a.raised_at AS alert_raised_at, a.occurrence AS occurrence
        FROM alert_events e JOIN sessions s ON s.id = e.session_id JOIN alerts a ON a.id = e.alert_id
        """

    /// Up to `limit` alert events with an id above `id`, filtered, and the cursor to poll from
    /// next (see `AlertEventPage`): `vitals tail`'s poll.
    public func alertEvents(after id: Int64, filter: AlertEventFilter, limit: Int = 1000) throws(StoreError) -> AlertEventPage {
        try reading { db in
            let rows = try Row.fetchAll(
                db, sql: Self.terminalEventSelect + " WHERE e.id > ? ORDER BY e.id LIMIT ?", arguments: [id, limit])
            let cursor: Int64 = rows.last?["id"] ?? id
            return AlertEventPage(events: rows.compactMap(Self.terminalEvent).filter(filter.admits), cursor: cursor)
        }
    }

    /// The alert events at or after `since` (host time), filtered, and the cursor to follow on
    /// from: `vitals tail --since`. Read in one transaction with the cursor (nothing is missed or
    /// doubled between the backlog and what follows).
    public func alertEvents(since: Int64, filter: AlertEventFilter) throws(StoreError) -> AlertEventPage {
        try reading { db in
            let cursor = try Int64.fetchOne(db, sql: "SELECT max(id) FROM alert_events") ?? 0
            let rows = try Row.fetchAll(
                db, sql: Self.terminalEventSelect + " WHERE e.t >= ? AND e.id <= ? ORDER BY e.id", arguments: [since, cursor])
            return AlertEventPage(events: rows.compactMap(Self.terminalEvent).filter(filter.admits), cursor: cursor)
        }
    }

    /// Every event of the alerts still active (not cleared) in the open sessions, filtered, and
    /// the cursor to follow on from: what `vitals tail` shows first by default.
    public func activeAlertEvents(filter: AlertEventFilter) throws(StoreError) -> AlertEventPage {
        try reading { db in
            let cursor = try Int64.fetchOne(db, sql: "SELECT max(id) FROM alert_events") ?? 0
            let rows = try Row.fetchAll(
                db,
                sql: Self.terminalEventSelect
                    + " WHERE s.ended_at IS NULL AND a.cleared_at IS NULL AND \(Self.notSuperseded) AND e.id <= ? ORDER BY e.id",
                arguments: [cursor])
            return AlertEventPage(events: rows.compactMap(Self.terminalEvent).filter(filter.admits), cursor: cursor)
        }
    }

    /// True for an `alerts` row (aliased `a`) that no later row of the same session, rule and
    /// occurrence has replaced.
    static let notSuperseded = """
        NOT EXISTS (SELECT 1 FROM alerts later WHERE later.session_id = a.session_id AND later.rule = a.rule
                    AND later.occurrence = a.occurrence AND later.id > a.id)
        """

    /// The alert that replaced alert `id` (a later raise of the same occurrence), if any: the
    /// one to acknowledge instead.
    public func supersedingAlert(of id: Int64) throws(StoreError) -> StoredAlert? {
        try reading { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT later.* FROM alerts a JOIN alerts later ON later.session_id = a.session_id AND later.rule = a.rule
                    AND later.occurrence = a.occurrence AND later.id > a.id WHERE a.id = ? ORDER BY later.id DESC LIMIT 1
                    """,
                arguments: [id]
            ).flatMap(Self.storedAlert)
        }
    }

    static func terminalEvent(_ row: Row) -> StoredAlertEvent? {
        guard var e = storedAlertEvent(row) else { return nil }
        e.raisedAt = row["alert_raised_at"]
        e.sessionStartedAt = row["session_started_at"]
        e.event.occurrence = row["occurrence"] ?? 0
        return e
    }

    /// The alert (occurrence) with this id, or `nil`.
    public func alert(id: Int64) throws(StoreError) -> StoredAlert? {
        try reading { db in
            try Row.fetchOne(db, sql: "SELECT * FROM alerts WHERE id = ?", arguments: [id]).flatMap(Self.storedAlert)
        }
    }

    /// The alerts of `sessionID` that have not cleared (firing, or latched until acknowledged),
    /// in the order raised. A row superseded by a later raise of the same occurrence (a re-alarm
    /// after an acknowledgement, which the writer stores as a new row) is not active: its
    /// successor is.
    public func activeAlerts(session sessionID: Int64) throws(StoreError) -> [StoredAlert] {
        try reading { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM alerts a WHERE session_id = ? AND cleared_at IS NULL AND \(Self.notSuperseded) ORDER BY raised_at, id",
                arguments: [sessionID]
            ).compactMap(Self.storedAlert)
        }
    }

    static func storedAlert(_ row: Row) -> StoredAlert? {
        guard let kind = AlertKind(rawValue: row["kind"]), let priority = AlertPriority(rawValue: row["priority"])
        else { return nil }
        let metricName: String? = row["metric"]
        return StoredAlert(
            id: row["id"], sessionID: row["session_id"], rule: row["rule"], kind: kind,
            metric: metricName.flatMap(Metric.init(name:)), priority: priority, message: row["message"],
            raisedAt: row["raised_at"], escalatedAt: row["escalated_at"], acknowledgedAt: row["acknowledged_at"],
            acknowledgedBy: row["acknowledged_by"], clearedAt: row["cleared_at"], occurrence: row["occurrence"])
    }

    /// The open sessions (at most one a room), by room; only `room`'s when given.
    public func openSessions(room: String? = nil) throws(StoreError) -> [SessionRecord] {
        try reading { db in
            if let room {
                return try Self.openSession(db, room: room).map { [$0] } ?? []
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM sessions WHERE ended_at IS NULL ORDER BY room, id")
                .map(Self.sessionRecord)
        }
    }

    /// The latest reading of each device and metric of `sessionID`, by device then metric.
    ///
    /// One pass over the session's reading-id range (`first_reading_id` .. `last_reading_id`,
    /// a rowid range scan; `readings` has no session index, docs/SCHEMA.md), keeping the row with
    /// the highest id per group (SQLite returns the bare columns of the `max()` row).
    public func latestReadings(session sessionID: Int64) throws(StoreError) -> [StoredReading] {
        try reading { db in
            guard let s = try Self.session(db, id: sessionID) else { throw StoreError.unknownSession(id: sessionID) }
            guard let range = s.readingIDs else { return [] }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT max(r.id) AS id, r.session_id, d.name, r.metric, r.value_x100, r.flags, r.t, r.device_t
                    FROM readings r JOIN devices d ON d.id = r.device_id
                    WHERE r.id BETWEEN ? AND ? AND r.session_id = ?
                    GROUP BY r.device_id, r.metric ORDER BY d.name, r.metric
                    """,
                arguments: [range.lowerBound, range.upperBound, sessionID]
            ).compactMap(Self.storedReading)
        }
    }

    /// Each device of `sessionID` with its profile, latest connection event and sensor state.
    public func deviceStates(session sessionID: Int64) throws(StoreError) -> [SessionDeviceState] {
        try reading { db in
            let devices = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, d.name, d.profile, sd.detached_at FROM session_devices sd JOIN devices d ON d.id = sd.device_id
                    WHERE sd.session_id = ? ORDER BY d.name
                    """,
                arguments: [sessionID])
            return try devices.map { row in
                let deviceID: Int64 = row["id"]
                let connection = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT kind, t FROM device_events WHERE session_id = ? AND device_id = ?
                        AND kind IN ('connected', 'streaming', 'quiet', 'disconnected') ORDER BY t DESC, id DESC LIMIT 1
                        """,
                    arguments: [sessionID, deviceID])
                let sensor = try String.fetchOne(
                    db,
                    sql: """
                        SELECT kind FROM device_events WHERE session_id = ? AND device_id = ?
                        AND kind IN ('sensor-off', 'sensor-on') ORDER BY t DESC, id DESC LIMIT 1
                        """,
                    arguments: [sessionID, deviceID])
                // Command replies are stored as `status` rows whose detail starts with the kind's
                // name (`DeviceEvent(status:)`).
                let rejected = DeviceStatus.Kind.commandRejected.rawValue, accepted = DeviceStatus.Kind.commandAccepted.rawValue
                let reply = try String.fetchOne(
                    db,
                    sql: """
                        SELECT detail FROM device_events WHERE session_id = ? AND device_id = ? AND kind = ?
                        AND (detail = ? OR detail LIKE ? OR detail = ? OR detail LIKE ?) ORDER BY t DESC, id DESC LIMIT 1
                        """,
                    arguments: [sessionID, deviceID, DeviceEventKind.status.rawValue, rejected, rejected + ": %", accepted, accepted + ": %"])
                var refused: String?
                if let reply, reply.hasPrefix(rejected) {
                    let detail = reply.dropFirst(rejected.count).drop { $0 == ":" || $0 == " " }
                    refused = detail.isEmpty ? rejected : String(detail)
                }
                return SessionDeviceState(
                    name: row["name"], profile: row["profile"],
                    connection: connection.flatMap { DeviceEventKind(rawValue: $0["kind"]) }, connectionAt: connection?["t"],
                    sensorOff: sensor == DeviceEventKind.sensorOff.rawValue, detachedAt: row["detached_at"],
                    commandRefused: refused)
            }
        }
    }
}
