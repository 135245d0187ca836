import Bridge
import DeviceProtocols
import Foundation
import RulesEngine
import Testing
import VitalsCore

/// Each simulator scenario, recorded through its profile's encoder and replayed through the
/// shipped rules, gives the alerts its design implies and no others. (The `disconnect`
/// scenario's unplug is a connection event, which only a live port has: the end-to-end tests
/// run it through `vitals run`; replayed, its silence is a data gap.)
@Suite struct ScenarioAlertTests {
    static let rules: RuleSet = {
        var url = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return try! RuleSet.load(path: url.appendingPathComponent("Rules/ketamine.yaml").path)
    }()

    func alerts(_ scenario: Scenario, profile: any DeviceProfile.Type, minutes: Int, dose: Duration? = nil) throws -> [AlertEvent] {
        var device = SimulatedDevice(profile: profile, scenario: scenario, dose: dose)
        let script = ScenarioRecorder.record(&device, duration: .seconds(minutes * 60), nibpInterval: .seconds(600))
        let source = ReplaySource(profile: profile, script: script, device: profile.id, path: "\(scenario.rawValue)")
        let out = CollectingOutput()
        try Replay(sources: [source], rules: Self.rules, doseAt: dose).run(outputs: [out])
        return out.alerts
    }

    func raised(_ events: [AlertEvent]) -> Set<String> { Set(events.filter { $0.event == .raised }.map(\.rule)) }

    @Test func stableRaisesNothing() throws {
        #expect(try alerts(.stable, profile: NoninDF8.self, minutes: 30).isEmpty)
    }

    @Test func desaturationRaisesTheLowAndSevereSpO2Alarms() throws {
        let events = try alerts(.desaturation, profile: NoninDF8.self, minutes: 16)
        #expect(raised(events) == ["spo2-low", "spo2-severe"], "\(events.map(\.message))")
        let low = try #require(events.first { $0.rule == "spo2-low" && $0.event == .raised })
        #expect(low.kind == .physiological && low.priority == .medium && (low.value ?? 100) < 90)
        // Not before the desaturation begins (10 minutes in).
        #expect(low.time.seconds > 600)
    }

    @Test func bradycardiaRaisesPulseLow() throws {
        let events = try alerts(.bradycardia, profile: MasimoASCII.self, minutes: 16)
        #expect(raised(events) == ["pulse-low"], "\(events.map(\.message))")
    }

    @Test(arguments: [Scenario.sensorOff, .deadSensor])
    func sensorProblemsAreTechnicalOnly(_ scenario: Scenario) throws {
        let events = try alerts(scenario, profile: NoninDF7.self, minutes: 8)
        #expect(raised(events).contains("spo2-sensor-off"), "\(events.map(\.message))")
        #expect(events.allSatisfy { $0.kind == .technical }, "\(events.map(\.message))")
    }

    @Test func motionArtifactIsATechnicalAlertNeverADesaturation() throws {
        let events = try alerts(.motionArtifact, profile: NoninDF7.self, minutes: 8)
        #expect(raised(events).contains("spo2-artifact"), "\(events.map(\.message))")
        #expect(events.allSatisfy { $0.kind == .technical }, "\(events.map(\.message))")
    }

    @Test func aDataGapIsStaleSpO2OnTime() throws {
        let events = try alerts(.disconnect, profile: NoninDF8.self, minutes: 8)
        let stale = try #require(events.first { $0.rule == "spo2-stale" && $0.event == .raised }, "\(events.map(\.message))")
        // The device goes silent 3 minutes in; stale after 25 s without a valid reading, held 5 s.
        #expect(stale.time.seconds >= 180 + 25 && stale.time.seconds <= 180 + 31, "\(stale.time)")
        #expect(events.allSatisfy { $0.kind == .technical })
    }

    @Test func ketamineBloodPressureRiseStaysBelowTheCrisisLevel() throws {
        // SBP up 20-30 mmHg after the dose (reference B) is the expected response, not an alarm.
        let events = try alerts(.ketamineBPRise, profile: SunTechAdvantage.self, minutes: 130, dose: .seconds(600))
        #expect(events.filter { $0.kind == .physiological }.isEmpty, "\(events.map(\.message))")
    }
}

/// Collects alert events.
final class CollectingOutput: PipelineOutput {
    var alerts: [AlertEvent] = []
    func alert(_ e: AlertEvent) { alerts.append(e) }
}
