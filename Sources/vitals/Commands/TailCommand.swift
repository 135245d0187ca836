import ArgumentParser
import Foundation
import Store
import VitalsCore

/// `vitals tail`: the alert events of the room's database, then every new one as it is
/// committed, like `tail -f`.
///
/// How it follows: it sleeps until inotify reports a write to the database or its WAL, then asks
/// SQLite's `PRAGMA data_version` on a connection of its own (`DatabaseChangeMonitor`) whether
/// another process has committed, and only then reads the events with an id above the last one
/// read (`alert_events.id` grows in commit order). `data_version` stays the truth; inotify only
/// says when to ask. Without inotify (or with `VITALS_NO_INOTIFY=1` in the environment, which the
/// benchmark uses for its baseline) it asks every 50 ms, and with it still every second, for
/// filesystems whose writers inotify cannot see (another machine's, on a network share). The id
/// cursor, read in the same transaction as the events, means nothing is missed or printed twice,
/// even across a restart of `vitals run`. A notification socket from the daemon would be faster
/// still but would tie tail to a running daemon; SQLite has no cross-process notification and
/// GRDB's observation sees only its own process's writes.
struct TailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Show the alerts, then follow new ones as they happen.",
        discussion: """
            Starts with the alerts active in the open sessions (or every alert event since --since), \
            then prints each new alert event the moment it is committed. Waits quietly for the \
            database when it does not exist yet, and keeps following when `vitals run` restarts.
            """)

    @OptionGroup var database: DatabaseOption

    @Option(help: ArgumentHelp("Show the events since this time: a duration ago (10m, 1h30m) or a time (09:10, 2026-03-02T09:10).", valueName: "when"))
    var since: String?

    @Option(name: .customLong("session"), help: "Only this session.")
    var sessionID: Int64?

    @Option(help: "Only this room.")
    var room: String?

    @Option(help: ArgumentHelp("Only events of this priority or higher: low, medium or high.", valueName: "priority"))
    var priority: String?

    @Flag(help: "Print what is there and exit instead of following.")
    var noFollow = false

    @Option(help: "text, or jsonl: one JSON object a line, DESIGN.md's alert object plus room, session, alert_id and by; its t is seconds since the session started.")
    var format: OutputFormat = .text

    @Flag(help: "Ring the terminal bell when a high-priority alert is raised or escalates.")
    var bell = false

    @Option(help: ArgumentHelp("Follow every room's alerts in the clinic's central PostgreSQL instead of this room's database (see `vitals central`).", valueName: "url"))
    var central: String?

    /// How often the database is checked for its file while it does not exist, and after an error.
    static let pollInterval: useconds_t = 50_000
    /// With inotify, how often the database is asked anyway when no write woke tail.
    static let slowPollMilliseconds: Int64 = 1000

    func run() throws {
        TerminalStyle.configure()
        if let central { return try runCentral(url: central) }
        let filter = AlertEventFilter(room: room, sessionID: sessionID, minimumPriority: try minimumPriority())
        let now = SessionClock.now()
        let sinceTime = try since.map { try Self.parseSince($0, now: now) }
        let path = database.resolvedPath

        guard let db = try openWhenPresent(path) else {
            FileHandle.standardError.write(Data("vitals: no database at \(path) yet\n".utf8))
            return
        }
        let printer = TailPrinter(database: db, format: format, bell: bell)
        var page = try sinceTime.map { try db.alertEvents(since: $0, filter: filter) } ?? db.activeAlertEvents(filter: filter)
        printer.print(page.events)
        var cursor = page.cursor
        if noFollow { return }

        let monitor = try DatabaseChangeMonitor(
            path: path, useInotify: ProcessInfo.processInfo.environment["VITALS_NO_INOTIFY"] == nil)
        var reported = false
        // Stays set until a read succeeds: a change seen just before a failed read is not lost.
        var changed = false
        while true {
            do {
                if try monitor.waitForCommit(timeoutMilliseconds: changed ? 0 : Self.slowPollMilliseconds) { changed = true }
                if changed {
                    // Drain: a burst may be longer than one page.
                    repeat {
                        page = try db.alertEvents(after: cursor, filter: filter)
                        printer.print(page.events)
                        let moved = page.cursor != cursor
                        cursor = page.cursor
                        if !moved { break }
                    } while true
                    changed = false
                }
                if reported {
                    FileHandle.standardError.write(Data("vitals: reading the database again\n".utf8))
                    reported = false
                }
            } catch {
                // Keep following: a long lock or a moment without the file is not the end.
                if !reported {
                    FileHandle.standardError.write(Data("vitals: \(error); retrying\n".utf8))
                    reported = true
                }
                usleep(Self.pollInterval)
            }
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

    /// `10m` (that long ago) or a time `TimeExpression` reads.
    static func parseSince(_ text: String, now: Int64) throws -> Int64 {
        if let d = try? StoreError.duration(text) { return now - d }
        return try TimeExpression.parse(text, now: now)
    }

    /// The database, once its file exists; waits for it quietly when following, and returns
    /// `nil` at once with `--no-follow`. Opening can fail while another process is creating the
    /// file (before its schema is in); that is retried too.
    func openWhenPresent(_ path: String) throws -> VitalsDatabase? {
        while true {
            if FileManager.default.fileExists(atPath: path) {
                do {
                    return try VitalsDatabase(path: path)
                } catch {
                    if noFollow { throw error }
                }
            } else if noFollow {
                return nil
            }
            usleep(Self.pollInterval)
        }
    }
}
