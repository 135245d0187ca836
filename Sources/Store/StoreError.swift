/// What went wrong in the store, with what the user needs to fix it.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database file could not be opened or created at `path`.
    case cannotOpen(path: String, reason: String)
    /// The file at `path` is an SQLite database of another program (see
    /// `VitalsDatabase.applicationID`): it is left untouched rather than migrated.
    case notAVitalsDatabase(path: String, reason: String)
    /// No session has this id.
    case unknownSession(id: Int64)
    /// No session is open in this room.
    case noOpenSession(room: String)
    /// A clinician's session is already open in this room.
    case sessionAlreadyOpen(room: String, id: Int64)
    /// The session has already ended.
    case sessionEnded(id: Int64)
    /// A value given on the command line or through the API is not usable.
    case invalidValue(name: String, value: String, reason: String)
    /// SQLite reported an error while writing; `code` is its primary result code.
    case writeFailed(code: Int32, message: String)
    /// SQLite reported an error while reading.
    case readFailed(code: Int32, message: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            "cannot open the database at \(path): \(reason)"
        case let .notAVitalsDatabase(path, reason):
            "\(path) is not a vitals database (\(reason)); it was left untouched. Give the path of a vitals database or of a new file"
        case let .unknownSession(id):
            "unknown session \(id) (see `vitals session list`)"
        case let .noOpenSession(room):
            "no session is open in room \"\(room)\" (start one with `vitals session start`)"
        case let .sessionAlreadyOpen(room, id):
            "session \(id) is already open in room \"\(room)\"; end it first with `vitals session end`"
        case let .sessionEnded(id):
            "session \(id) has already ended"
        case let .invalidValue(name, value, reason):
            "bad \(name) \"\(value)\": \(reason)"
        case let .writeFailed(code, message):
            "cannot write to the database (SQLite error \(code)): \(message)"
        case let .readFailed(code, message):
            "cannot read the database (SQLite error \(code)): \(message)"
        }
    }
}
