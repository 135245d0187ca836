import Foundation
import PostgresNIO
import Store
import VitalsCore

/// `vitals status --central`: one entry per room the central database has heard of.
public struct CentralBoard: Sendable, Hashable {
    public struct Vital: Sendable, Hashable {
        public var metric: Metric
        public var value: Double
        /// Room wall-clock milliseconds of the reading.
        public var t: Int64
        public var flags: QualityFlags
    }

    public struct ActiveAlert: Sendable, Hashable {
        public var id: Int64
        public var priority: AlertPriority
        public var message: String
        public var raisedAt: Int64
        public var acknowledgedBy: String?
    }

    public struct Room: Sendable, Hashable {
        public var roomID: String
        public var name: String
        /// Milliseconds since the forwarder's last contact, by the central server's clock (so
        /// the viewer's clock does not matter); `nil` when it never reported.
        public var heartbeatAgeMs: Int64?
        public var lagRows: Int64
        public var lagSeconds: Double
        public var sessionID: Int64?
        public var patientRef: String?
        public var sessionStartedAt: Int64?
        public var vitals: [Vital] = []
        /// Highest priority first, then oldest first.
        public var alerts: [ActiveAlert] = []

        /// True when the forwarder has not been heard from for `staleAfterMs`: what the board
        /// shows of this room may be old.
        public func notReporting(staleAfterMs: Int64) -> Bool {
            guard let age = heartbeatAgeMs else { return true }
            return age > staleAfterMs
        }
    }

    public var rooms: [Room]

    /// Reads the board (of `rooms` only, when not empty) in one snapshot transaction.
    public static func read(_ db: CentralDatabase, rooms filter: Set<String> = []) async throws(CentralError) -> CentralBoard {
        try await db.requireSchema()
        let shown = Metric.allCases.filter { $0 != .pleth }.map(\.name)
        return try await db.transaction { c in
            try await c.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: db.logger)
            var rooms: [String: Room] = [:]
            let head = try await c.query(
                """
                SELECT r.room_id, r.name, (extract(epoch FROM now() - h.last_contact) * 1000)::bigint,
                       coalesce(h.lag_rows, 0), coalesce(h.lag_seconds, 0), s.id, s.patient_ref, s.started_at
                FROM rooms r LEFT JOIN forwarder_heartbeats h ON h.room_id = r.room_id
                LEFT JOIN LATERAL (SELECT id, patient_ref, started_at FROM sessions
                                   WHERE room_id = r.room_id AND ended_at IS NULL ORDER BY started_at DESC LIMIT 1) s ON true
                """, logger: db.logger)
            for try await (id, name, age, lagRows, lagSeconds, session, patient, started) in head.decode(
                (String, String, Int64?, Int64, Double, Int64?, String?, Int64?).self)
            where filter.isEmpty || filter.contains(name) {
                rooms[id] = Room(
                    roomID: id, name: name, heartbeatAgeMs: age, lagRows: lagRows, lagSeconds: lagSeconds, sessionID: session,
                    patientRef: patient, sessionStartedAt: started)
            }
            let vitals = try await c.query(
                """
                SELECT s.room_id, m.metric, l.value_x100, l.t, l.flags
                FROM sessions s CROSS JOIN unnest(\(shown)::text[]) AS m(metric)
                CROSS JOIN LATERAL (SELECT value_x100, t, flags FROM readings
                                    WHERE room_id = s.room_id AND metric = m.metric AND session_id = s.id
                                    ORDER BY t DESC LIMIT 1) l
                WHERE s.ended_at IS NULL
                """, logger: db.logger)
            for try await (room, metric, value, t, flags) in vitals.decode((String, String, Int64, Int64, Int32).self) {
                guard let m = Metric(name: metric), rooms[room]?.sessionID != nil else { continue }
                rooms[room]?.vitals.append(Vital(metric: m, value: Double(value) / 100, t: t, flags: QualityFlags(rawValue: UInt32(bitPattern: flags))))
            }
            let alerts = try await c.query(
                """
                SELECT a.room_id, a.id, a.priority, a.message, a.raised_at, a.acknowledged_by
                FROM alerts a JOIN sessions s ON s.room_id = a.room_id AND s.id = a.session_id
                WHERE s.ended_at IS NULL AND a.cleared_at IS NULL
                AND NOT EXISTS (SELECT 1 FROM alerts later WHERE later.room_id = a.room_id AND later.session_id = a.session_id
                    AND later.rule = a.rule AND later.occurrence = a.occurrence AND later.id > a.id)
                ORDER BY a.raised_at
                """, logger: db.logger)
            for try await (room, id, priority, message, raised, by) in alerts.decode((String, Int64, String, String, Int64, String?).self) {
                guard let p = AlertPriority(rawValue: priority) else { continue }
                rooms[room]?.alerts.append(ActiveAlert(id: id, priority: p, message: message, raisedAt: raised, acknowledgedBy: by))
            }
            var list = Array(rooms.values).sorted { ($0.name, $0.roomID) < ($1.name, $1.roomID) }
            for i in list.indices {
                list[i].vitals.sort { $0.metric < $1.metric }
                list[i].alerts.sort { ($1.priority, $0.raisedAt) < ($0.priority, $1.raisedAt) }
            }
            return CentralBoard(rooms: list)
        }
    }

    /// The board as text lines for a terminal `width` columns wide, at `now` (viewer's wall
    /// clock, milliseconds); a room whose forwarder is silent for `staleAfterMs` is marked
    /// NOT REPORTING with how long.
    public func lines(now: Int64, staleAfterMs: Int64, width: Int = 80, formatter: LocalTimeFormatter = LocalTimeFormatter()) -> [String] {
        guard !rooms.isEmpty else { return ["No room has forwarded to the central database yet (run `vitals forward --to postgres://…` in each room)."] }
        var out: [String] = []
        for (index, r) in rooms.enumerated() {
            if index > 0 { out.append("") }
            var head = r.name
            if let s = r.sessionID {
                head += "  session \(s)"
                if let p = r.patientRef { head += "  patient \(p)" }
                if let started = r.sessionStartedAt {
                    head += "  started \(formatter.time(started)) (\(DurationText.readable(milliseconds: max(0, now - started))))"
                }
            } else {
                head += "  no open session"
            }
            out.append(Self.fit(head, width))
            if r.notReporting(staleAfterMs: staleAfterMs) {
                let since = r.heartbeatAgeMs.map { "for \(DurationText.readable(milliseconds: $0))" } ?? "ever"
                out.append(Self.fit("  NOT REPORTING: no word from its forwarder \(since); what follows may be old", width))
            }
            if r.lagRows > 0 {
                out.append(Self.fit("  forwarder behind by \(r.lagRows) rows (\(DurationText.readable(milliseconds: Int64(r.lagSeconds * 1000))))", width))
            }
            guard r.sessionID != nil else { continue }
            if r.vitals.isEmpty {
                out.append("  (no readings yet)")
            } else {
                var parts: [String] = []
                for v in r.vitals {
                    let age = DurationText.readable(milliseconds: max(0, now - v.t))
                    parts.append("\(v.metric.name) \(NumberText.format(v.value)) \(v.metric.displayUnit) (\(age))")
                }
                var line = " "
                for p in parts {
                    if line.count + 2 + p.count > width {
                        out.append(line)
                        line = " "
                    }
                    line += " " + p + " "
                }
                out.append(Self.fit(line, width))
            }
            if r.alerts.isEmpty {
                out.append("  No active alerts.")
            } else {
                let counts = AlertPriority.allCases.sorted(by: >).compactMap { p -> String? in
                    let n = r.alerts.filter { $0.priority == p }.count
                    return n == 0 ? nil : "\(n) \(p.rawValue)"
                }
                out.append("  ACTIVE ALERTS: " + counts.joined(separator: ", "))
                for a in r.alerts {
                    var text = "  \(a.priority.rawValue.uppercased().padding(toLength: 6, withPad: " ", startingAt: 0))  \(formatter.time(a.raisedAt))  \(a.message)"
                    if let by = a.acknowledgedBy { text += " - acknowledged by \(by)" }
                    out.append(Self.fit(text + "  (alert \(a.id))", width))
                }
            }
        }
        return out
    }

    static func fit(_ line: String, _ width: Int) -> String {
        var l = Substring(line)
        while l.last == " " { l = l.dropLast() }
        return l.count <= width ? String(l) : String(l.prefix(width - 1)) + "…"
    }
}
