import Foundation
import Testing
@testable import RulesEngine
import VitalsCore

/// Reloading rules keeps alert state by rule id; the same input gives the same output.
@Suite struct ReloadAndDeterminismTests {
    func t(_ s: Double) -> RunTime { RunTime(seconds: s) }

    @Test func reloadKeepsStateOfRulesThatPersistAndClearsRemovedOnes() throws {
        let two = """
        limits:
          low: {default: 90, unit: "%"}
        rules:
          - {id: keep, title: "k {value}", priority: medium, kind: physiological, when: "spo2 < low", realarm: never}
          - {id: gone, title: "g", priority: low, kind: physiological, when: "spo2 < 95"}
        """
        let one = """
        limits:
          low: {default: 90, unit: "%"}
        rules:
          - {id: new, title: "n", priority: low, kind: physiological, when: "spo2 < 50"}
          - {id: keep, title: "k {value}", priority: high, kind: physiological, when: "spo2 < low", realarm: never}
        """
        let e = try TestSupport.engine(two)
        let raised = e.observe(TestSupport.reading(.spo2, 85, at: 0))
        #expect(raised.map(\.rule) == ["keep", "gone"])
        _ = e.acknowledge(rule: "keep", by: "n", at: t(1))
        let events = try e.reload(rules: TestSupport.rules(one))
        #expect(events.map { "\($0.rule) \($0.event)" } == ["gone cleared"])
        #expect(e.phase(of: "keep") == .firing)
        #expect(e.phase(of: "new") == .inactive)
        // Still acknowledged: no new raise; clearing shows the new rule's priority.
        let cleared = e.observe(TestSupport.reading(.spo2, 97, at: 5))
        #expect(cleared.map { "\($0.rule) \($0.event) \($0.priority)" } == ["keep cleared high"])
        #expect(cleared[0].occurrence == raised[0].occurrence)
    }

    @Test func reloadWithAnOverrideTheNewSetLacksFailsAndKeepsTheOldRules() throws {
        let e = try TestSupport.engine(TestSupport.rule("spo2 < low"), limits: ["low": 88])
        let other = try TestSupport.rules("rules:\n  - {id: x, title: t, priority: low, kind: technical, when: sensor_off(spo2)}\n")
        #expect(throws: LimitRefusal.self) { try e.reload(rules: other) }
        #expect(e.rules.rules.map(\.id) == ["r"])
    }

    /// A long pseudo-random session through the shipped rules, twice: identical events.
    @Test func sameInputGivesSameOutput() throws {
        let rules = try RuleSet.load(path: TestSupport.rulesDirectory + "/ketamine.yaml")
        func run(evaluateEveryRule: Bool = false) throws -> [AlertEvent] {
            let e = try RuleEngine(rules: rules, limits: ["spo2_low": 91])
            var seed: UInt64 = 42
            func next() -> Double {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return Double(seed >> 33) / Double(1 << 31)
            }
            var events: [AlertEvent] = []
            // Random walks, so conditions hold for a while (as real vital signs do).
            var spo2 = 96.0, pulse = 80.0
            for s in 0..<5400 {
                spo2 = min(100, max(78, spo2 + (next() - 0.5) * 1.6))
                pulse = min(150, max(30, pulse + (next() - 0.5) * 4))
                let time = RunTime(seconds: Double(s))
                if evaluateEveryRule { e.inputsChangedSinceTick = true }
                events += e.tick(at: time)
                if s == 600 { events += e.doseGiven(at: time) }
                let flags: QualityFlags = next() < 0.05 ? .artifact : (next() < 0.02 ? .sensorOff : [])
                events += e.observe(Observation(reading: Reading(metric: .spo2, value: spo2.rounded(), flags: flags),
                                                device: "ox", time: time, hostTime: 0))
                events += e.observe(Observation(reading: Reading(metric: .pulse, value: pulse.rounded()),
                                                device: "ox", time: time, hostTime: 0))
                if s % 300 == 0 {
                    events += e.observe(Observation(reading: Reading(metric: .nibpSystolic, value: 85 + next() * 130),
                                                    device: "cuff", time: time, hostTime: 0))
                    events += e.observe(Observation(reading: Reading(metric: .nibpDiastolic, value: 50 + next() * 80),
                                                    device: "cuff", time: time, hostTime: 0))
                }
                if s % 700 == 0 { events += e.acknowledge(rule: "spo2-low", by: "n", at: time) }
                if s == 2000 { events += e.connection(.disconnected, device: "ox", at: time) }
                if s == 2030 { events += e.connection(.streaming, device: "ox", at: time) }
            }
            return events
        }
        let a = try run()
        let b = try run()
        #expect(a.count > 20, "\(a.count) events")
        #expect(Set(a.map(\.rule)).count >= 5, "\(Set(a.map(\.rule)).sorted())")
        #expect(a == b)
        // Ticks evaluate only time-dependent or due rules; evaluating every rule at every tick
        // must give exactly the same events.
        #expect(try run(evaluateEveryRule: true) == a)
    }

    @Test func hostTimeLabelsComeFromTheInjectedFunction() throws {
        let e = try RuleEngine(rules: TestSupport.rules(TestSupport.rule("spo2 < low")), limits: [:],
                               hostTime: { 1_700_000_000_000 + $0.milliseconds })
        let ev = e.observe(TestSupport.reading(.spo2, 85, at: 2))
        #expect(ev[0].hostTime == 1_700_000_002_000)
    }
}
