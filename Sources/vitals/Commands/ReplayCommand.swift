import ArgumentParser
import Bridge
import DeviceProtocols
import Foundation
import RulesEngine
import Store
import VitalsCore

/// `vitals replay`: drive recorded device streams through the same pipeline on a virtual clock.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay recorded device streams (umockdev scripts) through the pipeline.",
        discussion: """
            Each --device names a profile and a fixture in umockdev's script format (Fixtures/<profile>/*.script). \
            Time is virtual: t counts from 0 by the script's delays, and the run goes as fast as the machine allows. \
            With --rules, alert events print as they would have happened live; without, the readings \
            print. --statuses adds what the devices said about themselves (a missing value, the sensor \
            off, sync lost at a byte offset). Known profiles: \(ProfileCatalog.knownNames).

            Examples:
              vitals replay --device nonin-df7=Fixtures/nonin-df7/df7-clean-70s.script --format jsonl
              vitals replay --device nonin-df7=desat.script --device suntech-advantage=bp.script \\
                  --rules Rules/ketamine.yaml --dose-at 10m --limit spo2_low=88 --format jsonl
            """
    )

    @Option(name: .customLong("device"), help: ArgumentHelp("A recorded device: PROFILE=FILE (repeatable).", valueName: "PROFILE=FILE"))
    var devices: [String] = []

    @Option(help: ArgumentHelp("Rule file or folder to evaluate (for example Rules/ketamine.yaml).", valueName: "PATH"))
    var rules: String?

    @Option(name: .customLong("limit"), help: ArgumentHelp("Override a rule limit for this run (repeatable).", valueName: "NAME=VALUE"))
    var limits: [String] = []

    @Option(name: .customLong("dose-at"), help: ArgumentHelp("When the dose is given, from the start of the run (40m, 1h10m).", valueName: "DURATION"))
    var doseAt: String?

    @Option(help: "Output format: text or jsonl (one JSON object a line).")
    var format: OutputFormat = .text

    @Flag(help: "Print the readings (the default without --rules).")
    var readings = false

    @Flag(help: "Print device statuses: missing values, sensor off/on, sync lost and found, command replies.")
    var statuses = false

    @Flag(help: "Also print waveform (pleth) batches.")
    var waveform = false

    @Flag(name: .customLong("device-events"), help: "Also print connection changes.")
    var deviceEvents = false

    @Option(help: ArgumentHelp("Also store readings and alerts in this database (an automatic session in room 'replay').", valueName: "FILE"))
    var db: String?

    @Option(help: ArgumentHelp("Wall-clock label of t=0 (ISO 8601).", valueName: "TIME"))
    var start: String = "2026-01-01T09:00:00Z"

    func validate() throws {
        if devices.isEmpty { throw ValidationError(ReplayError.noDevices.description) }
        if Timestamp.parseISO8601(start) == nil { throw ValidationError("--start '\(start)' is not an ISO 8601 time") }
        if let doseAt, DurationText.parse(doseAt) == nil { throw ValidationError("--dose-at '\(doseAt)' is not a duration (for example 40m)") }
        _ = try LimitArguments.parse(limits)
    }

    func run() async throws {
        let sources = try ReplaySource.load(specs: devices)
        let ruleSet = try rules.map { path throws(RuleLoadError) in try RuleSet.load(path: path) }
        let epoch = Timestamp.parseISO8601(start)!
        let out = LineOutput()
        let printer = EventPrinter(
            format: format,
            options: .init(
                readings: readings || ruleSet == nil, statuses: statuses, waveforms: waveform, deviceEvents: deviceEvents),
            write: { out.write($0) }, flush: { out.flush() })
        var outputs: [any PipelineOutput] = [printer]
        let database = try db.map { try VitalsDatabase(path: $0) }
        if let database {
            let writer = ReadingWriter(
                database: database, configuration: WriterConfiguration(room: ReplayRecording.room), now: { epoch })
            outputs.insert(StoreOutput(writer: writer), at: 0)
        }
        let replay = Replay(
            sources: sources, rules: ruleSet,
            limits: try ruleSet.map { try LimitArguments.validated(limits, against: $0) } ?? LimitArguments.parse(limits),
            doseAt: doseAt.flatMap(DurationText.parse), epochMilliseconds: epoch)
        let end = try replay.run(outputs: outputs)
        if let database { try ReplayRecording.endSession(in: database, at: epoch + end.milliseconds) }
    }
}
