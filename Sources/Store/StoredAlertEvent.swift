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

    /// A stored alert event.
    public init(id: Int64, alertID: Int64, sessionID: Int64, room: String, event: AlertEvent) {
        self.id = id
        self.alertID = alertID
        self.sessionID = sessionID
        self.room = room
        self.event = event
    }
}
