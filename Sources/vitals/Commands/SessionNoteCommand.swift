import ArgumentParser
import Store

/// `vitals session note TEXT`: add a note to the session record.
struct SessionNoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "note", abstract: "Add a note to the open session.")

    @OptionGroup var database: DatabaseOption
    @OptionGroup var target: SessionTarget

    @Argument(help: "The note.")
    var text: String

    @Option(help: "Who wrote it.")
    var by: String?

    @Option(parsing: .unconditional, help: "When (ISO 8601, HH:MM today, or -10m); default now.")
    var at: String?

    func run() throws {
        let t = try SessionClock.time(at)
        let db = try database.open()
        let s = try target.resolve(in: db)
        guard s.isOpen else { throw StoreError.sessionEnded(id: s.id) }
        try db.addEvent(SessionEvent(sessionID: s.id, at: t, kind: .note, text: text, by: by))
        print("Note added to session \(s.id).")
    }
}
