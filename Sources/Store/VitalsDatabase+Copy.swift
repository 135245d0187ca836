import GRDB
import VitalsCore

extension VitalsDatabase {
    /// Writes `copy` (rows as the forwarder reads them, with their original ids) into this
    /// database, which must hold no session yet, in one transaction.
    ///
    /// This is how a copy kept elsewhere (the central PostgreSQL, issue 17) is read with the room's
    /// own queries: `vitals session show|report --central` fill a throwaway file with one session
    /// and print it exactly as the room would. What the copy does not carry is left empty (USB ids,
    /// serials, waveforms, the REMS record's own tables); a device's `session_devices` row is
    /// attached at its first row in the session and detached at the session's end.
    public func insertCopy(of copy: RoomChangeBatch) throws(StoreError) {
        try writing { db in
            let existing = try Int.fetchOne(db, sql: "SELECT count(*) FROM sessions") ?? 0
            guard existing == 0 else {
                throw StoreError.invalidValue(
                    name: "database", value: path, reason: "already holds sessions; a copy is only written into an empty database")
            }
            for s in copy.sessions {
                try db.execute(
                    sql: """
                        INSERT INTO sessions(id, room, patient_ref, clinician, medication, dose, route, observe_ms, limits_json,
                                             started_at, dose_at, ended_at, end_reason, auto_opened)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        s.id, s.room, s.patientRef, s.clinician, s.medication, s.dose, s.route, s.observeMs, s.limitsJSON,
                        s.startedAt, s.doseAt, s.endedAt, s.endReason, s.autoOpened ? 1 : 0,
                    ])
            }
            // Devices by name; the profile a reading names wins over "unknown".
            var deviceIDs: [String: Int64] = [:]
            var firstSeen: [SessionDeviceKey: Int64] = [:]
            func device(_ name: String, profile: String?, session: Int64?, at t: Int64) throws -> Int64 {
                let id: Int64
                if let known = deviceIDs[name] {
                    id = known
                    if let profile {
                        try db.execute(sql: "UPDATE devices SET profile = ? WHERE id = ? AND profile = 'unknown'", arguments: [profile, id])
                    }
                } else {
                    try db.execute(
                        sql: "INSERT INTO devices(profile, name, first_seen) VALUES (?, ?, ?)", arguments: [profile ?? "unknown", name, t])
                    id = db.lastInsertedRowID
                    deviceIDs[name] = id
                }
                if let session {
                    let key = SessionDeviceKey(session: session, device: id)
                    firstSeen[key] = min(firstSeen[key] ?? t, t)
                }
                return id
            }
            for r in copy.readings {
                let d = try device(r.device, profile: r.profile, session: r.sessionID, at: r.t)
                try db.execute(
                    sql: "INSERT INTO readings(id, session_id, device_id, metric, t, device_t, value_x100, flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [
                        r.id, r.sessionID, d, r.metric.storageCode, r.t, r.deviceT, ReadingValue.encode(r.value),
                        Int64(r.flags.rawValue),
                    ])
            }
            for e in copy.deviceEvents {
                let d = try device(e.device, profile: nil, session: e.sessionID, at: e.t)
                let metric = try e.metric.flatMap { try Int64.fetchOne(db, sql: "SELECT code FROM metrics WHERE name = ?", arguments: [$0]) }
                try db.execute(
                    sql: "INSERT INTO device_events(id, session_id, device_id, t, kind, metric, code, count, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [e.id, e.sessionID, d, e.t, e.kind, metric, e.code, e.count, e.detail])
            }
            for a in copy.alerts {
                try db.execute(
                    sql: """
                        INSERT INTO alerts(id, session_id, rule, occurrence, kind, metric, priority, message, raised_at, escalated_at,
                                           acknowledged_at, acknowledged_by, cleared_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        a.id, a.sessionID, a.rule, a.occurrence, a.kind.rawValue, a.metric, a.priority.rawValue, a.message, a.raisedAt,
                        a.escalatedAt, a.acknowledgedAt, a.acknowledgedBy, a.clearedAt,
                    ])
            }
            for e in copy.alertEvents {
                try db.execute(
                    sql: """
                        INSERT INTO alert_events(id, alert_id, session_id, t, run_ms, event, rule, priority, kind, metric, value, message, device, by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        e.id, e.alertID, e.sessionID, e.t, e.runMs, e.event.rawValue, e.rule, e.priority.rawValue, e.kind.rawValue,
                        e.metric, e.value, e.message, e.device, e.by,
                    ])
            }
            for e in copy.sessionEvents {
                try db.execute(
                    sql: "INSERT INTO session_events(id, session_id, t, kind, text, by) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [e.id, e.sessionID, e.t, e.kind, e.text, e.by])
            }
            let ended = Dictionary(copy.sessions.map { ($0.id, $0.endedAt) }, uniquingKeysWith: { a, _ in a })
            for (key, at) in firstSeen.sorted(by: { ($0.key.session, $0.key.device) < ($1.key.session, $1.key.device) }) {
                try db.execute(
                    sql: "INSERT INTO session_devices(session_id, device_id, attached_at, detached_at) VALUES (?, ?, ?, ?)",
                    arguments: [key.session, key.device, at, ended[key.session] ?? nil])
            }
            // The reading-id range every session query goes through.
            try db.execute(
                sql: """
                    UPDATE sessions SET first_reading_id = (SELECT min(id) FROM readings r WHERE r.session_id = sessions.id),
                                        last_reading_id = (SELECT max(id) FROM readings r WHERE r.session_id = sessions.id)
                    """)
        }
    }
}

extension SessionRecord {
    /// A session as forwarded (what a central copy lists): the REMS record's fields and the rule
    /// file are not forwarded, so they are empty here.
    public init(forwarded s: ForwardSession) {
        self.init(
            id: s.id,
            plan: SessionPlan(
                room: s.room, patientRef: s.patientRef, clinician: s.clinician, medication: s.medication, dose: s.dose,
                route: s.route, observeMilliseconds: s.observeMs, limits: VitalsDatabase.parseLimits(s.limitsJSON)),
            startedAt: s.startedAt, doseAt: s.doseAt, endedAt: s.endedAt, endReason: s.endReason, autoOpened: s.autoOpened)
    }
}
