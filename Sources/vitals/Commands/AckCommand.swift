import ArgumentParser
import Foundation
import Store
import VitalsCore

/// `vitals ack ALERT_ID --by NAME`: asks the room's daemon to acknowledge an alert.
///
/// The alert state lives in the daemon's rule engine, so this command does not change the alert
/// itself: it checks the alert, stores an `ack` command, and waits a few seconds for the daemon
/// to apply it (the daemon then records the `acknowledged` event, with `by`, that `vitals tail`
/// shows). When no daemon runs for the room, the command stays queued and is applied when
/// `vitals run` starts there.
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

    @Option(help: ArgumentHelp("How long to wait for the daemon to apply it, in seconds.", valueName: "seconds"))
    var wait: Double = 3

    @OptionGroup var database: DatabaseOption

    func run() throws {
        let name = by.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw TerminalCommandError.missingName }
        let path = database.resolvedPath
        guard FileManager.default.fileExists(atPath: path) else { throw TerminalCommandError.noDatabase(path: path) }
        let db = try VitalsDatabase(path: path)
        let clock = LocalTimeFormatter()

        guard let alert = try db.alert(id: alertID) else { throw TerminalCommandError.unknownAlert(id: alertID) }
        let session = try db.session(id: alert.sessionID)
        if let newer = try db.supersedingAlert(of: alert.id) {
            throw TerminalCommandError.superseded(id: alert.id, rule: alert.rule, by: newer.id)
        }
        if let at = alert.acknowledgedAt {
            throw TerminalCommandError.alreadyAcknowledged(id: alert.id, rule: alert.rule, by: alert.acknowledgedBy, at: clock.dateTime(at))
        }
        if let at = alert.clearedAt {
            throw TerminalCommandError.alreadyCleared(id: alert.id, rule: alert.rule, at: clock.dateTime(at))
        }
        guard session.isOpen else { throw TerminalCommandError.sessionEnded(alertID: alert.id, sessionID: session.id) }

        let described = "alert \(alert.id) (\(alert.rule): \(alert.message))"
        let commandID: Int64
        if let pending = try db.acknowledgements(alert: alert.id).first(where: { !$0.isCompleted }) {
            commandID = pending.id
            print("An acknowledgement of \(described) by \(pending.by ?? "?") is already waiting (command \(pending.id)).")
        } else {
            commandID = try db.enqueueCommand(
                .acknowledge(alert, room: session.room, by: name, note: note, at: SessionClock.now()))
        }

        let deadline = Date().addingTimeInterval(max(0, wait))
        while true {
            if let c = try db.command(id: commandID), let result = c.result {
                guard result.outcome == .applied else {
                    throw TerminalCommandError.refused(commandID: commandID, message: result.message)
                }
                print("Acknowledged \(described) by \(c.by ?? name)." + (result.message.isEmpty ? "" : " \(result.message)"))
                return
            }
            if Date() >= deadline { break }
            usleep(100_000)
        }
        print("""
            Queued as command \(commandID): no `vitals run` for room "\(session.room)" has picked it up yet. \
            It will be applied when `vitals run` runs for that room.
            """)
    }
}
