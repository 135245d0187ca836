import GRDB
import VitalsCore

extension VitalsDatabase {
    /// The schema's versioned migrations, applied in order and never edited once released: a
    /// change is a new migration. docs/SCHEMA.md describes the result.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-sessions-readings-alerts") { db in
            try db.execute(sql: schemaV1)
            for metric in Metric.allCases {
                try db.execute(
                    sql: "INSERT INTO metrics(code, name, unit, mdc, loinc) VALUES (?, ?, ?, ?, ?)",
                    arguments: [metric.storageCode, metric.name, metric.displayUnit, metric.mdcReference, metric.loinc])
            }
        }
        m.registerMigration("v2-commands") { db in
            try db.execute(sql: schemaV2)
        }
        return m
    }

    /// Version 1 of the schema. Times are integer milliseconds since 1970-01-01 UTC.
    static let schemaV1 = """
        CREATE TABLE metrics (
            code INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            unit TEXT NOT NULL,
            mdc TEXT NOT NULL,
            loinc TEXT
        ) STRICT;

        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            room TEXT NOT NULL,
            patient_ref TEXT,
            clinician TEXT,
            medication TEXT,
            dose TEXT,
            route TEXT,
            observe_ms INTEGER,
            limits_json TEXT NOT NULL DEFAULT '{}',
            started_at INTEGER NOT NULL,
            dose_at INTEGER,
            ended_at INTEGER,
            end_reason TEXT,
            auto_opened INTEGER NOT NULL DEFAULT 0,
            first_reading_id INTEGER,
            last_reading_id INTEGER
        ) STRICT;
        CREATE UNIQUE INDEX sessions_open_room ON sessions(room) WHERE ended_at IS NULL;
        CREATE INDEX sessions_started ON sessions(started_at);

        CREATE TABLE devices (
            id INTEGER PRIMARY KEY,
            profile TEXT NOT NULL,
            name TEXT NOT NULL UNIQUE,
            usb_vendor INTEGER,
            usb_product INTEGER,
            serial TEXT,
            port TEXT,
            device_time_kind TEXT,
            first_seen INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE session_devices (
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            device_id INTEGER NOT NULL REFERENCES devices(id),
            attached_at INTEGER NOT NULL,
            detached_at INTEGER,
            PRIMARY KEY (session_id, device_id)
        ) STRICT, WITHOUT ROWID;

        CREATE TABLE readings (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL,
            device_id INTEGER NOT NULL,
            metric INTEGER NOT NULL,
            t INTEGER NOT NULL,
            device_t INTEGER,
            value_x100 INTEGER NOT NULL,
            flags INTEGER NOT NULL DEFAULT 0
        ) STRICT;

        CREATE TABLE waveform_chunks (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            device_id INTEGER NOT NULL REFERENCES devices(id),
            metric INTEGER NOT NULL,
            t INTEGER NOT NULL,
            sample_rate REAL NOT NULL,
            sample_count INTEGER NOT NULL,
            encoding INTEGER NOT NULL,
            samples BLOB NOT NULL,
            flags INTEGER NOT NULL DEFAULT 0
        ) STRICT;
        CREATE INDEX waveform_chunks_session ON waveform_chunks(session_id, t);

        CREATE TABLE device_events (
            id INTEGER PRIMARY KEY,
            session_id INTEGER REFERENCES sessions(id),
            device_id INTEGER NOT NULL REFERENCES devices(id),
            t INTEGER NOT NULL,
            kind TEXT NOT NULL,
            metric INTEGER,
            code INTEGER,
            count INTEGER,
            detail TEXT NOT NULL DEFAULT ''
        ) STRICT;
        CREATE INDEX device_events_session ON device_events(session_id, t);

        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            rule TEXT NOT NULL,
            occurrence INTEGER NOT NULL,
            kind TEXT NOT NULL,
            metric TEXT,
            priority TEXT NOT NULL,
            message TEXT NOT NULL,
            raised_at INTEGER NOT NULL,
            escalated_at INTEGER,
            acknowledged_at INTEGER,
            acknowledged_by TEXT,
            cleared_at INTEGER
        ) STRICT;
        CREATE INDEX alerts_session ON alerts(session_id, rule, occurrence);

        CREATE TABLE alert_events (
            id INTEGER PRIMARY KEY,
            alert_id INTEGER NOT NULL REFERENCES alerts(id),
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            t INTEGER NOT NULL,
            run_ms INTEGER NOT NULL,
            event TEXT NOT NULL,
            rule TEXT NOT NULL,
            priority TEXT NOT NULL,
            kind TEXT NOT NULL,
            metric TEXT,
            value REAL,
            message TEXT NOT NULL,
            device TEXT,
            by TEXT
        ) STRICT;
        CREATE INDEX alert_events_session ON alert_events(session_id, t);

        CREATE TABLE session_events (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            t INTEGER NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            by TEXT
        ) STRICT;
        CREATE INDEX session_events_session ON session_events(session_id, t);

        CREATE VIEW readings_view AS
            SELECT r.id, r.session_id, d.name AS device, m.name AS metric,
                   r.value_x100 / 100.0 AS value, m.unit,
                   strftime('%Y-%m-%dT%H:%M:%fZ', r.t / 1000.0, 'unixepoch') AS at,
                   r.t, r.device_t, r.flags
            FROM readings r JOIN metrics m ON m.code = r.metric JOIN devices d ON d.id = r.device_id;
        """
}
