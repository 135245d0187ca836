import ArgumentParser
import Foundation
import Reports
import Store

/// `vitals report SESSION`: the page a clinician signs (trends, alerts, the REMS form's fields).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a session's report: trends, alerts and the REMS Patient Monitoring Form's fields.",
        discussion: """
            html (default) is one self-contained file that loads nothing from the network; pdf prints it \
            with headless Chromium (Debian package chromium); json gives the form's fields and the summary \
            figures for an EHR interface (schema in docs/REPORT.md). Written to session-ID.FORMAT unless \
            -o is given (-o - for standard output); the file is readable by its owner only.
            """
    )

    @OptionGroup var database: DatabaseOption

    @Argument(help: "The session id (see `vitals session list`).")
    var session: Int64

    @Option(help: "html, pdf or json.")
    var format: ReportFormat = .html

    @Option(name: .shortAndLong, help: "The file to write (- for standard output).")
    var output: String?

    @Option(help: "The rule set whose limits the form's range answers use (default: the shipped Rules/ketamine.yaml).")
    var rules: String?

    func run() throws {
        let db = try database.open()
        let now = SessionClock.now()
        let record = try db.session(id: session)
        let limits = try SessionLimits.load(rulesPath: rules ?? DefaultRules.path, plan: record.plan)
        let model = try ReportModel.load(database: db, session: session, now: now, limits: limits)
        let path = try ReportFile.write(
            model, format: format, to: output ?? ReportFile.defaultName(session: session, format: format), generatedAt: now)
        if path != "-" { print(path) }
    }
}

extension ReportFormat: ExpressibleByArgument {}
