/// A session as stored: the plan, its times, and how it ended.
public struct SessionRecord: Sendable, Hashable {
    /// The session's id.
    public var id: Int64
    /// What was planned; `plan.room` is the room.
    public var plan: SessionPlan
    /// When it started (ms since 1970 UTC).
    public var startedAt: Int64
    /// When the dose was given, once recorded.
    public var doseAt: Int64?
    /// When it ended; `nil` while open.
    public var endedAt: Int64?
    /// Why it ended, as the clinician wrote it (or the system, for an automatic session).
    public var endReason: String?
    /// True when the writer opened it because data arrived with no session open.
    public var autoOpened: Bool
    /// The lowest and highest reading ids of this session (readings are clustered by id).
    public var readingIDs: ClosedRange<Int64>?

    /// A stored session.
    public init(
        id: Int64, plan: SessionPlan, startedAt: Int64, doseAt: Int64? = nil, endedAt: Int64? = nil,
        endReason: String? = nil, autoOpened: Bool = false, readingIDs: ClosedRange<Int64>? = nil
    ) {
        self.id = id
        self.plan = plan
        self.startedAt = startedAt
        self.doseAt = doseAt
        self.endedAt = endedAt
        self.endReason = endReason
        self.autoOpened = autoOpened
        self.readingIDs = readingIDs
    }

    /// The room.
    public var room: String { plan.room }
    /// True while the session has not ended.
    public var isOpen: Bool { endedAt == nil }

    /// When the planned observation ends: dose (or start, before a dose) plus the planned time.
    public var observationEndsAt: Int64? {
        guard let observe = plan.observeMilliseconds else { return nil }
        return (doseAt ?? startedAt) + observe
    }
}
