import ArgumentParser
import VitalsCore
import Store

/// `vitals session start`: open a session in a room.
struct SessionStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start a dosing session in a room.",
        discussion: """
            Only one session can be open in a room. Readings that arrived before anyone started a \
            session went into an automatic one; starting a session ends that one.
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

    @Option(help: "Planned observation after the dose (REMS: at least 2h).")
    var observe: String = "2h"

    @Option(parsing: .unconditional, help: "When it started (ISO 8601, HH:MM today, or -10m); default now.")
    var at: String?

    func run() throws {
        var parsed: [String: Double] = [:]
        for l in limits {
            let parts = l.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let v = Double(parts[1].trimmingCharacters(in: .whitespaces)), v.isFinite else {
                throw StoreError.invalidValue(name: "--limit", value: l, reason: "write NAME=VALUE, e.g. spo2_low=88")
            }
            parsed[parts[0].trimmingCharacters(in: .whitespaces)] = v
        }
        let observeMs = try StoreError.duration(observe, name: "--observe")
        let start = try SessionClock.time(at)
        let db = try database.openOrCreate()
        let plan = SessionPlan(
            room: room ?? VitalsDatabase.defaultRoom(), patientRef: patient, clinician: clinician, medication: medication,
            dose: dose, route: route, observeMilliseconds: observeMs, limits: parsed)
        let s = try db.startSession(plan, at: start)
        print("Session \(s.id) started in room \(s.room) at \(SessionClock.clock(s.startedAt)).")
    }
}
