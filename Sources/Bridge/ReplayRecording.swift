import Store

/// What `vitals replay --db` leaves in a database: an automatic session in room `replay`, ended at
/// the replay's virtual end (not left open, where its duration would run on against the wall
/// clock).
public enum ReplayRecording {
    /// The room replays record into.
    public static let room = "replay"

    /// Ends the open session of the replay room at `end` (ms since 1970 UTC, the virtual end).
    public static func endSession(in database: VitalsDatabase, at end: Int64) throws {
        guard let open = try database.openSession(room: room) else { return }
        try database.endSession(open.id, at: max(end, open.startedAt), reason: "replay ended")
    }
}
