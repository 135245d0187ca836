extension VitalsDatabase {
    /// The forwarder's tables (`vitals forward`, issue 16), migration `v5-forward-cursors`.
    ///
    /// - `room_identity`: one row, the room's generated id (32 hex digits), made once when the
    ///   migration runs and never changed: central systems key this room's rows by it plus each
    ///   row's own id, so the room can be renamed or its file moved without duplicating rows.
    /// - `forward_changes`: a log of inserted or changed `sessions` and `alerts` rows, written by
    ///   triggers. Those two tables are updated in place (a session ends, an alert is
    ///   acknowledged), so an id cursor alone would never see the change. The session trigger
    ///   ignores `first_reading_id`/`last_reading_id`, which the writer moves on every flush.
    ///   Existing rows are logged once, so an upgraded database forwards them too.
    /// - `forward_cursors`: per destination (its URL without credentials) the last row id
    ///   delivered of each append-only table and of `forward_changes`.
    /// - `forward_dead_letters`: messages a destination refused for good (HL7 `AR` after the
    ///   bounded tries), parked so that they never block the rest, with the receiver's text.
    static let schemaForwardCursors = """
        CREATE TABLE room_identity (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            uid TEXT NOT NULL,
            created_at INTEGER NOT NULL
        ) STRICT;
        INSERT INTO room_identity(singleton, uid, created_at)
            VALUES (1, lower(hex(randomblob(16))), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));

        CREATE TABLE forward_changes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            tbl TEXT NOT NULL CHECK (tbl IN ('sessions', 'alerts')),
            row_id INTEGER NOT NULL
        ) STRICT;
        INSERT INTO forward_changes(tbl, row_id) SELECT 'sessions', id FROM sessions ORDER BY id;
        INSERT INTO forward_changes(tbl, row_id) SELECT 'alerts', id FROM alerts ORDER BY id;
        CREATE TRIGGER forward_sessions_insert AFTER INSERT ON sessions
            BEGIN INSERT INTO forward_changes(tbl, row_id) VALUES ('sessions', NEW.id); END;
        CREATE TRIGGER forward_sessions_update AFTER UPDATE OF
            room, patient_ref, clinician, medication, dose, route, observe_ms, limits_json,
            started_at, dose_at, ended_at, end_reason, auto_opened ON sessions
            BEGIN INSERT INTO forward_changes(tbl, row_id) VALUES ('sessions', NEW.id); END;
        CREATE TRIGGER forward_alerts_insert AFTER INSERT ON alerts
            BEGIN INSERT INTO forward_changes(tbl, row_id) VALUES ('alerts', NEW.id); END;
        CREATE TRIGGER forward_alerts_update AFTER UPDATE ON alerts
            BEGIN INSERT INTO forward_changes(tbl, row_id) VALUES ('alerts', NEW.id); END;

        CREATE TABLE forward_cursors (
            destination TEXT PRIMARY KEY,
            change_seq INTEGER NOT NULL DEFAULT 0,
            reading_id INTEGER NOT NULL DEFAULT 0,
            alert_event_id INTEGER NOT NULL DEFAULT 0,
            device_event_id INTEGER NOT NULL DEFAULT 0,
            session_event_id INTEGER NOT NULL DEFAULT 0,
            updated_at INTEGER NOT NULL
        ) STRICT;

        CREATE TABLE forward_dead_letters (
            id INTEGER PRIMARY KEY,
            destination TEXT NOT NULL,
            message_id TEXT NOT NULL,
            parked_at INTEGER NOT NULL,
            tries INTEGER NOT NULL,
            reason TEXT NOT NULL,
            message TEXT NOT NULL
        ) STRICT;
        """
}
