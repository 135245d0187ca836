extension VitalsDatabase {
    /// Version 2: the `commands` table, through which other processes (`vitals ack`) ask the
    /// room's running daemon to act. A pending command has `completed_at` NULL; the partial index
    /// keeps the daemon's poll (`WHERE room = ? AND completed_at IS NULL`) cheap however many
    /// commands have been done.
    static let schemaV2 = """
        CREATE TABLE commands (
            id INTEGER PRIMARY KEY,
            room TEXT NOT NULL,
            kind TEXT NOT NULL,
            requested_at INTEGER NOT NULL,
            session_id INTEGER REFERENCES sessions(id),
            alert_id INTEGER REFERENCES alerts(id),
            rule TEXT,
            occurrence INTEGER,
            by TEXT,
            note TEXT,
            completed_at INTEGER,
            outcome TEXT,
            result TEXT
        ) STRICT;
        CREATE INDEX commands_pending ON commands(room, id) WHERE completed_at IS NULL;
        CREATE INDEX commands_alert ON commands(alert_id) WHERE alert_id IS NOT NULL;
        """
}
