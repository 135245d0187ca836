import Bridge
import DeviceProtocols
import Foundation
import RulesEngine
import Store
import VitalsCore

/// Figure 4: a two-hour, two-device session replayed with rules and storage, as a multiple of
/// real time.
///
/// The scripts are recorded once (untimed) with ScenarioRecorder: a Nonin DF7 oximeter and a
/// SunTech cuff (the recorder plays the host, a measurement every 5 minutes) following the
/// `ketamine-session` scenario, dose at 10 minutes. Each round replays both through `Replay`
/// with Rules/ketamine.yaml into a `StoreOutput` on a fresh database, wired as
/// `vitals replay --db` wires it; the time includes the writer's final commit. Median of the rounds.
enum ReplayFigure {
    static let sessionSeconds = 7200

    static func measure(rulesPath: String, rounds: Int) throws -> Figure {
        let rules = try RuleSet.load(path: rulesPath)
        let dose = SessionObservations.dose
        let profiles: [any DeviceProfile.Type] = [NoninDF7.self, SunTechAdvantage.self]
        let sources = profiles.map { profile in
            var device = SimulatedDevice(profile: profile, scenario: .ketamineSession, dose: dose)
            let script = ScenarioRecorder.record(&device, duration: .seconds(sessionSeconds))
            return ReplaySource(profile: profile, script: script, device: profile.id, path: "<\(profile.id) recorded>")
        }
        let scriptBytes = sources.reduce(0) { total, s in
            total + s.script.steps.reduce(0) { n, step in
                if case .read(_, let bytes) = step.operation { n + bytes.count } else { n }
            }
        }
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("vitals-bench-replay-\(getpid())").path
        try? FileManager.default.removeItem(atPath: root)
        defer { try? FileManager.default.removeItem(atPath: root) }

        var multiples: [Double] = []
        var stored: Int64 = 0
        var alerts = 0
        for round in 0..<rounds {
            let epoch = VirtualClock.defaultEpoch
            let database = try VitalsDatabase(path: "\(root)/replay-\(round).sqlite")
            let writer = ReadingWriter(
                database: database, configuration: WriterConfiguration(room: "replay"), now: { epoch })
            for s in sources {
                writer.register(DeviceIdentity(profile: s.profile.id, name: s.device, port: s.path), at: epoch)
            }
            let counter = AlertCounter()
            let replay = Replay(sources: sources, rules: rules, doseAt: dose, epochMilliseconds: epoch)
            let seconds = try Stopwatch.seconds {
                try replay.run(outputs: [counter, StoreOutput(writer: writer)])
            }
            multiples.append(Double(sessionSeconds) / seconds)
            stored = writer.statistics.committedReadings
            alerts = counter.alerts
        }
        let multiple = Stopwatch.median(multiples)
        return Figure(
            id: "4.replay", section: 4,
            figure: "Replay, 2 h nonin-df7 + suntech-advantage, rules + storage",
            measured: Quantity(value: multiple, unit: "x real time"),
            baseline: Baseline(name: "real time (the session's length)", value: Double(sessionSeconds), unit: "s"),
            checks: [Check(goal: ">= 10,000 x real time", quantity: "x real time", value: multiple, atLeast: 10_000)],
            note: "\(scriptBytes) device bytes, \(stored) readings stored, \(alerts) alert events a pass; median of \(rounds) rounds")
    }
}

/// Counts the alert events a replay produces, to show the rules ran.
final class AlertCounter: PipelineOutput {
    var alerts = 0
    func alert(_ event: AlertEvent) { alerts += 1 }
}
