import ArgumentParser
import Store

/// `vitals session observe KIND`: the clinician's sedation, dissociation or respiratory-depression observation.
struct SessionObserveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "observe",
        abstract: "Record sedation, dissociation or respiratory depression (present, resolved or absent).",
        discussion: "The REMS Patient Monitoring Form asks whether these occurred; the report fills it from these records."
    )

    @OptionGroup var database: DatabaseOption
    @OptionGroup var target: SessionTarget

    @Argument(help: "sedation, dissociation or respiratory-depression.")
    var kind: ClinicalObservationKind

    @Argument(help: "What was seen, in the clinician's words.")
    var text: String = ""

    @Option(help: "present (default), resolved or absent.")
    var status: ClinicalObservationStatus = .present

    @Option(help: "Who observed it.")
    var by: String?

    @Option(parsing: .unconditional, help: "When (ISO 8601, HH:MM today, or -10m); default now.")
    var at: String?

    func run() throws {
        let t = try SessionClock.time(at)
        let db = try database.open()
        let s = try target.resolve(in: db)
        try db.addObservation(ClinicalObservation(sessionID: s.id, at: t, kind: kind, status: status, text: text, by: by))
        print("Observation recorded for session \(s.id): \(kind.rawValue) \(status.rawValue) at \(SessionClock.clock(t)).")
    }
}

extension ClinicalObservationKind: ExpressibleByArgument {}
extension ClinicalObservationStatus: ExpressibleByArgument {}
