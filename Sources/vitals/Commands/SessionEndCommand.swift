import ArgumentParser
import Bridge
import Foundation
import Store

/// `vitals session end`: discharge; refuses without `--force` while observation is not over or
/// the last vitals are outside the session's limits.
struct SessionEndCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "end",
        abstract: "End the session (discharge).",
        discussion: """
            Warns and refuses, unless --force is given, while the planned observation has not \
            passed or the last valid vitals are outside the limits: the rule set's (the one the \
            session recorded) with the patient's own overrides.
            """
    )

    @OptionGroup var database: DatabaseOption
    @OptionGroup var target: SessionTarget

    @Option(help: "Why it ended, e.g. \"discharged home\".")
    var reason: String?

    @Flag(help: "End it despite the warnings.")
    var force = false

    @Option(help: "Who discharged the patient.")
    var by: String?

    @Option(parsing: .unconditional, help: "When (ISO 8601, HH:MM today, or -10m); default now.")
    var at: String?

    @Option(help: ArgumentHelp("Rules for a session that recorded none (default: Rules/ketamine.yaml).", valueName: "PATH"))
    var rules: String?

    func run() throws {
        let t = try SessionClock.time(at)
        let db = try database.open()
        let s = try target.resolve(in: db)
        guard s.isOpen else { throw StoreError.sessionEnded(id: s.id) }
        let sessionRules = SessionRules.resolve(for: s, fallbackPath: rules ?? DefaultRules.path)
        print(sessionRules.text)
        let warnings = try db.endWarnings(session: s.id, now: t, extraLimits: sessionRules.dischargeLimits(for: s))
        for w in warnings {
            FileHandle.standardError.write(Data("warning: \(w)\n".utf8))
        }
        let checkpoints = try db.remsCheckpoints(session: s.id, now: t, windows: sessionRules.windows)
        if !checkpoints.hasDose {
            FileHandle.standardError.write(Data("note: no dose time was recorded for session \(s.id)\n".utf8))
        } else if !checkpoints.isComplete {
            let missing = [
                checkpoints.baseline == nil ? "before the dose" : nil, checkpoints.postDose == nil ? "about \(checkpoints.windows.postDoseCheckMilliseconds / 60_000) min after" : nil,
                checkpoints.beforeDischarge == nil ? "before discharge" : nil,
            ].compactMap { $0 }
            FileHandle.standardError.write(Data("note: REMS blood pressure missing: \(missing.joined(separator: ", "))\n".utf8))
        }
        if !warnings.isEmpty, !force {
            FileHandle.standardError.write(Data("Session \(s.id) is still open; end it anyway with --force.\n".utf8))
            throw ExitCode(2)
        }
        try db.endSession(s.id, at: t, reason: reason, by: by, windows: sessionRules.windows)
        print("Session \(s.id) ended at \(SessionClock.clock(max(t, s.startedAt)))\(warnings.isEmpty ? "" : " (forced)").")
    }
}
