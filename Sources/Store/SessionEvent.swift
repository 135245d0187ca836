/// A dose, note, BP checkpoint or discharge in a session's record.
public struct SessionEvent: Sendable, Hashable {
    /// The row id (0 before it is stored).
    public var id: Int64
    /// The session (0 to mean "the room's open session" when given to the writer).
    public var sessionID: Int64
    /// When, ms since 1970 UTC.
    public var at: Int64
    /// What.
    public var kind: SessionEventKind
    /// The note's text, the dose's description, the discharge reason.
    public var text: String
    /// Who recorded it, where known.
    public var by: String?

    /// A session event.
    public init(id: Int64 = 0, sessionID: Int64 = 0, at: Int64, kind: SessionEventKind, text: String = "", by: String? = nil) {
        self.id = id
        self.sessionID = sessionID
        self.at = at
        self.kind = kind
        self.text = text
        self.by = by
    }
}
