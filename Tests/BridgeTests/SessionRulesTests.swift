import Foundation
import Testing
@testable import Bridge
import RulesEngine
import Store
import VitalsCore

/// A stored session finds the rule set it was started with again, or says why not.
@Suite struct SessionRulesTests {
    static let ketamine: String = {
        var url = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent("Rules/ketamine.yaml").path
    }()

    func session(path: String?, hash: String?, limits: [String: Double] = [:]) -> SessionRecord {
        SessionRecord(id: 1, plan: SessionPlan(room: "r", limits: limits, rulesPath: path, rulesSHA256: hash), startedAt: 0)
    }

    @Test func recordedChangedNotRecordedAndUnavailable() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("session-rules-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/rules.yaml"
        let text = try String(contentsOfFile: Self.ketamine, encoding: .utf8)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let hash = try #require(try RuleSet.load(path: path).source?.sha256)

        let same = SessionRules.resolve(for: session(path: path, hash: hash), fallbackPath: "/nonexistent")
        #expect(same.status == .recorded(path: path, sha256: hash))
        #expect(same.windows.postDoseCheckMilliseconds == 40 * 60_000)

        try text.replacingOccurrences(of: "window: [30m, 50m]", with: "window: [35m, 45m]").write(toFile: path, atomically: true, encoding: .utf8)
        let changed = SessionRules.resolve(for: session(path: path, hash: hash), fallbackPath: "/nonexistent")
        guard case .changed(path, hash, let now) = changed.status else { Issue.record("\(changed.status)"); return }
        #expect(now != hash)
        #expect(changed.windows.postDoseWindowMilliseconds == 35 * 60_000...45 * 60_000)
        #expect(changed.text.contains("CHANGED"))

        let old = SessionRules.resolve(for: session(path: nil, hash: nil), fallbackPath: Self.ketamine)
        #expect(old.status == .notRecorded(path: Self.ketamine))

        try FileManager.default.removeItem(atPath: path)
        let gone = SessionRules.resolve(for: session(path: path, hash: hash), fallbackPath: Self.ketamine)
        guard case .unavailable(path, _) = gone.status else { Issue.record("\(gone.status)"); return }
        #expect(gone.windows == .standard && gone.ruleSet == nil)
    }

    @Test func dischargeLimitsAreTheRuleDefaultsWithTheAcceptedOverrides() throws {
        let rules = SessionRules.resolve(for: session(path: nil, hash: nil), fallbackPath: Self.ketamine)
        let s = session(path: nil, hash: nil, limits: ["spo2_low": 88, "pulse_high": 1e300, "spo2_lo": 80])
        let limits = rules.dischargeLimits(for: s)
        #expect(limits["spo2_low"] == 88)
        #expect(limits["pulse_high"] == 120)   // the refused override runs on the default
        #expect(limits["spo2_lo"] == nil && limits["stale_spo2"] == nil)   // unknown names and durations are not bounds
        #expect(rules.refusedOverrides(for: s).map(\.name) == ["pulse_high", "spo2_lo"])
    }
}
