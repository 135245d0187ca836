import Testing
import VitalsCore
@testable import DeviceProtocols

/// The SunTech decoder in any chunking, under corruption, and on random bytes.
@Suite struct SunTechDecoderRobustnessTests {
    /// `count` distinct result frames (seeded), each preceded by a K and a cuff pressure.
    static func stream(seed: UInt64, count: Int) -> (bytes: [UInt8], frames: [[UInt8]], results: [BloodPressureResult]) {
        var rng = SplitMix64(seed: seed)
        var frames: [[UInt8]] = []
        var results: [BloodPressureResult] = []
        for i in 0..<count {
            let dia = 50 + i
            let bp = BloodPressureResult(systolic: dia + 40 + Int(rng.next() % 40), diastolic: dia, mean: dia + 15, pulse: 60 + i)
            results.append(bp)
            frames.append(SunTechEncoder.statusFrame(.complete))
            frames.append(SunTechFrame.moduleFrame([UInt8(rng.next() % 200), 0]))
            frames.append(SunTechEncoder.resultFrame(bp))
        }
        return (frames.flatMap { $0 }, frames, results)
    }

    static func diastolics(_ events: [DecoderEvent]) -> [Int] {
        events.compactMap { if case .reading(let r) = $0, r.metric == .nibpDiastolic { Int(r.value) } else { nil } }
    }

    @Test(arguments: [UInt64(11), 12, 13]) func anyChunkingGivesTheSameEvents(_ seed: UInt64) {
        var bytes = Self.stream(seed: seed, count: 20).bytes
        bytes.insert(contentsOf: [0x3E, 0x18, 0x00, 0x3E, 0x99, 0xFF], at: 40) // noise and false starts
        let whole = FixtureSupport.decode(bytes, profile: SunTechAdvantage.self, chunks: [])
        #expect(FixtureSupport.decode(bytes, profile: SunTechAdvantage.self, chunks: [1]) == whole)
        #expect(FixtureSupport.decode(bytes, profile: SunTechAdvantage.self, chunks: FixtureSupport.randomChunks(seed: seed)) == whole)
        #expect(FixtureSupport.decode(bytes, profile: SunTechAdvantage.self, chunks: [23, 1, 67]) == whole)
    }

    /// A flipped bit or a dropped byte in one result frame: no reading from it, every other
    /// result decodes, one sync loss and one recovery.
    @Test(arguments: [UInt64(21), 22, 23, 24, 25, 26, 27, 28])
    func oneCorruptFrameLosesOnlyThatFrame(_ seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let s = Self.stream(seed: seed, count: 10)
        let victim = 3 + Int(rng.next() % 5) // a result frame in the middle
        var frames = s.frames
        var bad = frames[victim * 3 + 2]
        let at = 1 + Int(rng.next() % UInt64(bad.count - 1))
        if seed % 2 == 0 {
            bad[at] ^= UInt8(1) << UInt8(rng.next() % 8)
        } else {
            bad.remove(at: at)
        }
        frames[victim * 3 + 2] = bad
        var d = SunTechDecoder()
        let events = d.decode(frames.flatMap { $0 })
        var expected = s.results.map(\.diastolic)
        expected.remove(at: victim)
        #expect(Self.diastolics(events) == expected)
        let kinds = events.compactMap { if case .status(let st) = $0 { st.kind } else { nil } }
        #expect(kinds.filter { $0 == .syncLost }.count == 1)
        #expect(kinds.filter { $0 == .syncAcquired }.count == 1)
        // Resync at the very next frame: the K after the bad result is decoded.
        let afterLoss = events.drop { if case .status(let st) = $0 { st.kind != .syncLost } else { true } }.dropFirst()
        let acquired = afterLoss.first.flatMap { if case .status(let st) = $0 { st } else { nil } }
        #expect(acquired?.kind == .syncAcquired)
        #expect(acquired?.byteOffset == frames[0...(victim * 3 + 2)].reduce(0) { $0 + $1.count })
        #expect(d.statistics.badFrames >= 1 && d.statistics.resyncs == 1)
    }

    @Test func garbageBeforeTheFirstFrameIsOneSyncLoss() {
        var d = SunTechDecoder()
        let garbage: [UInt8] = [0x00, 0xFF, 0x3E, 0x77, 0x3E, 0x04, 0x99, 0x12, 0x3E]
        let events = d.decode(garbage + SunTechAdvantageTests.example)
        #expect(events.first == .status(DeviceStatus(.syncLost, detail: "byte outside a frame", byteOffset: 0)))
        #expect(events.dropFirst().first == .status(DeviceStatus(
            .syncAcquired, code: 9, detail: "after 9 skipped bytes and 3 bad frames", byteOffset: garbage.count)))
        #expect(events.count == 6)
        #expect(d.statistics.skippedBytes == garbage.count)
    }

    @Test func aFalseStartDoesNotHoldBackAFrameBehindIt() {
        var d = SunTechDecoder()
        // `3E 43` asks for 67 bytes; the K behind it must come out as soon as it is complete.
        let events = d.decode([0x3E, 0x43, 0x01] + SunTechEncoder.statusFrame(.complete))
        #expect(events.last == .status(DeviceStatus(.progress, code: 0x4B, detail: "K: executed/complete")))
    }

    /// Random bytes never crash or hang, and anything they yield is plausible.
    @Test(arguments: [UInt64(31), 32, 33, 34]) func randomBytesAreSurvived(_ seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        // Biased towards frame starts and valid length bytes, so checksums get tested often.
        let alphabet: [UInt8] = [0x3E, 0x04, 0x05, 0x06, 0x18, 0x43, 0x4B, 0x4F]
        let bytes: [UInt8] = (0..<20_000).map { _ in
            rng.next() % 3 == 0 ? alphabet[Int(rng.next() % UInt64(alphabet.count))] : UInt8(truncatingIfNeeded: rng.next())
        }
        var d = SunTechDecoder()
        let events = FixtureSupport.decode(bytes, profile: SunTechAdvantage.self, chunks: FixtureSupport.randomChunks(seed: seed))
        let unchunked = d.decode(bytes)
        #expect(unchunked == events)
        #expect(d.statistics.bytes == bytes.count)
        #expect(d.statistics.skippedBytes <= bytes.count)
        for case .reading(let r) in events {
            #expect(SunTechDecoder.plausible[r.metric]?.contains(Int(r.value)) == true)
        }
    }
}
