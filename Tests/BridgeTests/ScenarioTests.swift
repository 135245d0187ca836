@testable import Bridge
import Testing
import VitalsCore

@Suite struct ScenarioTests {
    @Test func ketamineRiseMatchesTheReference() {
        // docs/CLINICAL-SOURCES.md B: SBP up 20-30 mmHg peaking ~35-40 min after the dose,
        // back by ~2 h; HR up 10-20.
        let dose = Duration.seconds(600)
        let s = Scenario.ketamineBPRise
        let before = s.state(at: .seconds(300), dose: dose)
        let minutes = Array(stride(from: 10, through: 200, by: 1))
        let states = minutes.map { s.state(at: .seconds($0 * 60), dose: dose) }
        let peak = states.max { $0.systolic < $1.systolic }!
        // The response curve itself peaks in the window (the integer BP has a plateau around it).
        let curve = stride(from: 0.0, through: 180.0, by: 0.5).map { ($0, Scenario.ketamineResponse(sinceDose: $0 * 60)) }
        let peakMinute = curve.max { $0.1 < $1.1 }!.0
        #expect((20...30).contains(peak.systolic - before.systolic))
        #expect((35...40).contains(peakMinute), "peak at \(peakMinute) min")
        let back = s.state(at: dose + .seconds(120 * 60), dose: dose)
        #expect(abs(back.systolic - before.systolic) <= 3)
        #expect((10...20).contains(peak.pulse! - before.pulse!))
    }

    @Test func desaturationDropsBelowEightyEightAndRecovers() {
        let s = Scenario.desaturation
        #expect(s.state(at: .seconds(300), dose: nil).spo2! >= 95)
        #expect(s.state(at: .seconds(700), dose: nil).spo2! <= 86)
        #expect(s.state(at: .seconds(900), dose: nil).spo2! >= 95)
    }

    @Test func sensorOffHasNoValuesAndDeadSensorHasFlags() {
        let off = Scenario.sensorOff.state(at: .seconds(320), dose: nil)
        #expect(off.spo2 == nil && off.oximeterFlags.contains(.sensorOff))
        let dead = Scenario.deadSensor.state(at: .seconds(10), dose: nil)
        #expect(dead.spo2 != nil && !dead.oximeterFlags.isPhysiologicallyValid)
        #expect(!Scenario.disconnect.state(at: .seconds(200), dose: nil).connected)
    }

    @Test func unknownScenarioListsTheKnownOnes() {
        #expect(throws: UnknownScenarioError.self) { try Scenario.named("nope") }
        #expect(UnknownScenarioError(name: "x").description.contains("ketamine-bp-rise"))
    }
}
