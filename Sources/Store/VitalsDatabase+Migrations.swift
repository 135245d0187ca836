import GRDB
import VitalsCore

extension VitalsDatabase {
    /// The schema's versioned migrations, applied in order and never edited once released: a
    /// change is a new migration. docs/SCHEMA.md describes the result.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-sessions-readings-alerts") { db in
            try db.execute(sql: schemaV1)
            try db.execute(sql: metricsV1)
        }
        m.registerMigration("v2-commands") { db in
            try db.execute(sql: schemaV2)
        }
        m.registerMigration("v3-metrics-multiparameter") { db in
            try db.execute(sql: metricsV3)
        }
        m.registerMigration("v4-report-fields") { db in
            try db.execute(sql: schemaV4Report)
        }
        m.registerMigration("v7-session-rules") { db in
            // The rule set a session was started with (path and SHA-256), issue 10.
            try db.execute(sql: "ALTER TABLE sessions ADD COLUMN rules_path TEXT")
            try db.execute(sql: "ALTER TABLE sessions ADD COLUMN rules_sha256 TEXT")
        }
        m.registerMigration("v5-forward-cursors") { db in
            try db.execute(sql: schemaForwardCursors)
        }
        m.registerMigration("v8-known-devices") { db in
            // Identities the room identified, reused on replug and restart (issue 13).
            try db.execute(sql: schemaKnownDevices)
        }
        m.registerMigration("v6-heartbeat") { db in
            try db.execute(sql: schemaHeartbeat)
        }
        return m
    }

    /// The metrics of version 1, as literal rows: a migration never derives rows from today's
    /// `Metric`, or a metric added later would be missing from upgraded databases (and from
    /// `readings_view`, which joins this table). A new metric is a new migration.
    static let metricsV1 = """
        INSERT INTO metrics(code, name, unit, mdc, loinc) VALUES
            (1, 'spo2', '%', 'MDC_PULS_OXIM_SAT_O2', '59408-5'),
            (2, 'pulse', '/min', 'MDC_PULS_OXIM_PULS_RATE', '8867-4'),
            (3, 'pi', '%', 'MDC_PULS_OXIM_PERF_REL', NULL),
            (4, 'pleth', '', 'MDC_PULS_OXIM_PLETH', NULL),
            (5, 'nibp.sys', 'mmHg', 'MDC_PRESS_BLD_NONINV_SYS', '8480-6'),
            (6, 'nibp.dia', 'mmHg', 'MDC_PRESS_BLD_NONINV_DIA', '8462-4'),
            (7, 'nibp.map', 'mmHg', 'MDC_PRESS_BLD_NONINV_MEAN', '8478-0'),
            (8, 'nibp.pulse', '/min', 'MDC_PULS_RATE_NON_INV', '8867-4');
        """

    /// Multi-parameter monitors' metrics: ECG heart rate, respiration (impedance and airway),
    /// end-tidal CO2, temperature.
    static let metricsV3 = """
        INSERT OR IGNORE INTO metrics(code, name, unit, mdc, loinc) VALUES
            (9, 'hr', '/min', 'MDC_ECG_HEART_RATE', '8867-4'),
            (10, 'resp', '/min', 'MDC_RESP_RATE', '9279-1'),
            (11, 'awrr', '/min', 'MDC_AWAY_RESP_RATE', '9279-1'),
            (12, 'etco2', 'mmHg', 'MDC_AWAY_CO2_ET', NULL),
            (13, 'temp', '°C', 'MDC_TEMP', '8310-5');
        """

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
