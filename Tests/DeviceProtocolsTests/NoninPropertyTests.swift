import Testing
import VitalsCore
@testable import DeviceProtocols

/// Properties every Nonin profile must have: encode -> decode gives the values and flags back,
/// any chunking gives the same events, damage never yields a reading that differs from what was
/// encoded and sync returns within two frames (packets for DF2/DF7), random bytes never crash
/// or hang a decoder. All randomness comes from seeded SplitMix64 generators.
@Suite struct NoninPropertyTests {
    /// What one encoder period should decode to, per metric: a reading or a missing-value status.
    enum Outcome: Hashable, CustomStringConvertible {
        case reading(Metric, Double, QualityFlags)
        case missing(Metric)
        var description: String {
            switch self {
            case .reading(let m, let v, let f): "\(m.name)=\(v)\(f.names)"
            case .missing(let m): "\(m.name) missing"
            }
        }
    }

    static let profiles: [any DeviceProfile.Type] = [NoninDF2.self, NoninDF7.self, NoninDF8.self, NoninASCII.self]
    static let profileNames = profiles.map { $0.id }

    static func profile(_ name: String) -> any DeviceProfile.Type {
        profiles.first { $0.id == name }!
    }

    /// Readings and missing-value statuses, in order.
    static func outcomes(_ events: [DecoderEvent]) -> [Outcome] {
        events.compactMap { e in
            switch e {
            case .reading(let r): .reading(r.metric, r.value, r.flags)
            case .status(let s) where s.kind == .valueMissing: s.metric.map { .missing($0) }
            default: nil
            }
        }
    }

    /// Every reading in `events`, with its device time.
    static func readings(_ events: [DecoderEvent]) -> [Reading] {
        events.compactMap { if case .reading(let r) = $0 { r } else { nil } }
    }

    /// The flags a decoder of `profile` reports for a snapshot's flags, and what it publishes.
    static func expected(_ profile: any DeviceProfile.Type, _ s: VitalSnapshot) -> [Outcome] {
        let off = !s.flags.isDisjoint(with: [.sensorOff, .held])
        var flags = s.flags.intersection([.artifact, .outOfTrack, .marginalPerfusion, .lowPerfusion, .lowBattery])
        if off { flags.insert(.sensorOff) }
        let spo2: Int?, pulse: Int?
        switch profile.id {
        case NoninDF8.id:
            let show = !s.flags.contains(.sensorOff) || s.flags.contains(.held)
            spo2 = show ? s.spo2 : nil
            pulse = show ? s.pulse : nil
            if off { flags.insert(.held) }
        case NoninASCII.id:
            spo2 = off ? nil : s.spo2
            pulse = off ? nil : s.pulse
            flags = []
        default:
            spo2 = off ? nil : s.spo2
            pulse = off ? nil : s.pulse
        }
        return [spo2.map { .reading(.spo2, Double($0), flags) } ?? .missing(.spo2),
                pulse.map { .reading(.pulse, Double($0), flags) } ?? .missing(.pulse)]
    }

    /// A random snapshot: values or nil, any flags (at most one perfusion flag), a pleth batch.
    static func randomSnapshot(_ rng: inout SplitMix64, plethMaximum: Int) -> VitalSnapshot {
        let spo2: Int? = rng.next() % 8 == 0 ? nil : Int(rng.next() % 101)
        // Pulse within Metric.pulse.plausibleRange: the decoders turn any other value into a
        // value-implausible status (NoninFrameDecoderTests covers that).
        let pulse: Int? = rng.next() % 8 == 0 ? nil : Int(rng.next() % 281) + 20
        var flags: QualityFlags = []
        for f in [QualityFlags.artifact, .outOfTrack, .sensorOff, .held, .lowBattery] where rng.next() % 5 == 0 {
            flags.insert(f)
        }
        switch rng.next() % 4 {
        case 0: flags.insert(.marginalPerfusion)
        case 1: flags.insert(.lowPerfusion)
        default: break
        }
        let pleth = (0..<Int(rng.next() % 30)).map { _ in Int(rng.next() % UInt64(plethMaximum + 1)) }
        return VitalSnapshot(spo2: spo2, pulse: pulse, pleth: pleth, flags: flags)
    }

    static func plethMaximum(_ profile: any DeviceProfile.Type) -> Int {
        profile.id == NoninDF2.id ? 255 : 65535
    }

    /// Encodes `count` random snapshots; returns them and each period's bytes.
    static func randomStream(_ profile: any DeviceProfile.Type, seed: UInt64, count: Int) -> ([VitalSnapshot], [[UInt8]]) {
        var rng = SplitMix64(seed: seed)
        var encoder = profile.makeEncoder()
        var snapshots: [VitalSnapshot] = []
        var periods: [[UInt8]] = []
        for _ in 0..<count {
            let s = randomSnapshot(&rng, plethMaximum: plethMaximum(profile))
            snapshots.append(s)
            periods.append(encoder.encodeBytes(s))
        }
        return (snapshots, periods)
    }

    @Test(arguments: NoninPropertyTests.profileNames)
    func encodeThenDecodeGivesTheValuesAndFlagsBack(_ name: String) {
        let profile = Self.profile(name)
        for seed in UInt64(1)...6 {
            let (snapshots, periods) = Self.randomStream(profile, seed: seed, count: 120)
            var decoder = profile.makeDecoder()
            var events: [DecoderEvent] = []
            for p in periods { decoder.decode(p, into: &events) }
            let want = snapshots.flatMap { Self.expected(profile, $0) }
            let got = Self.outcomes(events)
            #expect(got == want, "\(name) seed \(seed): first difference at \(Array(zip(got, want)).firstIndex { $0.0 != $0.1 } ?? min(got.count, want.count))")
            #expect(decoder.statistics.badFrames == 0)
            #expect(decoder.statistics.skippedBytes == 0)
            #expect(decoder.statistics.frames > 0)
            if profile.id == NoninDF2.id || profile.id == NoninDF7.id {
                let waves = events.compactMap { if case .waveform(let w) = $0 { w } else { nil } }
                #expect(waves.count == snapshots.count)
                for (w, s) in zip(waves, snapshots) {
                    let last = s.pleth.last ?? 0
                    let want = (0..<25).map { Int32($0 < s.pleth.count ? s.pleth[$0] : last) }
                    #expect(w.samples == want)
                    #expect(w.sampleRate == 75)
                }
            }
        }
    }

    @Test(arguments: NoninPropertyTests.profileNames)
    func anyChunkingGivesTheSameEvents(_ name: String) {
        let profile = Self.profile(name)
        for seed in UInt64(10)...13 {
            var (_, periods) = Self.randomStream(profile, seed: seed, count: 60)
            var rng = SplitMix64(seed: seed)
            // Some noise between periods, so chunking also crosses lost and regained sync.
            for i in stride(from: 7, to: periods.count, by: 11) {
                periods[i].insert(contentsOf: (0..<Int(rng.next() % 9)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: 0)
            }
            let bytes = periods.flatMap { $0 }
            let whole = FixtureSupport.decode(bytes, profile: profile, chunks: [])
            #expect(FixtureSupport.decode(bytes, profile: profile, chunks: [1]) == whole)
            #expect(FixtureSupport.decode(bytes, profile: profile, chunks: [2, 3, 5, 7]) == whole)
            #expect(FixtureSupport.decode(bytes, profile: profile, chunks: FixtureSupport.randomChunks(seed: seed, maxSize: 40)) == whole)
        }
    }

    /// One damage to one period's bytes, of a kind the profile's checks can catch: any single
    /// flip, drop or insertion for the checksummed DF2/DF7; for DF8 (no checksum) a dropped
    /// byte or a flipped bit 7; for ASCII (no checksum) a non-ASCII byte, a lost line end or an
    /// inserted control byte. (Without a checksum, a flipped value bit in DF8 or a dropped digit
    /// in ASCII is undetectable; no decoder can catch those.)
    static func damage(_ bytes: inout [UInt8], profile: any DeviceProfile.Type, rng: inout SplitMix64) {
        guard !bytes.isEmpty else { return }
        let i = Int(rng.next() % UInt64(bytes.count))
        let kind = rng.next() % 3
        switch profile.id {
        case NoninDF8.id:
            if kind == 0 { bytes.remove(at: i) } else { bytes[i] ^= 0x80 }
        case NoninASCII.id:
            switch kind {
            case 0: bytes[min(i, bytes.count - 3)] |= 0x80
            case 1: bytes.removeLast(2)
            default: bytes.insert(UInt8(rng.next() % 9), at: min(i, bytes.count - 2))
            }
        default:
            switch kind {
            case 0: bytes[i] ^= UInt8(1) << (rng.next() % 8)
            case 1: bytes.remove(at: i)
            default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: i)
            }
        }
    }

    @Test(arguments: NoninPropertyTests.profileNames)
    func damageNeverYieldsAWrongReadingAndSyncReturnsWithinTwoFrames(_ name: String) {
        let profile = Self.profile(name)
        for seed in UInt64(100)...130 {
            let (_, periods) = Self.randomStream(profile, seed: seed, count: 80)
            var clean = profile.makeDecoder()
            // The readings each clean period yields (device time included for DF2/DF7).
            let perPeriod: [[Reading]] = periods.map { Self.readings(clean.decode($0)) }
            var rng = SplitMix64(seed: seed &* 7919)
            var damaged = periods
            var hit: [Int] = []
            var p = 3 + Int(rng.next() % 3)
            while p < periods.count - 3 {
                Self.damage(&damaged[p], profile: profile, rng: &rng)
                hit.append(p)
                p += 4 + Int(rng.next() % 4)
            }
            var decoder = profile.makeDecoder()
            var got: [Reading] = []
            var perPeriodGot: [[Reading]] = []
            for d in damaged {
                let r = Self.readings(decoder.decode(d))
                got += r
                perPeriodGot.append(r)
            }
            // No wrong reading: what came out is an ordered subsequence of the clean readings.
            let all = perPeriod.flatMap { $0 }
            var j = 0
            for r in got {
                while j < all.count, all[j] != r { j += 1 }
                #expect(j < all.count, "\(name) seed \(seed): reading \(r) was never encoded (damaged periods \(hit))")
                if j == all.count { break }
                j += 1
            }
            // Sync returns: every period after a damaged one (after the next, for ASCII) decodes
            // fully, up to the next damage: the packet or record right after the damage is not lost.
            var wanted: [Reading] = []
            for (k, h) in hit.enumerated() {
                let end = k + 1 < hit.count ? hit[k + 1] : periods.count
                let after = profile.id == NoninASCII.id ? 2 : 1 // a lost line end also takes the next line
                for q in (h + after)..<end { wanted += perPeriod[q] }
            }
            let gotSet = Set(got.map { "\($0)" })
            if profile.id == NoninDF2.id || profile.id == NoninDF7.id {
                // Device time makes each DF2/DF7 reading unique: check them one by one.
                for w in wanted { #expect(gotSet.contains("\(w)"), "\(name) seed \(seed): \(w) lost (damage at \(hit))") }
            } else {
                // DF8 and ASCII readings repeat: they must appear in order within what came out.
                var g = got.makeIterator()
                let inOrder = wanted.allSatisfy { w in
                    while let r = g.next() { if r == w { return true } }
                    return false
                }
                #expect(inOrder, "\(name) seed \(seed): readings after the damage at \(hit) are missing")
            }
            #expect(decoder.statistics.badFrames >= 1)
            #expect(decoder.statistics.resyncs >= 1)
        }
    }

    @Test(arguments: NoninPropertyTests.profileNames)
    func randomBytesNeverCrashOrHang(_ name: String) {
        let profile = Self.profile(name)
        for seed in UInt64(1000)...1003 {
            var rng = SplitMix64(seed: seed)
            let bytes = (0..<40_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            var decoder = profile.makeDecoder()
            var events: [DecoderEvent] = []
            var i = 0
            while i < bytes.count {
                let n = Int(rng.next() % 300) + 1
                decoder.decode(bytes[i..<min(bytes.count, i + n)], into: &events)
                i += n
            }
            let s = decoder.statistics
            #expect(s.bytes == bytes.count)
            #expect(s.skippedBytes <= s.bytes)
            // Nothing random passes a DF2/DF7 packet (25 checksums) or forms an ASCII data line.
            if profile.id != NoninDF8.id {
                #expect(Self.readings(events).isEmpty, "\(name): a reading from random bytes")
            }
        }
    }

    @Test(arguments: NoninPropertyTests.profileNames)
    func aStreamOfOnlyOneValueByteRepeatedNeverHangs(_ name: String) {
        let profile = Self.profile(name)
        for b: UInt8 in [0x00, 0x01, 0x06, 0x0D, 0x80, 0x81, 0xFF] {
            var decoder = profile.makeDecoder()
            let events = decoder.decode([UInt8](repeating: b, count: 5000))
            #expect(decoder.statistics.bytes == 5000)
            #expect(Self.readings(events).isEmpty)
        }
    }
}
