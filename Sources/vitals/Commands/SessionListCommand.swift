import ArgumentParser
import Central
import VitalsCore
import Store

/// `vitals session list`: sessions, newest first.
struct SessionListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List sessions, newest first.")

    @OptionGroup var database: DatabaseOption

    @Option(help: "Only this room (repeat for several).", completion: Completions.rooms)
    var room: [String] = []

    @Option(help: "At most this many.")
    var limit: Int = 50

    @Option(help: ArgumentHelp("Every room's sessions, from the clinic's central PostgreSQL instead of this room's database.", valueName: "url"))
    var central: String?

    @Option(help: "text, or jsonl: one session object a line.")
    var format: OutputFormat = .text

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1 (got \(limit))") }
    }

    func run() throws {
        let rooms = Set(room)
        let rows: [Row]
        if let central {
            let endpoint: CentralEndpoint
            do { endpoint = try CentralEndpoint.parse(central) } catch { throw ValidationError(error.description) }
            let limit = self.limit
            rows = try waitFor {
                let db = try await CentralDatabase.connect(endpoint)
                do {
                    let list = try await db.sessions(rooms: rooms, limit: limit)
                    await db.close()
                    return list.map { Row(room: $0.room.name, session: SessionRecord(forwarded: $0.session)) }
                } catch {
                    await db.close()
                    throw error
                }
            }
        } else {
            let db = try database.open()
            rows = try db.sessions(limit: rooms.isEmpty ? limit : 100_000).filter { rooms.isEmpty || rooms.contains($0.room) }
                .prefix(limit).map { Row(room: $0.room, session: $0) }
        }
        let now = SessionClock.now()
        if self.format == .jsonl {
            for row in rows { TerminalWriter.line(row.session.json(now: now)) }
            return
        }
        if rows.isEmpty {
            print("No sessions.")
            return
        }
        let format = LocalTimeFormatter()
        print("ID      ROOM          STARTED                   DURATION   STATE   PATIENT")
        for row in rows {
            let s = row.session
            let id = String(s.id).padding(toLength: 7, withPad: " ", startingAt: 0)
            let room = SessionReport.oneLine(row.room).padding(toLength: 13, withPad: " ", startingAt: 0)
            let started = format.dateTime(s.startedAt).padding(toLength: 25, withPad: " ", startingAt: 0)
            let duration = DurationText.readable(milliseconds: (s.endedAt ?? now) - s.startedAt).padding(toLength: 10, withPad: " ", startingAt: 0)
            let state = (s.isOpen ? "open" : "ended").padding(toLength: 7, withPad: " ", startingAt: 0)
            let patient = s.autoOpened && s.plan.patientRef == nil ? "(automatic)" : SessionReport.oneLine(s.plan.patientRef ?? "")
            print("\(id) \(room) \(started) \(duration) \(state) \(patient)")
        }
    }

    /// One line: the room's name (the central room's name for `--central`) and its session.
    struct Row: Sendable {
        var room: String
        var session: SessionRecord
    }
}
