import ArgumentParser
import VitalsCore
import Store

/// `vitals session list`: sessions, newest first.
struct SessionListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List sessions, newest first.")

    @OptionGroup var database: DatabaseOption

    @Option(help: "Only this room.", completion: Completions.rooms)
    var room: String?

    @Option(help: "At most this many.")
    var limit: Int = 50

    @Option(help: "text, or jsonl: one session object a line.")
    var format: OutputFormat = .text

    func run() throws {
        let db = try database.open()
        let now = SessionClock.now()
        let format = LocalTimeFormatter()
        let sessions = try db.sessions(limit: room == nil ? limit : 100_000).filter { room == nil || $0.room == room }.prefix(limit)
        if self.format == .jsonl {
            for s in sessions { TerminalWriter.line(s.json(now: now)) }
            return
        }
        if sessions.isEmpty {
            print("No sessions.")
            return
        }
        print("ID      ROOM          STARTED                   DURATION   STATE   PATIENT")
        for s in sessions {
            let id = String(s.id).padding(toLength: 7, withPad: " ", startingAt: 0)
            let room = SessionReport.oneLine(s.room).padding(toLength: 13, withPad: " ", startingAt: 0)
            let started = format.dateTime(s.startedAt).padding(toLength: 25, withPad: " ", startingAt: 0)
            let duration = DurationText.readable(milliseconds: (s.endedAt ?? now) - s.startedAt).padding(toLength: 10, withPad: " ", startingAt: 0)
            let state = (s.isOpen ? "open" : "ended").padding(toLength: 7, withPad: " ", startingAt: 0)
            let patient = s.autoOpened && s.plan.patientRef == nil ? "(automatic)" : SessionReport.oneLine(s.plan.patientRef ?? "")
            print("\(id) \(room) \(started) \(duration) \(state) \(patient)")
        }
    }
}
