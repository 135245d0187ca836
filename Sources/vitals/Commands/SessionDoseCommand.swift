import ArgumentParser
import Bridge
import Store

/// `vitals session dose`: record when the dose was given.
struct SessionDoseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dose",
        abstract: "Record the dose time (the REMS checkpoints and the observation count from it)."
    )

    @OptionGroup var database: DatabaseOption
    @OptionGroup var target: SessionTarget

    @Option(parsing: .unconditional, help: "When the dose was given (ISO 8601, HH:MM today, or -10m); default now.")
    var at: String?

    @Option(help: "Who gave it.")
    var by: String?

    @Option(help: "The nasal device's number (1 = the first, the start of administration); records each device's time.")
    var device: Int?

    @Option(help: ArgumentHelp("Rules for a session that recorded none (default: Rules/ketamine.yaml).", valueName: "PATH"))
    var rules: String?

    func run() throws {
        let t = try SessionClock.time(at)
        let db = try database.open()
        let s = try target.resolve(in: db)
        let what = [s.plan.medication, s.plan.dose, s.plan.route].compactMap { $0 }.joined(separator: " ")
        if let device {
            try db.recordDoseDevice(session: s.id, number: device, at: t, text: what, by: by)
            guard device == 1 else {
                print("Nasal device \(device) recorded for session \(s.id) at \(SessionClock.clock(t)).")
                return
            }
        } else {
            try db.recordDose(session: s.id, at: t, text: what, by: by)
        }
        var line = "Dose recorded for session \(s.id) at \(SessionClock.clock(t))"
        if let earlier = s.doseAt { line += " (replacing \(SessionClock.clock(earlier)))" }
        let windows = SessionRules.resolve(for: s, fallbackPath: rules ?? DefaultRules.path).windows
        line += ". REMS blood pressure due at about \(SessionClock.clock(t + windows.postDoseCheckMilliseconds))"
        if let observe = s.plan.observeMilliseconds { line += "; observation until \(SessionClock.clock(t + observe))" }
        print(line + ".")
    }
}
