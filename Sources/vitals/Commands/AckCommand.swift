import ArgumentParser
import Foundation
import Store
import VitalsCore

/// `vitals ack ALERT_ID --by NAME`: asks the room's daemon to acknowledge an alert.
///
/// The alert state lives in the daemon's rule engine, so this command does not change the alert
/// itself: `VitalsDatabase.requestAcknowledgement` checks the alert and queues an `ack` command,
/// and the command waits (on the monotonic clock) for the daemon to apply it (the daemon then
/// records the `acknowledged` event, with `by`, that `vitals tail` shows). When no daemon runs
/// for the room, the command stays queued and is applied when `vitals run` starts there.
struct AckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Acknowledge an alert (the number `vitals tail` shows as \"alert N\").",
        discussion: """
            A firing alarm is silenced (it alarms again after the rule's interval if its condition \
            persists); a latched alarm whose condition has cleared ends. The running `vitals run` \
            applies it.
            """)

    @Argument(help: ArgumentHelp("The alert's id.", valueName: "alert-id"))
    var alertID: Int64

    @Option(help: "Who acknowledges (stored with the alert).")
    var by: String

    @Option(help: "A note kept with the acknowledgement.")
    var note: String?

    @Option(help: ArgumentHelp("How long to wait for the daemon to apply it, in seconds (0 to 600).", valueName: "seconds"))
    var wait: Double = 3

    @OptionGroup var database: DatabaseOption

    func validate() throws {
        guard wait.isFinite, (0...600).contains(wait) else { throw ValidationError("--wait must be between 0 and 600 seconds") }
    }

    func run() throws {
        let db = try database.open()
        let request = try db.requestAcknowledgement(alertID: alertID, by: by, note: note, at: SessionClock.now())
        if request.wasWaiting { print(request.waitingText) }
        guard let result = try db.awaitResult(ofCommand: request.commandID, timeout: .milliseconds(Int64(wait * 1000))) else {
            print(request.queuedText)
            return
        }
        guard result.outcome == .applied else {
            throw AcknowledgementRefusal.refused(commandID: request.commandID, message: result.message)
        }
        print(request.appliedText)
    }
}
