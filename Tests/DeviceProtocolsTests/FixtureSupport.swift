import Foundation
import VitalsCore
@testable import DeviceProtocols

/// Where the repository's Fixtures/ folder is, found from this file's path.
enum FixtureSupport {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("Fixtures")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("../Package.swift").standardized.path) {
                return candidate
            }
        }
        fatalError("Fixtures/ not found above \(#filePath)")
    }()

    /// Every `NAME.script` under Fixtures/<profile>/, as (profile, script URL).
    static func allScripts() -> [(profile: String, url: URL)] {
        let fm = FileManager.default
        guard let dirs = try? fm.contentsOfDirectory(atPath: root.path) else { return [] }
        var out: [(String, URL)] = []
        for dir in dirs.sorted() {
            let d = root.appendingPathComponent(dir)
            guard let files = try? fm.contentsOfDirectory(atPath: d.path) else { continue }
            for f in files.sorted() where f.hasSuffix(".script") {
                out.append((dir, d.appendingPathComponent(f)))
            }
        }
        return out
    }

    static func loadScript(_ url: URL) throws -> UmockdevScript {
        let data = try Data(contentsOf: url)
        return try UmockdevScript.parse(Array(data), path: url.path)
    }

    /// Decodes `bytes` with a fresh decoder of `profile`, fed in the given chunk sizes
    /// (cycled); returns every event.
    static func decode(_ bytes: [UInt8], profile: any DeviceProfile.Type, chunks: [Int]) -> [DecoderEvent] {
        var decoder = profile.makeDecoder()
        var events: [DecoderEvent] = []
        var i = 0
        var k = 0
        while i < bytes.count {
            let n = max(1, chunks.isEmpty ? bytes.count : chunks[k % chunks.count])
            let end = min(bytes.count, i + n)
            decoder.decode(bytes[i..<end], into: &events)
            i = end
            k += 1
        }
        return events
    }

    /// Chunk sizes from a seeded generator, so a failure reproduces.
    static func randomChunks(seed: UInt64, count: Int = 64, maxSize: Int = 17) -> [Int] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in Int(rng.next() % UInt64(maxSize)) + 1 }
    }
}

/// A small seeded PRNG for reproducible property tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
