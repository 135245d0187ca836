import ArgumentParser
import Bridge
import Foundation
import RulesEngine
import VitalsCore
import Store

/// `vitals session start`: open a session in a room.
struct SessionStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start a dosing session in a room.",
        discussion: """
            Only one session can be open in a room. Readings that arrived before anyone started a \
            session went into an automatic one; starting a session ends that one. Each --limit is \
            checked against the rule set (its name, and the range the rule file declares); a refused \
            one stores nothing. The session records the rule set's path and SHA-256, so `session \
            show` and `session end` judge it with the same rules.
            """
    )

    @OptionGroup var database: DatabaseOption

    @Option(help: "A pseudonymous patient reference (never a name).")
    var patient: String

    @Option(help: "The clinician responsible.")
    var clinician: String?

    @Option(help: "The medication, e.g. esketamine.")
    var medication: String?

    @Option(help: "The dose as written, e.g. \"56 mg\".")
    var dose: String?

    @Option(help: "The route, e.g. intranasal.")
    var route: String?

    @Option(help: "The room (default: $VITALS_ROOM, else \"default\").", completion: Completions.rooms)
    var room: String?

    @Option(name: .customLong("limit"), help: ArgumentHelp("A patient's own alarm limit, e.g. spo2_low=88 (repeatable).", valueName: "name=value"))
    var limits: [String] = []

    @Option(help: "Planned observation after the dose (default: the rule file's `rems: observation`, 2h).")
    var observe: String?

    @Option(help: ArgumentHelp("The rule file or folder the room uses (default: Rules/ketamine.yaml).", valueName: "PATH"))
    var rules: String?

    @Option(help: "The medication's lot number (REMS form).")
    var lot: String?

    @Option(
        name: .customLong("concomitant"),
        help: ArgumentHelp(
            "A REMS concomitant-medication answer, e.g. benzodiazepine=no (repeatable; classes: \(ConcomitantMedications.keys.joined(separator: ", "))).",
            valueName: "class=yes|no"))
    var concomitant: [String] = []

    @Option(parsing: .unconditional, help: "When it started (ISO 8601, HH:MM today, or -10m); default now.")
    var at: String?

    func run() throws {
        let ruleSet = try RuleSet.load(path: rules ?? DefaultRules.path)
        let parsed = try LimitArguments.validated(limits, against: ruleSet)
        var answers = ConcomitantMedications()
        for c in concomitant {
            let parts = c.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let answer: Bool? = parts.count == 2 ? ["yes": true, "no": false][parts[1]] : nil
            guard let answer, answers.set(parts[0], answer) else {
                throw StoreError.invalidValue(
                    name: "--concomitant", value: c,
                    reason: "write CLASS=yes or CLASS=no, CLASS one of \(ConcomitantMedications.keys.joined(separator: ", "))")
            }
        }
        let observeMs = try observe.map { try StoreError.duration($0, name: "--observe") } ?? ruleSet.rems.observationMilliseconds
        let start = try SessionClock.time(at)
        let db = try database.openOrCreate()
        let plan = SessionPlan(
            room: room ?? VitalsDatabase.defaultRoom(), patientRef: patient, clinician: clinician, medication: medication,
            dose: dose, route: route, observeMilliseconds: observeMs, limits: parsed,
            lot: lot, concomitant: answers,
            rulesPath: ruleSet.source.map { URL(fileURLWithPath: $0.path).standardizedFileURL.path },
            rulesSHA256: ruleSet.source?.sha256)
        let s = try db.startSession(plan, at: start)
        print("Session \(s.id) started in room \(s.room) at \(SessionClock.clock(s.startedAt)).")
    }
}
