import Foundation

/// The acknowledgement rules `vitals ack` applies before it asks the daemon: who may be
/// acknowledged (a raised, current, unacknowledged alert of an open session) and what is
/// queued. The alert's state itself changes only in the daemon's rule engine.
extension VitalsDatabase {
    /// Checks alert `alertID` and queues an acknowledgement by `by` (trimmed), or finds the one
    /// already waiting. `at` is the request's wall-clock time, ms since 1970 UTC.
    public func requestAcknowledgement(
        alertID: Int64, by: String, note: String?, at: Int64
    ) throws -> AcknowledgementRequest {
        let name = by.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw AcknowledgementRefusal.missingName }
        guard let alert = try alert(id: alertID) else { throw AcknowledgementRefusal.unknownAlert(id: alertID) }
        let session = try session(id: alert.sessionID)
        if let newer = try supersedingAlert(of: alert.id) {
            throw AcknowledgementRefusal.superseded(id: alert.id, rule: alert.rule, by: newer.id)
        }
        if let at = alert.acknowledgedAt {
            throw AcknowledgementRefusal.alreadyAcknowledged(id: alert.id, rule: alert.rule, by: alert.acknowledgedBy, at: at)
        }
        if let at = alert.clearedAt {
            throw AcknowledgementRefusal.alreadyCleared(id: alert.id, rule: alert.rule, at: at)
        }
        guard session.isOpen else { throw AcknowledgementRefusal.sessionEnded(alertID: alert.id, sessionID: session.id) }

        if let pending = try acknowledgements(alert: alert.id).first(where: { !$0.isCompleted }) {
            return AcknowledgementRequest(alert: alert, room: session.room, commandID: pending.id, by: pending.by ?? name, wasWaiting: true)
        }
        let id = try enqueueCommand(.acknowledge(alert, room: session.room, by: name, note: note, at: at))
        return AcknowledgementRequest(alert: alert, room: session.room, commandID: id, by: name, wasWaiting: false)
    }

    /// The daemon's answer to command `id`, polled every `interval` until it arrives or `timeout`
    /// has passed on the monotonic clock (a wall-clock step neither ends nor stretches the wait,
    /// issue 12); `nil` when no answer came in time.
    public func awaitResult(
        ofCommand id: Int64, timeout: Duration, interval: Duration = .milliseconds(100)
    ) throws -> DaemonCommandResult? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: max(.zero, timeout))
        while true {
            if let result = try command(id: id)?.result { return result }
            if clock.now >= deadline { return nil }
            Thread.sleep(forTimeInterval: Double(interval.components.attoseconds) / 1e18 + Double(interval.components.seconds))
        }
    }
}

/// A queued (or already waiting) acknowledgement.
public struct AcknowledgementRequest: Sendable, Hashable {
    /// The alert acknowledged.
    public var alert: StoredAlert
    /// Its session's room.
    public var room: String
    /// The `commands` row the daemon answers.
    public var commandID: Int64
    /// Who acknowledges (for a request already waiting: who asked first).
    public var by: String
    /// True when an earlier request for this alert was still waiting and no new one was queued.
    public var wasWaiting: Bool

    /// `alert 12 (spo2-low: SpO2 below 90 %: 87)`.
    public var described: String { "alert \(alert.id) (\(alert.rule): \(alert.message))" }

    /// What `vitals ack` prints once the daemon has applied it: the daemon's own confirmation
    /// ("acknowledged by …") would repeat this sentence, so it is not appended (issue 19).
    public var appliedText: String { "Acknowledged \(described) by \(by)." }

    /// What `vitals ack` prints when no daemon answered in time.
    public var queuedText: String {
        "Queued as command \(commandID): no `vitals run` for room \"\(room)\" has picked it up yet. "
            + "It will be applied when `vitals run` runs for that room."
    }

    /// What `vitals ack` prints first when an earlier request was waiting.
    public var waitingText: String {
        "An acknowledgement of \(described) by \(by) is already waiting (command \(commandID))."
    }
}

/// Why an alert cannot be acknowledged.
public enum AcknowledgementRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// `--by` was empty.
    case missingName
    /// No alert has this id.
    case unknownAlert(id: Int64)
    /// The alert was acknowledged already (at ms since 1970 UTC).
    case alreadyAcknowledged(id: Int64, rule: String, by: String?, at: Int64)
    /// The alert has cleared: there is nothing to acknowledge.
    case alreadyCleared(id: Int64, rule: String, at: Int64)
    /// The alert was raised again (a re-alarm) as a newer alert.
    case superseded(id: Int64, rule: String, by: Int64)
    /// The alert's session has ended.
    case sessionEnded(alertID: Int64, sessionID: Int64)
    /// The daemon answered that it could not do it.
    case refused(commandID: Int64, message: String)

    public var description: String {
        let clock = LocalTimeFormatter()
        return switch self {
        case .missingName:
            "--by needs the name of the person acknowledging"
        case let .unknownAlert(id):
            "no alert has id \(id) (the id is the number `vitals tail` and `vitals status` show as \"alert N\")"
        case let .alreadyAcknowledged(id, rule, by, at):
            "alert \(id) (\(rule)) was already acknowledged" + (by.map { " by \($0)" } ?? "") + " at \(clock.dateTime(at))"
        case let .alreadyCleared(id, rule, at):
            "alert \(id) (\(rule)) cleared at \(clock.dateTime(at)); there is nothing to acknowledge"
        case let .superseded(id, rule, newer):
            "alert \(id) (\(rule)) was raised again as alert \(newer); acknowledge alert \(newer)"
        case let .sessionEnded(alertID, sessionID):
            "alert \(alertID) belongs to session \(sessionID), which has ended; there is nothing to acknowledge"
        case let .refused(commandID, message):
            "the daemon did not apply command \(commandID): \(message)"
        }
    }
}
