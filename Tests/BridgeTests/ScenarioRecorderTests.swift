import Bridge
import DeviceProtocols
import Testing
import VitalsCore

@Suite struct ScenarioRecorderTests {
    func readings(_ script: UmockdevScript, _ profile: any DeviceProfile.Type) throws -> [Reading] {
        let reparsed = try UmockdevScript.parse(script.serialized())
        var decoder = profile.makeDecoder()
        return ScriptPlayback.events(of: reparsed, decoder: &decoder).compactMap {
            if case .reading(let r) = $0.event { return r }
            return nil
        }
    }

    @Test func oximeterRecordingReplaysToTheScenariosValues() throws {
        var device = SimulatedDevice(profile: NoninDF7.self, scenario: .desaturation, dose: nil)
        let script = ScenarioRecorder.record(&device, duration: .seconds(720))
        let spo2 = try readings(script, NoninDF7.self).filter { $0.metric == .spo2 }
        #expect(spo2.count >= 720 * 3 - 6)
        #expect(spo2.prefix(100).allSatisfy { $0.value >= 95 })
        #expect(spo2.contains { $0.value <= 86 })
    }

    @Test func commandDrivenCuffIsAskedOnScheduleAndAnswers() throws {
        var device = SimulatedDevice(profile: SunTechAdvantage.self, scenario: .stable, dose: nil)
        let script = ScenarioRecorder.record(&device, duration: .seconds(720), nibpInterval: .seconds(300))
        let writes = script.steps.compactMap { step -> [UInt8]? in
            if case .write(_, let b) = step.operation { return b }
            return nil
        }
        #expect(writes.filter { $0 == SunTechAdvantage.bytes(for: .startMeasurement) }.count == 3)
        #expect(writes.filter { $0 == SunTechAdvantage.bytes(for: .requestResult) }.count == 3)
        let sys = try readings(script, SunTechAdvantage.self).filter { $0.metric == .nibpSystolic }
        #expect(sys.map(\.value) == [122, 122, 122])
    }
}
