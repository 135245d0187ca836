import Logging
import PostgresNIO
import Store
import VitalsCore

/// An alert event read from the central database: the room's own event (its ids are the room's)
/// with the room's central id.
public struct CentralAlertEventRecord: Sendable, Hashable {
    public var roomID: String
    public var event: StoredAlertEvent
}

/// Which central alert events `vitals tail --central` shows: the room filter of the room's tail
/// (by room name, several allowed), a session, a lowest priority.
public struct CentralAlertFilter: Sendable, Hashable {
    public var rooms: Set<String>
    public var sessionID: Int64?
    public var minimumPriority: AlertPriority?
    public init(rooms: Set<String> = [], sessionID: Int64? = nil, minimumPriority: AlertPriority? = nil) {
        self.rooms = rooms
        self.sessionID = sessionID
        self.minimumPriority = minimumPriority
    }
    public func admits(_ r: CentralAlertEventRecord) -> Bool {
        if !rooms.isEmpty, !rooms.contains(r.event.room) { return false }
        return AlertEventFilter(sessionID: sessionID, minimumPriority: minimumPriority).admits(r.event)
    }
}

/// Follows every room's alert events in the central database: LISTEN on
/// `CentralSchema.alertChannel` (a trigger NOTIFYs on each insert), then read what is new.
///
/// The cursor is per room (the room's own `alert_events.id`, which grows in the room's commit
/// order, and one forwarder writes a room in that order), not one global sequence: two rooms'
/// transactions can commit out of the order their rows were numbered in, and a global cursor
/// would skip the slower one's rows. A notification only says "look"; the cursors say what is
/// new, so a notification lost while reconnecting costs nothing: the first read after LISTEN
/// catches up.
public final class CentralAlertFeed: Sendable {
    let endpoint: CentralEndpoint
    let filter: CentralAlertFilter
    let logger: Logger

    public init(endpoint: CentralEndpoint, filter: CentralAlertFilter, logger: Logger = Logger(label: "vitals.central.tail")) {
        self.endpoint = endpoint
        self.filter = filter
        self.logger = logger
    }

    static let select = """
        SELECT e.room_id, r.name, e.id, e.alert_id, e.session_id, e.t, e.run_ms, e.event, e.rule, e.priority, e.kind,
               e.metric, e.value, e.message, e.device, e.by, s.started_at, a.raised_at, a.occurrence
        FROM alert_events e JOIN rooms r ON r.room_id = e.room_id
        LEFT JOIN sessions s ON s.room_id = e.room_id AND s.id = e.session_id
        LEFT JOIN alerts a ON a.room_id = e.room_id AND a.id = e.alert_id
        """

    /// The events to show first (every event of the alerts still active in open sessions, or
    /// every event since `since`, host milliseconds) and the per-room cursors to follow from.
    public func backlog(_ db: CentralDatabase, since: Int64?) async throws(CentralError) -> (events: [CentralAlertEventRecord], cursors: [String: Int64]) {
        let cursorRows = try await db.run("SELECT room_id, max(id) FROM alert_events GROUP BY room_id")
        var cursors: [String: Int64] = [:]
        for row in cursorRows {
            if let (room, id) = try? row.decode((String, Int64).self) { cursors[room] = id }
        }
        let (rooms, lasts) = (Array(cursors.keys), cursors.keys.map { cursors[$0]! })
        let condition: PostgresQuery
        if let since {
            condition = "WHERE e.t >= \(since) AND e.id <= c.last"
        } else {
            condition = """
                WHERE s.ended_at IS NULL AND a.cleared_at IS NULL AND e.id <= c.last
                AND NOT EXISTS (SELECT 1 FROM alerts later WHERE later.room_id = a.room_id AND later.session_id = a.session_id
                    AND later.rule = a.rule AND later.occurrence = a.occurrence AND later.id > a.id)
                """
        }
        var binds = condition.binds
        let first = binds.count + 1
        binds.append(rooms)
        binds.append(lasts)
        let sql = Self.select + " JOIN unnest($\(first)::text[], $\(first + 1)::bigint[]) AS c(room_id, last) ON c.room_id = e.room_id "
            + condition.sql + " ORDER BY e.t, e.room_id, e.id"
        let rows = try await db.run(PostgresQuery(unsafeSQL: sql, binds: binds))
        return (rows.compactMap(Self.record).filter(filter.admits), cursors)
    }

    /// The events after `cursors` (a room missing from it: every event of that room), up to
    /// `limit` per room, ordered by time; advances `cursors` past every row read, shown or not.
    public func after(_ db: CentralDatabase, cursors: inout [String: Int64], limit: Int = 1000) async throws(CentralError) -> [CentralAlertEventRecord] {
        let (rooms, lasts) = (Array(cursors.keys), cursors.keys.map { cursors[$0]! })
        let rows = try await db.run(
            PostgresQuery(
                unsafeSQL: """
                    SELECT n.* FROM rooms rr LEFT JOIN unnest($1::text[], $2::bigint[]) AS c(room_id, last) ON c.room_id = rr.room_id
                    CROSS JOIN LATERAL (\(Self.select) WHERE e.room_id = rr.room_id AND e.id > coalesce(c.last, 0)
                                        ORDER BY e.id LIMIT \(limit)) n
                    ORDER BY n.t, n.room_id, n.id
                    """,
                binds: { var b = PostgresBindings(); b.append(rooms); b.append(lasts); return b }()))
        var records: [CentralAlertEventRecord] = []
        for row in rows {
            guard let r = Self.record(row) else { continue }
            cursors[r.roomID] = max(cursors[r.roomID] ?? 0, r.event.id)
            records.append(r)
        }
        return records.filter(filter.admits)
    }

    /// Prints (through `deliver`) the backlog, then every new event as its NOTIFY arrives, until
    /// the task is cancelled. A lost connection is reported through `report` and reopened with
    /// backoff; the cursors carry over, so nothing is missed or shown twice.
    public func follow(
        since: Int64?, backlog showBacklog: Bool = true,
        report: @escaping @Sendable (String) -> Void,
        deliver: @escaping @Sendable ([CentralAlertEventRecord]) -> Void
    ) async throws {
        var cursors: [String: Int64]?
        var backoff = CentralBackoff()
        while !Task.isCancelled {
            let db = try await CentralDatabase.connectRetrying(endpoint, logger: logger) { message, delay in
                report("\(message); retrying in \(delay)")
            }
            do {
                try await db.requireSchema()
                var current = cursors ?? [:]
                var first = cursors == nil
                try await db.connection.listen(on: CentralSchema.alertChannel) { notifications in
                    // LISTEN is in place: read the backlog (once), catch up on what arrived while
                    // not listening, then again on each notification.
                    if first {
                        let backlog = try await self.backlog(db, since: since)
                        if showBacklog { deliver(backlog.events) }
                        current = backlog.cursors
                        cursors = current
                        first = false
                    }
                    repeat {
                        let events = try await self.after(db, cursors: &current)
                        cursors = current
                        deliver(events)
                        if events.isEmpty { break }
                    } while true
                    backoff.succeeded()
                    for try await _ in notifications {
                        repeat {
                            let events = try await self.after(db, cursors: &current)
                            cursors = current
                            deliver(events)
                            if events.isEmpty { break }
                        } while true
                    }
                }
                if Task.isCancelled {
                    await db.close()
                    return
                }
                report("\(endpoint.redacted): the connection closed; reconnecting")
            } catch is CancellationError {
                await db.close()
                return
            } catch {
                if Task.isCancelled {
                    await db.close()
                    return
                }
                let delay = backoff.failed()
                report("\(CentralError.describe(error)); retrying in \(delay)")
                await db.close()
                try await Task.sleep(for: delay)
                continue
            }
            await db.close()
        }
    }

    static func record(_ row: PostgresRow) -> CentralAlertEventRecord? {
        let c = row.makeRandomAccess()
        guard let roomID = try? c[0].decode(String.self), let room = try? c[1].decode(String.self),
            let id = try? c[2].decode(Int64.self), let alertID = try? c[3].decode(Int64.self),
            let sessionID = try? c[4].decode(Int64.self), let t = try? c[5].decode(Int64.self),
            let runMs = try? c[6].decode(Int64.self),
            let ev = (try? c[7].decode(String.self)).flatMap(AlertEventKind.init(rawValue:)),
            let rule = try? c[8].decode(String.self),
            let priority = (try? c[9].decode(String.self)).flatMap(AlertPriority.init(rawValue:)),
            let kind = (try? c[10].decode(String.self)).flatMap(AlertKind.init(rawValue:)),
            let message = try? c[13].decode(String.self)
        else { return nil }
        let metric = (try? c[11].decode(String?.self)) ?? nil
        var event = AlertEvent(
            time: RunTime(milliseconds: runMs), hostTime: t, rule: rule, priority: priority, kind: kind, event: ev,
            metric: metric.flatMap(Metric.init(name:)), value: (try? c[12].decode(Double?.self)) ?? nil, message: message,
            device: (try? c[14].decode(String?.self)) ?? nil, by: (try? c[15].decode(String?.self)) ?? nil)
        event.occurrence = Int(((try? c[18].decode(Int64?.self)) ?? nil) ?? 0)
        let stored = StoredAlertEvent(
            id: id, alertID: alertID, sessionID: sessionID, room: room, event: event,
            raisedAt: (try? c[17].decode(Int64?.self)) ?? nil, sessionStartedAt: (try? c[16].decode(Int64?.self)) ?? nil)
        return CentralAlertEventRecord(roomID: roomID, event: stored)
    }
}
