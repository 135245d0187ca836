import GRDB

/// The room daemon's heartbeat: one row per room, rewritten at least once a second while
/// `vitals run` monitors there, so every terminal can tell monitoring from a daemon that has
/// stopped (issue 19: a stopped daemon must never look like a calm room).
extension VitalsDatabase {
    /// Migration `v6-heartbeat`. `at` is the last beat and `since` the start of the current
    /// stretch of beats (both ms since 1970 UTC, wall clock); `stopped_at` is set when the daemon
    /// stopped on purpose, so terminals need not wait for the beat to age.
    static let schemaHeartbeat = """
        CREATE TABLE room_heartbeats (
            room TEXT PRIMARY KEY,
            at INTEGER NOT NULL,
            since INTEGER NOT NULL,
            stopped_at INTEGER
        ) STRICT;
        """

    /// Records that the room's daemon is monitoring at `at` (ms since 1970 UTC). A beat after a
    /// stop, or after a gap longer than `RoomHeartbeat.freshness`, starts a new stretch
    /// (`since = at`); otherwise `since` is kept.
    public func writeHeartbeat(room: String, at: Int64) throws(StoreError) {
        try writing { db in
            try db.execute(
                sql: """
                    INSERT INTO room_heartbeats(room, at, since, stopped_at) VALUES (?1, ?2, ?2, NULL)
                    ON CONFLICT(room) DO UPDATE SET
                        since = CASE WHEN stopped_at IS NOT NULL OR ?2 - at > ?3 OR ?2 < since THEN ?2 ELSE since END,
                        at = ?2, stopped_at = NULL
                    """,
                arguments: [room, at, RoomHeartbeat.freshness])
        }
    }

    /// Records that the room's daemon stopped monitoring at `at` (a clean stop): terminals show
    /// "NOT MONITORING" at once instead of after the heartbeat ages.
    public func stopHeartbeat(room: String, at: Int64) throws(StoreError) {
        try writing { db in
            try db.execute(sql: "UPDATE room_heartbeats SET stopped_at = ? WHERE room = ?", arguments: [at, room])
        }
    }

    /// The room's heartbeat, or `nil` when no daemon has ever monitored it.
    public func heartbeat(room: String) throws(StoreError) -> RoomHeartbeat? {
        try reading { db in
            try Row.fetchOne(db, sql: "SELECT * FROM room_heartbeats WHERE room = ?", arguments: [room]).map(Self.heartbeat)
        }
    }

    /// Every room's heartbeat, by room name.
    public func heartbeats() throws(StoreError) -> [RoomHeartbeat] {
        try reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM room_heartbeats ORDER BY room").map(Self.heartbeat)
        }
    }

    /// Every room the database knows: those with a heartbeat or a session, sorted.
    public func knownRooms() throws(StoreError) -> [String] {
        try reading { db in
            try String.fetchAll(
                db, sql: "SELECT room FROM room_heartbeats UNION SELECT room FROM sessions ORDER BY 1")
        }
    }

    static func heartbeat(_ row: Row) -> RoomHeartbeat {
        RoomHeartbeat(room: row["room"], at: row["at"], since: row["since"], stoppedAt: row["stopped_at"])
    }
}

/// One room's last heartbeat (see `VitalsDatabase.writeHeartbeat`).
public struct RoomHeartbeat: Sendable, Hashable {
    /// The room.
    public var room: String
    /// The last beat, ms since 1970 UTC.
    public var at: Int64
    /// When the current stretch of monitoring began, ms since 1970 UTC.
    public var since: Int64
    /// When the daemon stopped on purpose, if it did after its last beat.
    public var stoppedAt: Int64?

    /// How old a beat may be and the room still count as monitored: 5 s (issue 19), five beats
    /// of a daemon that writes once a second, so one slow commit does not flap the banner.
    public static let freshness: Int64 = 5000

    public init(room: String, at: Int64, since: Int64, stoppedAt: Int64? = nil) {
        self.room = room
        self.at = at
        self.since = since
        self.stoppedAt = stoppedAt
    }

    /// True while the daemon monitors: not stopped, and the last beat at most `freshness` old.
    /// A beat more than `freshness` in the future (a clock stepped back) counts as fresh: the
    /// daemon is evidently alive.
    public func isMonitoring(now: Int64) -> Bool {
        stoppedAt == nil && now - at <= Self.freshness
    }

    /// When monitoring stopped, as far as the database can tell: the clean stop, else the last beat.
    public var lastMonitoredAt: Int64 { stoppedAt ?? at }
}

/// Whether a room is monitored now, as terminals show it.
public enum MonitoringState: Sendable, Hashable {
    /// The daemon beats: monitoring since `since`.
    case monitoring(since: Int64)
    /// No fresh beat: not monitored since `since` (the last beat or clean stop).
    case stopped(since: Int64)
    /// No daemon has ever monitored the room in this database.
    case never

    /// The state of `heartbeat` (nil: never) at `now`.
    public init(_ heartbeat: RoomHeartbeat?, now: Int64) {
        guard let heartbeat else { self = .never; return }
        self = heartbeat.isMonitoring(now: now) ? .monitoring(since: heartbeat.since) : .stopped(since: heartbeat.lastMonitoredAt)
    }

    /// True for `.monitoring`.
    public var isMonitoring: Bool {
        switch self {
        case .monitoring: true
        case .stopped, .never: false
        }
    }

    /// "monitoring since 09:14:02", "NOT MONITORING since 09:20:11", "NOT MONITORING (no `vitals run` here yet)".
    public func text(_ formatter: LocalTimeFormatter) -> String {
        switch self {
        case let .monitoring(since): "monitoring since \(formatter.time(since))"
        case let .stopped(since): "NOT MONITORING since \(formatter.time(since))"
        case .never: "NOT MONITORING (no `vitals run` here yet)"
        }
    }
}
