import GRDB
import VitalsCore

extension VitalsDatabase {
    /// Stores `command` as pending and returns its id. Any process may call it; the room's
    /// daemon picks it up on its next poll of `pendingCommands(room:)`.
    @discardableResult
    public func enqueueCommand(_ command: DaemonCommand) throws(StoreError) -> Int64 {
        guard !command.room.isEmpty else {
            throw .invalidValue(name: "room", value: command.room, reason: "a command needs the room whose daemon should act")
        }
        return try writing { db in
            try db.execute(
                sql: """
                    INSERT INTO commands(room, kind, requested_at, session_id, alert_id, rule, occurrence, by, note)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    command.room, command.kind.rawValue, command.requestedAt, command.sessionID, command.alertID,
                    command.rule, command.occurrence, command.by, command.note,
                ])
            return db.lastInsertedRowID
        }
    }

    /// The commands for `room` that no daemon has completed yet, oldest first: what the daemon
    /// polls (every ~250 ms). Rows of a kind this build does not know are skipped.
    public func pendingCommands(room: String) throws(StoreError) -> [DaemonCommand] {
        try reading { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM commands WHERE room = ? AND completed_at IS NULL ORDER BY id", arguments: [room]
            ).compactMap(Self.daemonCommand)
        }
    }

    /// Marks command `id` done at `at` with the daemon's `result`. Completing a command twice
    /// keeps the first answer and returns false; true when this call completed it.
    @discardableResult
    public func completeCommand(id: Int64, at: Int64, result: DaemonCommandResult) throws(StoreError) -> Bool {
        try writing { db in
            try db.execute(
                sql: "UPDATE commands SET completed_at = ?, outcome = ?, result = ? WHERE id = ? AND completed_at IS NULL",
                arguments: [at, result.outcome.rawValue, result.message, id])
            return db.changesCount > 0
        }
    }

    /// The command with this id, or `nil` when there is none.
    public func command(id: Int64) throws(StoreError) -> DaemonCommand? {
        try reading { db in
            try Row.fetchOne(db, sql: "SELECT * FROM commands WHERE id = ?", arguments: [id]).flatMap(Self.daemonCommand)
        }
    }

    /// The `ack` commands of alert `alertID`, oldest first (pending ones included): who asked,
    /// with what note, and what the daemon answered.
    public func acknowledgements(alert alertID: Int64) throws(StoreError) -> [DaemonCommand] {
        try reading { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM commands WHERE alert_id = ? AND kind = 'ack' ORDER BY id", arguments: [alertID]
            ).compactMap(Self.daemonCommand)
        }
    }

    /// The highest occurrence number stored for `session` (for one `rule`, or for every rule
    /// when `rule` is nil); 0 when none. The rule engine numbers occurrences across all its
    /// rules, so a restarted daemon should start its numbering above `maxOccurrence(session:)`:
    /// otherwise a new alert would share a number with a stored one and the writer would attach
    /// its events to the old `alerts` row.
    public func maxOccurrence(session sessionID: Int64, rule: String? = nil) throws(StoreError) -> Int {
        try reading { db in
            if let rule {
                return try Int.fetchOne(
                    db, sql: "SELECT max(occurrence) FROM alerts WHERE session_id = ? AND rule = ?", arguments: [sessionID, rule]) ?? 0
            }
            return try Int.fetchOne(db, sql: "SELECT max(occurrence) FROM alerts WHERE session_id = ?", arguments: [sessionID]) ?? 0
        }
    }

    static func daemonCommand(_ row: Row) -> DaemonCommand? {
        guard let kind = DaemonCommandKind(rawValue: row["kind"]) else { return nil }
        let outcome: String? = row["outcome"]
        let message: String? = row["result"]
        return DaemonCommand(
            id: row["id"], room: row["room"], kind: kind, requestedAt: row["requested_at"], sessionID: row["session_id"],
            alertID: row["alert_id"], rule: row["rule"], occurrence: row["occurrence"], by: row["by"], note: row["note"],
            completedAt: row["completed_at"],
            result: outcome.flatMap(DaemonCommandOutcome.init(rawValue:)).map { DaemonCommandResult(outcome: $0, message: message ?? "") })
    }
}
