import Bridge
import DeviceProtocols
import Foundation
import RulesEngine
import Testing
import VitalsCore

/// Issue 11, across every scenario fixture (Fixtures/scenarios) and every simulated scenario of
/// `ScenarioAlertTests`: no physiological alert is raised, re-raised or escalated at an instant
/// when its own `clear` holds. The shipped rules run through `RoomPipeline` on a virtual clock
/// with an evaluator that asks the engine, after each call, whether each such event's clear holds.
@Suite struct NoAlarmAtAClearValueScenarioTests {
    /// Forwards to a `RuleEngine` and records every raise or escalation made while the rule's
    /// clear holds.
    final class AuditingEvaluator: AlertEvaluator {
        let engine: RuleEngine
        var violations: [String] = []
        var audited = 0

        init(_ engine: RuleEngine) { self.engine = engine }

        func audit(_ events: [AlertEvent]) -> [AlertEvent] {
            for e in events where e.kind == .physiological && (e.event == .raised || e.event == .escalated) {
                audited += 1
                if engine.clearHolds(rule: e.rule) != false {
                    violations.append("\(e.rule) \(e.event.rawValue) at \(e.time) value \(e.value.map { "\($0)" } ?? "-")")
                }
            }
            return events
        }

        func observe(_ observation: Observation) -> [AlertEvent] { audit(engine.observe(observation)) }
        func deviceStatus(_ status: DeviceStatus, device: String, at time: RunTime) -> [AlertEvent] {
            audit(engine.deviceStatus(status, device: device, at: time))
        }
        func connection(_ state: ConnectionState, device: String, at time: RunTime) -> [AlertEvent] {
            audit(engine.connection(state, device: device, at: time))
        }
        func tick(at time: RunTime) -> [AlertEvent] { audit(engine.tick(at: time)) }
        func doseGiven(at time: RunTime) -> [AlertEvent] { audit(engine.doseGiven(at: time)) }
        func acknowledge(occurrence: Int, by: String, at time: RunTime) -> [AlertEvent] {
            audit(engine.acknowledge(occurrence: occurrence, by: by, at: time))
        }
        func attach(device: String, provides metrics: [Metric]) { engine.attach(device: device, provides: metrics) }
        var nextDeadline: RunTime? { engine.nextDeadline }
    }

    /// Runs `sources` as `Replay` does, through an auditing evaluator.
    static func audit(_ sources: [ReplaySource], limits: [String: Double] = [:], doseAt: Duration?) throws -> AuditingEvaluator {
        let evaluator = AuditingEvaluator(try RuleEngine(rules: ScenarioAlertTests.rules, limits: limits))
        let clock = VirtualClock(epochMilliseconds: VirtualClock.defaultEpoch)
        let pipeline = RoomPipeline(clock: clock, evaluator: evaluator, outputs: [])
        for s in sources { pipeline.attach(device: s.device, provides: s.profile.metrics) }
        var dose = doseAt.map { RunTime(milliseconds: $0.milliseconds) }
        var end = RunTime.zero
        for input in Self.inputs(of: sources) {
            if let d = dose, input.time >= d {
                clock.advance(to: d)
                pipeline.doseGiven(at: d)
                dose = nil
            }
            clock.advance(to: input.time)
            pipeline.handle(input)
            end = max(end, input.time)
        }
        end = sources.reduce(end) { max($0, $1.script.duration) }
        clock.advance(to: end)
        pipeline.advance(to: end)
        pipeline.finish()
        return evaluator
    }

    /// Every decoded event of every recording, streaming from its first frame, in time order: the
    /// engine's inputs (the audit concerns the engine, not the ports).
    static func inputs(of sources: [ReplaySource]) -> [TimedInput] {
        var all: [TimedInput] = []
        for source in sources {
            var decoder = source.profile.makeDecoder()
            var streaming = false
            for timed in ScriptPlayback.events(of: source.script, decoder: &decoder) {
                if !streaming {
                    all.append(TimedInput(time: timed.time, device: source.device, input: .connection(.streaming)))
                    streaming = true
                }
                all.append(TimedInput(time: timed.time, device: source.device, input: .decoded(timed.event)))
            }
        }
        return all.enumerated().sorted { a, b in
            a.element.time != b.element.time ? a.element.time < b.element.time : a.offset < b.offset
        }.map(\.element)
    }

    @Test(arguments: ScenarioFixtureTests.manifests)
    func scenarioFixture(_ file: String) throws {
        let dir = ScenarioFixtureTests.root.appendingPathComponent("Fixtures/scenarios")
        let manifest = ScenarioFixtureTests.Manifest(text: try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8))
        let sources = try ReplaySource.load(specs: manifest.devices.map { spec in
            let eq = spec.firstIndex(of: "=")!
            return String(spec[..<eq]) + "=" + ScenarioFixtureTests.root.appendingPathComponent(String(spec[spec.index(after: eq)...])).path
        })
        let a = try Self.audit(sources, limits: manifest.limits, doseAt: manifest.doseAt)
        #expect(a.violations.isEmpty, "\(file): \(a.violations)")
    }

    static let simulated: [(Scenario, any DeviceProfile.Type, Int, Duration?)] = [
        (.stable, NoninDF8.self, 30, nil), (.desaturation, NoninDF8.self, 16, nil), (.bradycardia, MasimoASCII.self, 16, nil),
        (.sensorOff, NoninDF7.self, 8, nil), (.deadSensor, NoninDF7.self, 8, nil), (.motionArtifact, NoninDF7.self, 8, nil),
        (.disconnect, NoninDF8.self, 8, nil), (.ketamineBPRise, SunTechAdvantage.self, 130, .seconds(600)),
        (.bpSurge, AndUA767.self, 40, .seconds(240)),
    ]

    @Test(arguments: 0..<simulated.count)
    func simulatedScenario(_ i: Int) throws {
        let (scenario, profile, minutes, dose) = Self.simulated[i]
        var device = SimulatedDevice(profile: profile, scenario: scenario, dose: dose)
        let script = ScenarioRecorder.record(&device, duration: .seconds(minutes * 60), nibpInterval: .seconds(300))
        let source = ReplaySource(profile: profile, script: script, device: profile.id, path: scenario.rawValue)
        let a = try Self.audit([source], doseAt: dose)
        #expect(a.violations.isEmpty, "\(scenario): \(a.violations)")
    }

    /// The audit sees raises: the desaturation and surge scenarios raise physiological alerts.
    @Test func theAuditSeesPhysiologicalAlerts() throws {
        var device = SimulatedDevice(profile: NoninDF8.self, scenario: .desaturation, dose: nil)
        let script = ScenarioRecorder.record(&device, duration: .seconds(16 * 60), nibpInterval: .seconds(300))
        let a = try Self.audit([ReplaySource(profile: NoninDF8.self, script: script, device: "nonin-df8", path: "d")], doseAt: nil)
        #expect(a.audited > 0)
    }
}
