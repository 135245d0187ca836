import Foundation
import Testing
import VitalsCore
@testable import DeviceProtocols

/// Every fixture under Fixtures/<profile>/ decodes to its NAME.expected.jsonl, in any chunking.
///
/// Set VITALS_WRITE_EXPECTED=1 to (re)write missing expected files; review every line written
/// against the protocol reference before committing it.
@Suite struct FixtureTests {
    static let scripts = FixtureSupport.allScripts()

    @Test(arguments: FixtureTests.scripts.map { "\($0.profile)/\($0.url.lastPathComponent)" })
    func fixtureDecodesToExpected(_ name: String) throws {
        let url = FixtureSupport.root.appendingPathComponent(name)
        let profileName = String(name.split(separator: "/")[0])
        let profile = try #require(ProfileCatalog.profile(named: profileName), "no profile \(profileName)")
        let script = try FixtureSupport.loadScript(url)
        let lines = ScriptPlayback.transcript(of: script, profile: profile)
        let expectedURL = url.deletingPathExtension().appendingPathExtension("expected.jsonl")
        if !FileManager.default.fileExists(atPath: expectedURL.path),
           ProcessInfo.processInfo.environment["VITALS_WRITE_EXPECTED"] == "1" {
            try (lines.joined(separator: "\n") + "\n").write(to: expectedURL, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        #expect(lines.count == expected.count, "\(name): \(lines.count) lines, expected \(expected.count)")
        for (i, (got, want)) in zip(lines, expected).enumerated() where got != want {
            Issue.record("\(name) line \(i + 1):\n got  \(got)\n want \(want)")
            break
        }
        #expect(lines.contains { $0.hasPrefix("{\"type\":\"reading\"") } || name.contains("missing") || name.contains("error") || name.contains("silent"),
                "\(name) produced no reading at all")
    }

    @Test(arguments: FixtureTests.scripts.map { "\($0.profile)/\($0.url.lastPathComponent)" })
    func fixtureDecodesTheSameInAnyChunking(_ name: String) throws {
        let url = FixtureSupport.root.appendingPathComponent(name)
        let profile = try #require(ProfileCatalog.profile(named: String(name.split(separator: "/")[0])))
        let bytes = try FixtureSupport.loadScript(url).deviceBytes
        let whole = FixtureSupport.decode(bytes, profile: profile, chunks: [])
        #expect(FixtureSupport.decode(bytes, profile: profile, chunks: [1]) == whole)
        for seed in UInt64(1)...4 {
            #expect(FixtureSupport.decode(bytes, profile: profile, chunks: FixtureSupport.randomChunks(seed: seed)) == whole)
        }
    }
}
