import PostgresNIO
import Store
import VitalsCore

/// A session as `vitals session list --central` shows it: which room (central id and name) and
/// the session row the room forwarded.
public struct CentralListedSession: Sendable, Hashable {
    public var room: CentralRoom
    public var session: ForwardSession
}

/// One session of one room read back from the central database, as the forwarder sent it: the
/// room's rows with their own ids, ready for `VitalsDatabase.insertCopy(of:)`.
public struct CentralSessionCopy: Sendable {
    public var room: CentralRoom
    public var rows: RoomChangeBatch
    /// Rows the central copy holds that this program cannot read (a metric, event or priority
    /// added by a newer bridge), left out of `rows` and counted here so the caller can say so.
    public var unreadable: Int
}

extension CentralDatabase {
    static let sessionColumns = """
        s.id, s.room, s.patient_ref, s.clinician, s.medication, s.dose, s.route, s.observe_ms, s.limits_json,
        s.started_at, s.dose_at, s.ended_at, s.end_reason, s.auto_opened
        """

    /// The session columns `sessionColumns` lists, from `offset` on.
    static func forwardSession(_ row: PostgresRow, offset: Int) throws -> ForwardSession {
        let r = row.makeRandomAccess()
        return ForwardSession(
            id: try r[offset].decode(Int64.self), room: try r[offset + 1].decode(String.self),
            patientRef: try r[offset + 2].decode(String?.self), clinician: try r[offset + 3].decode(String?.self),
            medication: try r[offset + 4].decode(String?.self), dose: try r[offset + 5].decode(String?.self),
            route: try r[offset + 6].decode(String?.self), observeMs: try r[offset + 7].decode(Int64?.self),
            limitsJSON: try r[offset + 8].decode(String.self), startedAt: try r[offset + 9].decode(Int64.self),
            doseAt: try r[offset + 10].decode(Int64?.self), endedAt: try r[offset + 11].decode(Int64?.self),
            endReason: try r[offset + 12].decode(String?.self), autoOpened: try r[offset + 13].decode(Bool.self))
    }

    /// Sessions of every room (of `rooms` only, by room name, when not empty), newest first, at
    /// most `limit`.
    public func sessions(rooms: Set<String> = [], limit: Int = 50) async throws(CentralError) -> [CentralListedSession] {
        try await requireSchema()
        let names = Array(rooms).sorted()
        let rows = try await run(
            """
            SELECT r.room_id, r.name, \(unescaped: Self.sessionColumns)
            FROM sessions s JOIN rooms r ON r.room_id = s.room_id
            WHERE cardinality(\(names)::text[]) = 0 OR r.name = ANY(\(names)::text[])
            ORDER BY s.started_at DESC, r.name, s.id DESC LIMIT \(Int64(max(0, limit)))
            """)
        do {
            return try rows.map { row in
                let r = row.makeRandomAccess()
                return CentralListedSession(
                    room: CentralRoom(id: try r[0].decode(String.self), name: try r[1].decode(String.self)),
                    session: try Self.forwardSession(row, offset: 2))
            }
        } catch {
            throw .query(endpoint: endpoint.redacted, reason: CentralError.describe(error))
        }
    }

    /// Session `id` with all its rows. Session ids are a room's own, so the same id may exist in
    /// several rooms: `rooms` (room names) narrows it down, and more than one match is an error
    /// naming the rooms.
    public func sessionCopy(id: Int64, rooms: Set<String> = []) async throws(CentralError) -> CentralSessionCopy {
        try await requireSchema()
        let names = Array(rooms).sorted()
        let matches = try await run(
            """
            SELECT r.room_id, r.name FROM sessions s JOIN rooms r ON r.room_id = s.room_id
            WHERE s.id = \(id) AND (cardinality(\(names)::text[]) = 0 OR r.name = ANY(\(names)::text[]))
            ORDER BY r.name, r.room_id
            """)
        let found: [CentralRoom]
        do {
            found = try matches.map { CentralRoom(id: try $0.makeRandomAccess()[0].decode(String.self), name: try $0.makeRandomAccess()[1].decode(String.self)) }
        } catch {
            throw .query(endpoint: endpoint.redacted, reason: CentralError.describe(error))
        }
        guard let room = found.first else { throw .unknownSession(endpoint: endpoint.redacted, id: id, rooms: names) }
        guard found.count == 1 else { throw .ambiguousSession(endpoint: endpoint.redacted, id: id, rooms: found.map(\.name)) }
        // One snapshot: a forwarder committing meanwhile does not tear the copy.
        return try await transaction { c in
            try await c.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: self.logger)
            var unreadable = 0
            var copy = RoomChangeBatch(room: RoomIdentity(uid: room.id, name: room.name))
            for row in try await c.query(
                "SELECT \(unescaped: Self.sessionColumns) FROM sessions s WHERE s.room_id = \(room.id) AND s.id = \(id)",
                logger: self.logger
            ).collect() {
                copy.sessions.append(try Self.forwardSession(row, offset: 0))
            }
            let readings = try await c.query(
                """
                SELECT r.id, r.device, coalesce(d.profile, 'unknown'), r.metric, r.value_x100, r.flags, r.t, r.device_t
                FROM readings r LEFT JOIN devices d ON d.room_id = r.room_id AND d.name = r.device
                WHERE r.room_id = \(room.id) AND r.session_id = \(id) ORDER BY r.id
                """, logger: self.logger)
            for try await (rid, device, profile, metric, value, flags, t, deviceT) in readings.decode(
                (Int64, String, String, String, Int64, Int32, Int64, Int64?).self)
            {
                guard let m = Metric(name: metric) else {
                    unreadable += 1
                    continue
                }
                copy.readings.append(ForwardReading(
                    id: rid, sessionID: id, device: device, profile: profile, metric: m, value: Double(value) / 100,
                    flags: QualityFlags(rawValue: UInt32(bitPattern: flags)), t: t, deviceT: deviceT))
            }
            let alerts = try await c.query(
                """
                SELECT id, rule, occurrence, kind, metric, priority, message, raised_at, escalated_at, acknowledged_at,
                       acknowledged_by, cleared_at
                FROM alerts WHERE room_id = \(room.id) AND session_id = \(id) ORDER BY id
                """, logger: self.logger)
            for try await (aid, rule, occurrence, kind, metric, priority, message, raised, escalated, acked, by, cleared) in alerts.decode(
                (Int64, String, Int64, String, String?, String, String, Int64, Int64?, Int64?, String?, Int64?).self)
            {
                guard let k = AlertKind(rawValue: kind), let p = AlertPriority(rawValue: priority) else {
                    unreadable += 1
                    continue
                }
                copy.alerts.append(ForwardAlert(
                    id: aid, sessionID: id, rule: rule, occurrence: occurrence, kind: k, metric: metric, priority: p, message: message,
                    raisedAt: raised, escalatedAt: escalated, acknowledgedAt: acked, acknowledgedBy: by, clearedAt: cleared))
            }
            let alertEvents = try await c.query(
                """
                SELECT id, alert_id, t, run_ms, event, rule, priority, kind, metric, value, message, device, by
                FROM alert_events WHERE room_id = \(room.id) AND session_id = \(id) ORDER BY id
                """, logger: self.logger)
            for try await (eid, alert, t, run, event, rule, priority, kind, metric, value, message, device, by) in alertEvents.decode(
                (Int64, Int64, Int64, Int64, String, String, String, String, String?, Double?, String, String?, String?).self)
            {
                guard let e = AlertEventKind(rawValue: event), let k = AlertKind(rawValue: kind), let p = AlertPriority(rawValue: priority)
                else {
                    unreadable += 1
                    continue
                }
                copy.alertEvents.append(ForwardAlertEvent(
                    id: eid, alertID: alert, sessionID: id, t: t, runMs: run, event: e, rule: rule, priority: p, kind: k, metric: metric,
                    value: value, message: message, device: device, by: by))
            }
            let deviceEvents = try await c.query(
                """
                SELECT id, device, t, kind, metric, code, count, detail
                FROM device_events WHERE room_id = \(room.id) AND session_id = \(id) ORDER BY id
                """, logger: self.logger)
            for try await (eid, device, t, kind, metric, code, count, detail) in deviceEvents.decode(
                (Int64, String, Int64, String, String?, Int64?, Int64?, String).self)
            {
                copy.deviceEvents.append(ForwardDeviceEvent(
                    id: eid, sessionID: id, device: device, t: t, kind: kind, metric: metric, code: code, count: count, detail: detail))
            }
            let sessionEvents = try await c.query(
                "SELECT id, t, kind, text, by FROM session_events WHERE room_id = \(room.id) AND session_id = \(id) ORDER BY id",
                logger: self.logger)
            for try await (eid, t, kind, text, by) in sessionEvents.decode((Int64, Int64, String, String, String?).self) {
                copy.sessionEvents.append(ForwardSessionEvent(id: eid, sessionID: id, t: t, kind: kind, text: text, by: by))
            }
            return CentralSessionCopy(room: room, rows: copy, unreadable: unreadable)
        }
    }
}
