import Bridge
import DeviceProtocols
import Foundation
import RulesEngine
import Testing
import VitalsCore

/// The scenario fixtures for the shipped rules (issue 4): device scripts recorded from simulated
/// devices (`Fixtures/<profile>/scenario-*.script`), and manifests (`Fixtures/scenarios/NAME.yaml`)
/// that replay them through `Rules/ketamine.yaml`, each with the alert events `vitals replay
/// --rules Rules/ketamine.yaml --format jsonl` must print (`NAME.alerts.jsonl`, checked by hand
/// against the rules; see the comments in each manifest).
///
/// Set VITALS_WRITE_EXPECTED=1 to write a missing script or alerts file; review it before
/// committing. The scripts' readings transcripts are checked by FixtureTests like every fixture.
@Suite struct ScenarioFixtureTests {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    static var writing: Bool { ProcessInfo.processInfo.environment["VITALS_WRITE_EXPECTED"] == "1" }

    /// How each scenario script is recorded.
    struct Recipe: Sendable, CustomStringConvertible {
        var path: String
        var profile: any DeviceProfile.Type
        var scenario: Scenario
        var seconds: Int64
        var description: String { path }
    }

    static let recipes = [
        Recipe(path: "Fixtures/nonin-df8/scenario-desaturation-15m.script", profile: NoninDF8.self, scenario: .desaturation, seconds: 900),
        Recipe(path: "Fixtures/nonin-df8/scenario-sensor-off-7m.script", profile: NoninDF8.self, scenario: .sensorOff, seconds: 420),
        Recipe(path: "Fixtures/nonin-df8/scenario-data-gap-7m.script", profile: NoninDF8.self, scenario: .disconnect, seconds: 420),
        Recipe(path: "Fixtures/masimo-ascii/scenario-motion-artifact-8m.script", profile: MasimoASCII.self, scenario: .motionArtifact, seconds: 480),
        Recipe(path: "Fixtures/and-ua767/scenario-bp-surge-40m.script", profile: AndUA767.self, scenario: .bpSurge, seconds: 2400),
    ]

    static func record(_ r: Recipe) -> [UInt8] {
        var device = SimulatedDevice(profile: r.profile, scenario: r.scenario, dose: nil)
        let script = ScenarioRecorder.record(
            &device, duration: .seconds(r.seconds), nibpInterval: .seconds(300),
            comments: ["Recorded by ScenarioRecorder: \(r.profile.id), scenario \(r.scenario.rawValue), \(r.seconds) s (Tests/BridgeTests/ScenarioFixtureTests.swift)."])
        return script.serialized()
    }

    @Test(arguments: ScenarioFixtureTests.recipes)
    func scriptIsTheRecordersOutput(_ recipe: Recipe) throws {
        let url = Self.root.appendingPathComponent(recipe.path)
        let bytes = Self.record(recipe)
        if !FileManager.default.fileExists(atPath: url.path), Self.writing {
            try Data(bytes).write(to: url)
        }
        let stored = try #require(FileManager.default.contents(atPath: url.path), "missing \(recipe.path)")
        #expect(Array(stored) == bytes, "\(recipe.path) differs from what the recorder gives now")
    }

    /// A manifest: the devices (PROFILE=FILE, paths from the repository root), dose and limits.
    struct Manifest {
        var devices: [String] = []
        var doseAt: Duration?
        var limits: [String: Double] = [:]

        /// Reads the small YAML subset the manifests use (`devices:` list, `dose_at:`, `limits:` map).
        init(text: String) {
            var section = ""
            for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
                let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { continue }
                if !line.hasPrefix(" ") {
                    let parts = trimmed.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    section = parts[0]
                    if section == "dose_at" { doseAt = DurationText.parse(parts[1]) }
                    continue
                }
                switch section {
                case "devices" where trimmed.hasPrefix("- "):
                    devices.append(String(trimmed.dropFirst(2)).trimmingCharacters(in: .whitespaces))
                case "limits":
                    let parts = trimmed.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard parts.count == 2, let value = Double(parts[1]) else {
                        Issue.record("bad limit line: \(raw)")
                        continue
                    }
                    limits[parts[0]] = value
                default:
                    Issue.record("unexpected manifest line: \(raw)")
                }
            }
        }
    }

    static let manifests: [String] = {
        let dir = root.appendingPathComponent("Fixtures/scenarios")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    @Test func everyRecipeHasAManifest() {
        #expect(Self.manifests.count >= 5)
    }

    @Test(arguments: ScenarioFixtureTests.manifests)
    func manifestReplaysToItsAlerts(_ file: String) throws {
        let dir = Self.root.appendingPathComponent("Fixtures/scenarios")
        let manifest = Manifest(text: try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8))
        #expect(!manifest.devices.isEmpty, "\(file) names no device")
        let sources = try ReplaySource.load(specs: manifest.devices.map { spec in
            let eq = spec.firstIndex(of: "=")!
            return String(spec[..<eq]) + "=" + Self.root.appendingPathComponent(String(spec[spec.index(after: eq)...])).path
        })
        let rules = try RuleSet.load(path: Self.root.appendingPathComponent("Rules/ketamine.yaml").path)
        var lines: [String] = []
        let printer = EventPrinter(format: .jsonl, options: .init(), write: { text in
            lines += text.split(separator: "\n").map(String.init)
        })
        try Replay(sources: sources, rules: rules, limits: manifest.limits, doseAt: manifest.doseAt).run(outputs: [printer])
        let expectedURL = dir.appendingPathComponent(String(file.dropLast(".yaml".count)) + ".alerts.jsonl")
        if !FileManager.default.fileExists(atPath: expectedURL.path), Self.writing {
            try (lines.map { $0 + "\n" }.joined()).write(to: expectedURL, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines == expected, "\(file):\n got\n\(lines.joined(separator: "\n"))\n want\n\(expected.joined(separator: "\n"))")
    }
}
