import Foundation

/// The central database's schema as versioned migrations, applied in order by
/// `CentralDatabase.migrate()` and recorded in `schema_migrations`. Like the room's migrations
/// they are frozen once released: a change is a new migration at the end. docs/SCHEMA.md
/// ("The central database") describes the result.
///
/// Every room table is keyed by `(room_id, id)`: the room's generated identity and the row's id
/// in the room's own SQLite file, so a resent row lands on itself. Times are the room's integer
/// milliseconds since 1970-01-01 UTC, unchanged, so a central row compares equal to its source.
public enum CentralSchema {
    /// One migration: its version (1, 2, …), a name, and its SQL (one transaction).
    public struct Migration: Sendable {
        public var version: Int
        public var name: String
        public var sql: String
    }

    /// Every migration, oldest first.
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "v1-rooms-records-heartbeats", sql: v1),
    ]

    /// `sql` cut into single statements: the extended query protocol postgres-nio speaks takes
    /// one statement at a time. A statement ends at a line ending in `;` outside a `$$` body.
    public static func statements(_ sql: String) -> [String] {
        var out: [String] = []
        var current = ""
        var inBody = false
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            current += line + "\n"
            if line.components(separatedBy: "$$").count % 2 == 0 { inBody.toggle() }
            if !inBody, line.trimmingCharacters(in: .whitespaces).hasSuffix(";") {
                out.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                current = ""
            }
        }
        let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty, !rest.split(separator: "\n").allSatisfy({ $0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }) {
            out.append(rest)
        }
        return out
    }

    /// The newest version this program knows.
    public static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// The channel a trigger NOTIFYs on each new alert event; the payload is the room id.
    public static let alertChannel = "vitals_alert_events"

    static let v1 = """
        CREATE TABLE rooms (
            room_id text PRIMARY KEY,
            name text NOT NULL,
            first_seen timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE forwarder_heartbeats (
            room_id text PRIMARY KEY REFERENCES rooms(room_id),
            last_contact timestamptz NOT NULL,
            lag_rows bigint NOT NULL DEFAULT 0,
            lag_seconds double precision NOT NULL DEFAULT 0
        );

        CREATE TABLE sessions (
            room_id text NOT NULL REFERENCES rooms(room_id),
            id bigint NOT NULL,
            room text NOT NULL,
            patient_ref text,
            clinician text,
            medication text,
            dose text,
            route text,
            observe_ms bigint,
            limits_json text NOT NULL DEFAULT '{}',
            started_at bigint NOT NULL,
            dose_at bigint,
            ended_at bigint,
            end_reason text,
            auto_opened boolean NOT NULL DEFAULT false,
            PRIMARY KEY (room_id, id)
        );
        CREATE INDEX sessions_open ON sessions(room_id, started_at DESC) WHERE ended_at IS NULL;
        CREATE INDEX sessions_started ON sessions(started_at);

        CREATE TABLE devices (
            room_id text NOT NULL REFERENCES rooms(room_id),
            name text NOT NULL,
            profile text NOT NULL,
            PRIMARY KEY (room_id, name)
        );

        CREATE TABLE readings (
            room_id text NOT NULL,
            id bigint NOT NULL,
            session_id bigint NOT NULL,
            device text NOT NULL,
            metric text NOT NULL,
            t bigint NOT NULL,
            device_t bigint,
            value_x100 bigint NOT NULL,
            flags integer NOT NULL DEFAULT 0,
            PRIMARY KEY (room_id, id)
        );
        -- Latest vitals per room: one index descent per (room, metric).
        CREATE INDEX readings_latest ON readings(room_id, metric, t DESC);

        CREATE TABLE device_events (
            room_id text NOT NULL,
            id bigint NOT NULL,
            session_id bigint,
            device text NOT NULL,
            t bigint NOT NULL,
            kind text NOT NULL,
            metric text,
            code bigint,
            count bigint,
            detail text NOT NULL DEFAULT '',
            PRIMARY KEY (room_id, id)
        );

        CREATE TABLE alerts (
            room_id text NOT NULL,
            id bigint NOT NULL,
            session_id bigint NOT NULL,
            rule text NOT NULL,
            occurrence bigint NOT NULL,
            kind text NOT NULL,
            metric text,
            priority text NOT NULL,
            message text NOT NULL,
            raised_at bigint NOT NULL,
            escalated_at bigint,
            acknowledged_at bigint,
            acknowledged_by text,
            cleared_at bigint,
            PRIMARY KEY (room_id, id)
        );
        CREATE INDEX alerts_active ON alerts(room_id, session_id) WHERE cleared_at IS NULL;

        CREATE TABLE alert_events (
            room_id text NOT NULL,
            id bigint NOT NULL,
            alert_id bigint NOT NULL,
            session_id bigint NOT NULL,
            t bigint NOT NULL,
            run_ms bigint NOT NULL,
            event text NOT NULL,
            rule text NOT NULL,
            priority text NOT NULL,
            kind text NOT NULL,
            metric text,
            value double precision,
            message text NOT NULL,
            device text,
            by text,
            PRIMARY KEY (room_id, id)
        );
        -- Alerts since a time, across rooms.
        CREATE INDEX alert_events_since ON alert_events(t);

        CREATE TABLE session_events (
            room_id text NOT NULL,
            id bigint NOT NULL,
            session_id bigint NOT NULL,
            t bigint NOT NULL,
            kind text NOT NULL,
            text text NOT NULL DEFAULT '',
            by text,
            PRIMARY KEY (room_id, id)
        );

        CREATE VIEW readings_view AS
            SELECT room_id, id, session_id, device, metric, value_x100 / 100.0 AS value, t, device_t, flags FROM readings;

        -- `vitals tail --central` LISTENs here instead of polling. A resent row that ON CONFLICT
        -- skips fires no AFTER INSERT trigger, so a resend wakes nobody.
        CREATE FUNCTION vitals_notify_alert_event() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('vitals_alert_events', NEW.room_id);
            RETURN NULL;
        END $$;
        CREATE TRIGGER alert_events_notify AFTER INSERT ON alert_events
            FOR EACH ROW EXECUTE FUNCTION vitals_notify_alert_event();
        """
}
