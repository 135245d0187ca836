import ArgumentParser
import Foundation
import Store

#if canImport(Glibc)
import Glibc
#endif

/// `vitals status`: the current vitals of each open session, once or (`--watch`) redrawn in
/// place every second.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each open session's devices, latest vitals and active alerts.")

    @OptionGroup var database: DatabaseOption

    @Option(name: .customLong("room"), help: "Only this room (with --central, repeat for several).")
    var rooms: [String] = []

    /// The one room a room database's view is narrowed to (several need --central).
    var room: String? { rooms.first }

    /// Several rooms are the central database's view; a room database is one room's.
    func validateRooms() throws {
        if central == nil, rooms.count > 1 { throw ValidationError("several --room need --central (a room's database holds one room)") }
    }

    @Flag(help: "Redraw every second until interrupted (Ctrl-C).")
    var watch = false

    @Option(help: ArgumentHelp("Show every room from the clinic's central PostgreSQL instead of this room's database.", valueName: "url"))
    var central: String?

    /// The widest line drawn: fits a standard 80-column terminal.
    static let width = 80

    func validate() throws { try validateRooms() }

    func run() throws {
        let colour = TerminalStyle.configure()
        if let central { return try runCentral(url: central) }
        let path = database.resolvedPath
        guard FileManager.default.fileExists(atPath: path) else { throw TerminalCommandError.noDatabase(path: path) }
        let frame = StatusFrame(database: try VitalsDatabase(path: path), width: Self.width)
        guard watch else {
            for line in try frame.lines(room: room, now: SessionClock.now()) { TerminalWriter.line(line) }
            return
        }
        let inPlace = colour || isatty(STDOUT_FILENO) == 1
        if inPlace {
            // Hide the cursor while drawing; the handler shows it again and leaves the screen as it is.
            signal(SIGINT, StatusCommand.restoreAndExit)
            signal(SIGTERM, StatusCommand.restoreAndExit)
            TerminalWriter.write("\u{1B}[?25l\u{1B}[H\u{1B}[2J")
        }
        while true {
            let now = SessionClock.now()
            var lines = (try? frame.lines(room: room, now: now)) ?? ["(cannot read the database; retrying)"]
            lines += ["", TerminalStyle.dim("Updated \(SessionClock.clock(now)), every second. Ctrl-C to stop.")]
            if inPlace {
                // Home, each line cleared to its end, then everything below cleared: no flicker.
                TerminalWriter.write("\u{1B}[H" + lines.map { $0 + "\u{1B}[K\n" }.joined() + "\u{1B}[J")
            } else {
                TerminalWriter.write(lines.joined(separator: "\n") + "\n\n")
            }
            sleep(1)
        }
    }

    /// On SIGINT/SIGTERM: cursor back on, a newline, exit. Only async-signal-safe calls.
    static let restoreAndExit: @convention(c) (Int32) -> Void = { _ in
        let restore: [UInt8] = [0x1B, 0x5B, 0x3F, 0x32, 0x35, 0x68, 0x0A]  // ESC[?25h, newline
        _ = restore.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        _exit(0)
    }
}
