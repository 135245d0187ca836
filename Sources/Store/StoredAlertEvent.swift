import VitalsCore

/// An alert event as stored, with where it happened: what `vitals tail` polls for.
public struct StoredAlertEvent: Sendable, Hashable {
    /// The event's row id; poll with `alertEvents(after:)` using the last one seen.
    public var id: Int64
    /// The alert (occurrence) it belongs to.
    public var alertID: Int64
    /// The session.
    public var sessionID: Int64
    /// The session's room.
    public var room: String
    /// The event as the rules engine emitted it (its `time` is the run clock's).
    public var event: AlertEvent
    /// When the alert (occurrence) was raised, where the query read it (`alertEvents(after:filter:)`
    /// does): for a cleared event, how long the alert lasted.
    public var raisedAt: Int64?
    /// When the session started, where the query read it: `vitals tail --format jsonl` gives `t`
    /// as seconds since then.
    public var sessionStartedAt: Int64?

    /// A stored alert event.
    public init(
        id: Int64, alertID: Int64, sessionID: Int64, room: String, event: AlertEvent, raisedAt: Int64? = nil,
        sessionStartedAt: Int64? = nil
    ) {
        self.id = id
        self.alertID = alertID
        self.sessionID = sessionID
        self.room = room
        self.event = event
        self.raisedAt = raisedAt
        self.sessionStartedAt = sessionStartedAt
    }
}
