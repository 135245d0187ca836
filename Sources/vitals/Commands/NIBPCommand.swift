import ArgumentParser
import Foundation
import Store

/// `vitals nibp`: blood-pressure measurements the bridge drives.
struct NIBPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nibp",
        abstract: "Blood-pressure measurements on cuffs the bridge drives (SunTech Advantage).",
        discussion: """
            vitals run takes a baseline when the cuff attaches, one every --nibp-interval (10 min), \
            and one 40 minutes after the dose for the esketamine REMS check. `vitals nibp start` asks \
            for one more, now.
            """,
        subcommands: [NIBPStartCommand.self]
    )
}

/// `vitals nibp start`: ask the room's daemon for a measurement now.
struct NIBPStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Ask the running vitals run to take a blood pressure now.")

    @OptionGroup var database: DatabaseOption

    @Option(help: ArgumentHelp("The room (default: VITALS_ROOM, else 'default').", valueName: "NAME"), completion: Completions.rooms)
    var room: String?

    @Option(help: ArgumentHelp("How long to wait for the daemon, in seconds (0 to 600).", valueName: "seconds"))
    var wait: Double = 3

    func validate() throws {
        guard wait.isFinite, (0...600).contains(wait) else { throw ValidationError("--wait must be between 0 and 600 seconds") }
    }

    func run() throws {
        let db = try database.open()
        let room = room ?? VitalsDatabase.defaultRoom()
        let id = try db.enqueueCommand(.startBloodPressure(room: room, at: SessionClock.now()))
        // The deadline is on the monotonic clock: a wall-clock step neither ends nor stretches it.
        guard let result = try db.awaitResult(ofCommand: id, timeout: .milliseconds(Int64(wait * 1000))) else {
            print("Queued as command \(id): no `vitals run` for room \"\(room)\" has picked it up yet.")
            return
        }
        guard result.outcome == .applied else {
            throw TerminalCommandError.refused(commandID: id, message: result.message)
        }
        print("Blood pressure requested: \(result.message).")
    }
}
