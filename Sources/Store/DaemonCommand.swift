/// A request from another process (`vitals ack`, a future `vitals nibp`) to the room's running
/// daemon, stored in the `commands` table. The daemon polls `pendingCommands(room:)`, does what
/// each asks and marks it done with `completeCommand(id:at:result:)`; commands wait in the table
/// while no daemon runs and are applied when one starts for the room.
public struct DaemonCommand: Sendable, Hashable {
    /// The row id (0 until enqueued).
    public var id: Int64
    /// The room whose daemon should act.
    public var room: String
    /// What to do.
    public var kind: DaemonCommandKind
    /// When it was asked for, ms since 1970 UTC.
    public var requestedAt: Int64
    /// The session concerned (for `ack`: the alert's session).
    public var sessionID: Int64?
    /// For `ack`: the stored alert (`alerts.id`).
    public var alertID: Int64?
    /// For `ack`: the alert's rule id.
    public var rule: String?
    /// For `ack`: the alert's occurrence number, as the rule engine numbered it
    /// (`AlertEvent.occurrence`); pass it to `acknowledge(occurrence:by:at:)`.
    public var occurrence: Int?
    /// For `ack`: who acknowledges.
    public var by: String?
    /// For `ack`: the clinician's note, kept here (the alert event records only `by`).
    public var note: String?
    /// When the daemon finished it; `nil` while pending.
    public var completedAt: Int64?
    /// The daemon's answer, once completed.
    public var result: DaemonCommandResult?

    /// A command; use `acknowledge(...)` or `startBloodPressure(...)` for the usual ones.
    public init(
        id: Int64 = 0, room: String, kind: DaemonCommandKind, requestedAt: Int64, sessionID: Int64? = nil,
        alertID: Int64? = nil, rule: String? = nil, occurrence: Int? = nil, by: String? = nil, note: String? = nil,
        completedAt: Int64? = nil, result: DaemonCommandResult? = nil
    ) {
        self.id = id
        self.room = room
        self.kind = kind
        self.requestedAt = requestedAt
        self.sessionID = sessionID
        self.alertID = alertID
        self.rule = rule
        self.occurrence = occurrence
        self.by = by
        self.note = note
        self.completedAt = completedAt
        self.result = result
    }

    /// An `ack` of `alert` (in `room`) by `by`, with an optional note.
    public static func acknowledge(
        _ alert: StoredAlert, room: String, by: String, note: String?, at: Int64
    ) -> DaemonCommand {
        DaemonCommand(
            room: room, kind: .ack, requestedAt: at, sessionID: alert.sessionID, alertID: alert.id, rule: alert.rule,
            occurrence: alert.occurrence, by: by, note: note)
    }

    /// A `nibp-start` for the cuff in `room`.
    public static func startBloodPressure(room: String, at: Int64) -> DaemonCommand {
        DaemonCommand(room: room, kind: .nibpStart, requestedAt: at)
    }

    /// True once the daemon has completed it.
    public var isCompleted: Bool { completedAt != nil }
}
