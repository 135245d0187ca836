import ArgumentParser
import Foundation
import Store
import VitalsCore

/// `vitals tail`: the alert events of the room's database, then every new one as it is
/// committed, like `tail -f`, with a line whenever a followed room stops or resumes being
/// monitored. The follow loop is `AlertFollower` (Store); this command parses, calls and prints.
///
/// How it follows: it sleeps until inotify reports a write to the database or its WAL, then asks
/// SQLite's `PRAGMA data_version` whether another process has committed, and only then reads the
/// events after the last one read. `data_version` stays the truth; inotify only says when to ask.
/// Without inotify (or with `VITALS_NO_INOTIFY=1`, the benchmark's baseline) it asks every 50 ms.
/// SQLite has no cross-process notification and GRDB's observation sees only its own process's
/// writes; a socket from the daemon would tie tail to a running daemon.
struct TailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Show the alerts, then follow new ones as they happen.",
        discussion: """
            Says first what it follows ("room 2, monitoring since 09:14:02"), then shows the alerts \
            active in the open sessions (or every alert event since --since), then prints each new \
            alert event the moment it is committed, and a line when a room stops being monitored \
            (no heartbeat from `vitals run` for 5 s) or resumes. A missing database is an error \
            (exit 66) unless --wait is given; tail keeps following when `vitals run` restarts.
            """)

    @OptionGroup var database: DatabaseOption

    @Option(parsing: .unconditional, help: ArgumentHelp("Show the events since this time: a duration ago (10m, -10m, 1h30m), a time (09:10), today, yesterday, a date (2026-03-02) or a date and time (2026-03-02T09:10).", valueName: "when"))
    var since: String?

    @Option(name: .customLong("session"), help: "Only this session.")
    var sessionID: Int64?

    @Option(name: .customLong("room"), help: "Only this room (with --central, repeat for several).", completion: Completions.rooms)
    var rooms: [String] = []

    /// The one room a room database's view is narrowed to (several need --central).
    var room: String? { rooms.first }

    /// Several rooms are the central database's view; a room database is one room's.
    func validateRooms() throws {
        if central == nil, rooms.count > 1 { throw ValidationError("several --room need --central (a room's database holds one room)") }
    }

    @Option(
        help: ArgumentHelp("Only events of this priority or higher: low, medium or high.", valueName: "priority"),
        completion: Completions.priorities)
    var priority: String?

    @Flag(help: "Print what is there and exit instead of following.")
    var noFollow = false

    @Flag(help: "Wait for the database to appear instead of failing when it does not exist yet.")
    var wait = false

    @Option(help: "text, or jsonl: one JSON object a line, DESIGN.md's alert object plus room, session, alert_id and by; its t is seconds since the session started. Monitoring changes are {\"type\":\"monitoring\",…} objects.")
    var format: OutputFormat = .text

    @Flag(help: "Ring the terminal bell when a high-priority alert is raised or escalates.")
    var bell = false

    @OptionGroup var colour: ColourOption

    @Option(help: ArgumentHelp("Follow every room's alerts in the clinic's central PostgreSQL instead of this room's database (see `vitals central`).", valueName: "url"))
    var central: String?

    /// How often the database is checked for its file while it does not exist, and after an error.
    static let pollInterval: useconds_t = 50_000
    /// The longest `AlertFollower.wait` between polls (a commit ends it at once).
    static let waitMilliseconds: Int64 = 50

    func validate() throws { try validateRooms() }

    func run() throws {
        colour.configure()
        if let central { return try runCentral(url: central) }
        let filter = AlertEventFilter(room: room, sessionID: sessionID, minimumPriority: try minimumPriority())
        let now = SessionClock.now()
        let sinceTime = try since.map { try SinceExpression.parse($0, now: now) }
        let location = try database.location()
        if !location.exists && !wait { throw MissingDatabaseError(location: location) }
        let db = try openWhenPresent(location)
        if let sessionID { _ = try db.session(id: sessionID) }
        if let room {
            let known = try db.knownRooms()
            if !known.contains(room) && !wait { throw UnknownRoomError(room: room, known: known) }
        }
        let follower = try AlertFollower(
            database: db, filter: filter, useInotify: ProcessInfo.processInfo.environment["VITALS_NO_INOTIFY"] == nil)
        let printer = TailPrinter(database: db, format: format, bell: bell)
        let backlog = try follower.start(since: sinceTime, now: now)
        if !noFollow {
            printer.following(path: location.path, rooms: try follower.rooms(now: now))
        }
        printer.print(backlog)
        if noFollow { return }
        while true {
            for update in follower.poll(now: SessionClock.now()) { printer.print(update) }
            // Until a commit, or 50 ms: the heartbeats are judged by their age, so tail looks at
            // them twice a second whether or not anything was written.
            follower.wait(timeoutMilliseconds: Self.waitMilliseconds)
        }
    }

    /// `--priority` as a priority.
    func minimumPriority() throws -> AlertPriority? {
        guard let priority else { return nil }
        guard let p = AlertPriority(rawValue: priority.lowercased()) else {
            throw TerminalCommandError.badOption(name: "--priority", value: priority, reason: "use low, medium or high")
        }
        return p
    }

    /// The database, once its file exists (with --wait); opening can fail while another process
    /// is creating the file (before its schema is in), which is retried too.
    func openWhenPresent(_ location: DatabaseLocation) throws -> VitalsDatabase {
        var announced = false
        while true {
            if location.exists {
                do {
                    return try VitalsDatabase(path: location.path)
                } catch {
                    if !wait { throw error }
                }
            } else if !announced {
                FileHandle.standardError.write(Data("vitals: waiting for a database at \(location)\n".utf8))
                announced = true
            }
            usleep(Self.pollInterval)
        }
    }
}
