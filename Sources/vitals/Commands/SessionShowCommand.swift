import ArgumentParser
import Bridge
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

    @Option(help: "text, or jsonl: the session, then one object per device, metric summary, REMS checkpoint, alert and event.")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("Rules for a session that recorded none (default: Rules/ketamine.yaml).", valueName: "PATH"))
    var rules: String?

    func run() throws {
        let db = try database.open()
        let session = try db.session(id: id)
        let sessionRules = SessionRules.resolve(for: session, fallbackPath: rules ?? DefaultRules.path)
        let report = try db.report(session: id, now: SessionClock.now(), windows: sessionRules.windows)
        switch format {
        case .text:
            print(sessionRules.text)
            for r in sessionRules.refusedOverrides(for: session) { print("  note: \(r.sessionAlertMessage)") }
            print(report.text(), terminator: "")
        case .jsonl: for line in report.jsonLines { TerminalWriter.line(line) }
        }
    }
}
