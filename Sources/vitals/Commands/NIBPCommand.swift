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

    @Option(help: ArgumentHelp("The room (default: VITALS_ROOM, else 'default').", valueName: "NAME"))
    var room: String?

    @Option(help: ArgumentHelp("How long to wait for the daemon, in seconds.", valueName: "seconds"))
    var wait: Double = 3

    func run() throws {
        let db = try database.open()
        let room = room ?? VitalsDatabase.defaultRoom()
        let id = try db.enqueueCommand(.startBloodPressure(room: room, at: SessionClock.now()))
        let deadline = Date().addingTimeInterval(max(0, wait))
        while Date() < deadline {
            if let c = try db.command(id: id), let result = c.result {
                guard result.outcome == .applied else {
                    throw TerminalCommandError.refused(commandID: id, message: result.message)
                }
                print("Blood pressure requested: \(result.message).")
                return
            }
            usleep(100_000)
        }
        print("Queued as command \(id): no `vitals run` for room \"\(room)\" has picked it up yet.")
    }
}
