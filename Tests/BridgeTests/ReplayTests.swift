import Bridge
import DeviceProtocols
import Foundation
import RulesEngine
import Testing
import VitalsCore

@Suite struct ReplayTests {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    func run(_ specs: [String], doseAt: Duration? = nil, limits: [String: Double] = [:]) throws -> RecordingOutput {
        let sources = try ReplaySource.load(specs: specs.map {
            let (p, f) = ($0.split(separator: "=")[0], $0.split(separator: "=")[1])
            return "\(p)=\(Self.root.appendingPathComponent(String(f)).path)"
        })
        let rules = try RuleSet.load(path: Self.root.appendingPathComponent("Rules/ketamine.yaml").path)
        let out = RecordingOutput()
        try Replay(sources: sources, rules: rules, limits: limits, doseAt: doseAt).run(outputs: [out])
        return out
    }

    @Test func fingerOutRaisesATechnicalAlarmAndNoPhysiologicalOne() throws {
        let out = try run(["nonin-df7=Fixtures/nonin-df7/df7-finger-out-held-and-missing.script"])
        let events = out.alerts.map { "\($0.rule) \($0.event.rawValue)" }
        #expect(events.first == "spo2-sensor-off raised", "\(events)")
        #expect(out.alerts.allSatisfy { $0.kind == .technical }, "\(events)")
        let cleared = try #require(out.alerts.first { $0.event == .cleared })
        // A technical alert carries no unrelated value (issue 19): the SpO2 is not what it is about.
        #expect(cleared.message == "Cleared: SpO2 sensor off")
        #expect(out.finished)
    }

    @Test func cleanStretchRaisesNothing() throws {
        let out = try run(["nonin-df7=Fixtures/nonin-df7/df7-clean-70s.script"])
        #expect(out.alerts.isEmpty, "\(out.alerts.map(\.message))")
        #expect(out.readings.count > 100)
    }

    @Test func sameInputGivesTheSameOutput() throws {
        let a = try run(["nonin-df7=Fixtures/nonin-df7/df7-finger-out-held-and-missing.script"]).alerts
        let b = try run(["nonin-df7=Fixtures/nonin-df7/df7-finger-out-held-and-missing.script"]).alerts
        #expect(a == b)
    }

    @Test func anUnknownLimitIsRefusedWithAHint() throws {
        #expect(throws: LimitRefusal.self) {
            _ = try run(["nonin-df7=Fixtures/nonin-df7/df7-clean-70s.script"], limits: ["spo2_lo": 88])
        }
    }
}
