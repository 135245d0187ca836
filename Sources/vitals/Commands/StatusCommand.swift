import ArgumentParser
import Foundation
import RulesEngine
import Store

#if canImport(Glibc)
import Glibc
#endif

/// `vitals status`: each room's monitoring state, open session, latest vitals and active alerts,
/// once or (`--watch`) redrawn in place every second, fitted to the terminal.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each room: monitored or not, devices, latest vitals and active alerts.",
        discussion: """
            A room whose `vitals run` has sent no heartbeat for 5 s shows "NOT MONITORING since \
            HH:MM:SS" and its devices as unknown. Alerts are listed most urgent first; \
            acknowledged ones are dimmed; values outside the session's limits are marked "!". \
            With --format jsonl: one object per room, {"type":"room","room":…,"monitoring":…,\
            "heartbeat_at":…,"session":{…}|null,"devices":[…],"vitals":[…],"alerts":[…]}.
            """)

    @OptionGroup var database: DatabaseOption

    @Option(name: .customLong("room"), help: "Only this room (with --central, repeat for several).", completion: Completions.rooms)
    var rooms: [String] = []

    /// The one room a room database's view is narrowed to (several need --central).
    var room: String? { rooms.first }

    /// Several rooms are the central database's view; a room database is one room's.
    func validateRooms() throws {
        if central == nil, rooms.count > 1 { throw ValidationError("several --room need --central (a room's database holds one room)") }
    }

    @Flag(help: "Redraw every second until interrupted (Ctrl-C).")
    var watch = false

    @Option(help: "text, or jsonl: one JSON object per room.")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("The rule file whose limits mark out-of-range values (default: the shipped rules).", valueName: "path"))
    var rules: String?

    @OptionGroup var colour: ColourOption

    @Option(help: ArgumentHelp("Show every room from the clinic's central PostgreSQL instead of this room's database.", valueName: "url"))
    var central: String?

    @Flag(help: "Exit 1 when a room shown has an active alert or is not monitored (for scripts and checks; not with --watch).")
    var failOnActive = false

    /// The central board's width: fits a standard 80-column terminal.
    static let width = 80

    func validate() throws { try validateRooms() }

    func run() throws {
        let colourOn = colour.configure()
        if let central { return try runCentral(url: central) }
        let db = try database.open()
        let limits = Self.defaultLimits(path: rules ?? DefaultRules.path)
        let size = TerminalSize.current()
        let frame = StatusFrame(width: size.columns, height: watch ? size.lines.map { $0 - 2 } : nil)
        guard watch else {
            let rooms = try db.roomStatuses(room: room, now: SessionClock.now(), defaultLimits: limits)
            switch format {
            case .jsonl: for r in rooms { TerminalWriter.line(r.json) }
            case .text:
                let now = SessionClock.now()
                let forwarding = (try? db.forwardDestinations(now: now)) ?? []
                for line in frame.lines(rooms, filteredTo: room, now: now, forwarding: forwarding) { TerminalWriter.line(line) }
            }
            if failOnActive, rooms.contains(where: { !$0.alerts.isEmpty || !$0.monitoring.isMonitoring }) {
                throw ExitCode(ExitStatus.checkFailed)
            }
            return
        }
        let inPlace = colourOn || isatty(STDOUT_FILENO) == 1
        if inPlace && format == .text {
            // Hide the cursor while drawing; the handler shows it again and leaves the screen as it is.
            signal(SIGINT, StatusCommand.restoreAndExit)
            signal(SIGTERM, StatusCommand.restoreAndExit)
            TerminalWriter.write("\u{1B}[?25l\u{1B}[H\u{1B}[2J")
        } else {
            // Set even when the parent ignored them (a background job): Ctrl-C and SIGTERM end the watch.
            signal(SIGINT, StatusCommand.exitQuietly)
            signal(SIGTERM, StatusCommand.exitQuietly)
        }
        while true {
            let now = SessionClock.now()
            let rooms = try? db.roomStatuses(room: room, now: now, defaultLimits: limits)
            if format == .jsonl {
                for r in rooms ?? [] { TerminalWriter.line(r.json) }
                sleep(1)
                continue
            }
            let size = TerminalSize.current()
            let frame = StatusFrame(width: size.columns, height: size.lines.map { $0 - 2 })
            let forwarding = (try? db.forwardDestinations(now: now)) ?? []
            var lines = rooms.map { frame.lines($0, filteredTo: room, now: now, forwarding: forwarding) } ?? ["(cannot read the database; retrying)"]
            lines += ["", TerminalStyle.dim(frame.fit("Updated \(SessionClock.clock(now)), every second. Ctrl-C to stop."))]
            if inPlace {
                // Home, each line cleared to its end, then everything below cleared: no flicker.
                TerminalWriter.write("\u{1B}[H" + lines.map { $0 + "\u{1B}[K" }.joined(separator: "\n") + "\u{1B}[J")
            } else {
                TerminalWriter.write(lines.joined(separator: "\n") + "\n\n")
            }
            sleep(1)
        }
    }

    /// The rule set's limit defaults by name (spo2_low, pulse_high …), or none when the rule file
    /// cannot be read (status then marks nothing; `vitals rules check` says what is wrong).
    static func defaultLimits(path: String) -> [String: Double] {
        guard let set = try? RuleSet.load(path: path) else { return [:] }
        return Dictionary(set.limits.filter { !$0.isDuration }.map { ($0.name, $0.defaultValue) }, uniquingKeysWith: { a, _ in a })
    }

    /// On SIGINT/SIGTERM when not drawing in place: exit 0.
    static let exitQuietly: @convention(c) (Int32) -> Void = { _ in _exit(0) }

    /// On SIGINT/SIGTERM: cursor back on, a newline, exit. Only async-signal-safe calls.
    static let restoreAndExit: @convention(c) (Int32) -> Void = { _ in
        let restore: [UInt8] = [0x1B, 0x5B, 0x3F, 0x32, 0x35, 0x68, 0x0A]  // ESC[?25h, newline
        _ = restore.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        _exit(0)
    }
}

/// The terminal's size: the window of stdout when it is a terminal, else `$COLUMNS`/`$LINES`,
/// else 80 columns and no height limit.
struct TerminalSize {
    var columns: Int
    var lines: Int?

    static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> TerminalSize {
        var ws = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 {
            return TerminalSize(columns: max(40, Int(ws.ws_col)), lines: ws.ws_row > 0 ? max(10, Int(ws.ws_row)) : nil)
        }
        let columns = environment["COLUMNS"].flatMap(Int.init).map { max(40, $0) } ?? 80
        return TerminalSize(columns: columns, lines: environment["LINES"].flatMap(Int.init).map { max(10, $0) })
    }
}
