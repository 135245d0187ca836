/// What the flushing side of a `ReadingWriter` remembers between batches; touched only on the
/// writer's queue.
struct WriterFlushState: Sendable {
    /// Device ids by name.
    var deviceIDs: [String: Int64] = [:]
    /// (session, device) pairs already in `session_devices` and not detached.
    var attached: Set<SessionDeviceKey> = []
    /// Devices whose `device_time_kind` is already stored.
    var deviceTimeKindKnown: Set<Int64> = []
    /// The error last reported, so a persisting error is printed once, not every retry.
    var reportedError: String?
    /// The journal error last reported.
    var reportedJournalError: String?
}
