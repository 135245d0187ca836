import ArgumentParser
import Store

/// `--room NAME` / `--session ID`: which session a command acts on (the room's open one by default).
struct SessionTarget: ParsableArguments {
    @Option(help: "The room (default: $VITALS_ROOM, else \"default\").", completion: Completions.rooms)
    var room: String?

    @Option(name: .customLong("session"), help: "A session id, instead of the room's open session.")
    var sessionID: Int64?

    /// The room named, or the default.
    var resolvedRoom: String { room ?? VitalsDatabase.defaultRoom() }

    /// The session to act on.
    func resolve(in db: VitalsDatabase) throws -> SessionRecord {
        if let sessionID { return try db.session(id: sessionID) }
        guard let open = try db.openSession(room: resolvedRoom) else {
            throw StoreError.noOpenSession(room: resolvedRoom)
        }
        return open
    }
}
