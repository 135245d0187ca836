import ArgumentParser
import Reports
import Store

/// `vitals session show ID`: the whole record of one session.
struct SessionShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a session: duration, devices, per-metric summary, REMS BP checkpoints, alerts."
    )

    @OptionGroup var database: DatabaseOption

    @Argument(help: "The session id (see `vitals session list`).")
    var id: Int64

    func run() throws {
        let db = try database.open()
        print(try db.report(session: id, now: SessionClock.now()).text(), terminator: "")
    }
}
