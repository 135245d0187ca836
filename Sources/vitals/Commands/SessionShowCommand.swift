import ArgumentParser
import Bridge
import Central
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

    @OptionGroup var central: CentralSessionOption

    func validate() throws { try central.validate() }

    func run() throws {
        let fallback = rules ?? DefaultRules.path
        if let reader = try central.read(session: id) {
            defer { reader.remove() }
            if format == .text { print(reader.provenance) }
            try show(reader.database, fallback: fallback)
            return
        }
        try show(try database.open(), fallback: fallback)
    }

    func show(_ db: VitalsDatabase, fallback: String) throws {
        let session = try db.session(id: id)
        let sessionRules = SessionRules.resolve(for: session, fallbackPath: fallback)
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

/// `--central URL [--room R]…`: read a session from the clinic's central PostgreSQL instead of
/// the room's database (`session show`, `report`).
struct CentralSessionOption: ParsableArguments {
    @Option(name: .customLong("central"), help: ArgumentHelp("Read the session from the clinic's central PostgreSQL.", valueName: "url"))
    var url: String?

    @Option(help: "With --central: the room whose session it is, when several rooms have this id (repeat to allow several).")
    var room: [String] = []

    func validate() throws {
        if url == nil, !room.isEmpty { throw ValidationError("--room is for --central (a room's own database numbers its sessions uniquely)") }
    }

    /// The session copied from the central database, or `nil` without `--central`.
    func read(session id: Int64) throws -> CentralSessionReader? {
        guard let url else { return nil }
        let endpoint: CentralEndpoint
        do { endpoint = try CentralEndpoint.parse(url) } catch { throw ValidationError(error.description) }
        let rooms = Set(room)
        return try waitFor { try await CentralSessionReader.read(endpoint, session: id, rooms: rooms) }
    }
}
