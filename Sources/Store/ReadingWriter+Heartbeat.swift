import Dispatch

/// The room daemon's heartbeat (`room_heartbeats`, migration v6-heartbeat), written on the
/// writer's own queue so the daemon's queue, where alarms are decided, never waits on the disk
/// for it.
///
/// Beats are coalesced: while one waits for the queue (a slow commit, a busy lock) a newer beat
/// replaces it instead of queueing behind it, so a stalled disk costs one pending write, not one
/// per second. A beat that cannot be written (no database, disk full, locked) is reported once
/// through `onError` until one succeeds again; `vitals status` then shows the room as not
/// monitored, which is what every terminal can prove from the file.
extension ReadingWriter {
    /// Records that the room is monitored at `wallMilliseconds` (ms since 1970 UTC); returns at once.
    public func beat(at wallMilliseconds: Int64) {
        schedule(.beat(wallMilliseconds))
    }

    /// Records that the daemon stopped monitoring on purpose at `wallMilliseconds`, so terminals
    /// show "NOT MONITORING" at once; returns at once. Call it before `close()`, which waits for it.
    public func stopBeating(at wallMilliseconds: Int64) {
        schedule(.stop(wallMilliseconds))
    }

    private func schedule(_ mark: HeartbeatState.Mark) {
        let idle = heartbeatState.withLock { s -> Bool in
            let idle = s.pending == nil
            s.pending = mark
            return idle
        }
        guard idle else { return }
        queue.async { self.writePendingHeartbeat() }
    }

    /// On the writer's queue: writes the newest pending mark.
    func writePendingHeartbeat() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let mark = heartbeatState.withLock({ s in defer { s.pending = nil }; return s.pending }) else { return }
        let room = configuration.room
        var failure: String?
        if let database {
            do {
                switch mark {
                case .beat(let at): try database.writeHeartbeat(room: room, at: at)
                case .stop(let at): try database.stopHeartbeat(room: room, at: at)
                }
            } catch {
                failure = error.description
            }
        } else {
            failure = "the database is not open"
        }
        let report = heartbeatState.withLock { s -> String? in
            defer { s.failing = failure != nil }
            if let failure, !s.failing { return "cannot write the heartbeat of room \(room): \(failure)" }
            if failure == nil, s.failing { return "the heartbeat of room \(room) is written again" }
            return nil
        }
        if let report { onError(report) }
    }
}

/// The writer's heartbeat bookkeeping.
struct HeartbeatState: Sendable {
    enum Mark: Sendable {
        case beat(Int64)
        case stop(Int64)
    }

    /// The newest mark not yet written; `nil` when none waits.
    var pending: Mark?
    /// True after a failed write, until one succeeds.
    var failing = false
}
