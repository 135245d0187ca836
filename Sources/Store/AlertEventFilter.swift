import VitalsCore

/// Which alert events `vitals tail` shows: a room, a session, a lowest priority (all optional).
public struct AlertEventFilter: Sendable, Hashable {
    /// Only this room.
    public var room: String?
    /// Only this session.
    public var sessionID: Int64?
    /// Only events of this priority or higher (`medium` shows medium and high).
    public var minimumPriority: AlertPriority?

    /// A filter; the default lets every event through.
    public init(room: String? = nil, sessionID: Int64? = nil, minimumPriority: AlertPriority? = nil) {
        self.room = room
        self.sessionID = sessionID
        self.minimumPriority = minimumPriority
    }

    /// True when `e` passes.
    public func admits(_ e: StoredAlertEvent) -> Bool {
        if let room, e.room != room { return false }
        if let sessionID, e.sessionID != sessionID { return false }
        if let minimumPriority, e.event.priority < minimumPriority { return false }
        return true
    }
}
