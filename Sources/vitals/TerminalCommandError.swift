/// What stops `vitals tail`, `ack` or `status`, with what the user needs to fix it.
enum TerminalCommandError: Error, CustomStringConvertible {
    /// No database file at `path` (nothing has been recorded there).
    case noDatabase(path: String)
    /// No alert has this id.
    case unknownAlert(id: Int64)
    /// The alert was acknowledged already.
    case alreadyAcknowledged(id: Int64, rule: String, by: String?, at: String)
    /// The alert has cleared: there is nothing to acknowledge.
    case alreadyCleared(id: Int64, rule: String, at: String)
    /// The alert was raised again (a re-alarm) as a newer alert.
    case superseded(id: Int64, rule: String, by: Int64)
    /// The alert's session has ended.
    case sessionEnded(alertID: Int64, sessionID: Int64)
    /// `--by` was empty.
    case missingName
    /// The daemon answered that it could not do it.
    case refused(commandID: Int64, message: String)
    /// A bad `--priority` or `--since`.
    case badOption(name: String, value: String, reason: String)

    var description: String {
        switch self {
        case let .noDatabase(path):
            "no database at \(path) (nothing recorded there yet; give the room's file with --db or $VITALS_DB)"
        case let .unknownAlert(id):
            "no alert has id \(id) (the id is the number `vitals tail` and `vitals status` show as \"alert N\")"
        case let .alreadyAcknowledged(id, rule, by, at):
            "alert \(id) (\(rule)) was already acknowledged" + (by.map { " by \($0)" } ?? "") + " at \(at)"
        case let .alreadyCleared(id, rule, at):
            "alert \(id) (\(rule)) cleared at \(at); there is nothing to acknowledge"
        case let .superseded(id, rule, newer):
            "alert \(id) (\(rule)) was raised again as alert \(newer); acknowledge alert \(newer)"
        case let .sessionEnded(alertID, sessionID):
            "alert \(alertID) belongs to session \(sessionID), which has ended; there is nothing to acknowledge"
        case .missingName:
            "--by needs the name of the person acknowledging"
        case let .refused(commandID, message):
            "the daemon did not apply command \(commandID): \(message)"
        case let .badOption(name, value, reason):
            "bad \(name) \"\(value)\": \(reason)"
        }
    }
}
