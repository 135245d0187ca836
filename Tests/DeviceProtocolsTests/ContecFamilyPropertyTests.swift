import Foundation
import Testing
import VitalsCore
@testable import DeviceProtocols

/// Properties the Contec legacy and BerryMed BCI decoders share (one framing engine, checked
/// through each profile's public decoder and encoder): round trip, chunking, corruption, resync,
/// random bytes.
@Suite struct ContecFamilyPropertyTests {
    /// The two profiles and their frame rates.
    static let profiles: [(name: String, rate: Int)] = [("contec-cms50", 60), ("berrymed", 100)]

    static func profile(_ name: String) -> any DeviceProfile.Type { ProfileCatalog.profile(named: name)! }

    /// What one second of a snapshot must decode to: per metric a value, or a missing status.
    static func expected(_ s: VitalSnapshot) -> [String] {
        let flags = s.flags.intersection([.sensorOff, .outOfTrack]).names.joined(separator: ",")
        return [
            s.spo2.map { "spo2=\($0) [\(flags)]" } ?? "spo2 missing",
            s.pulse.map { "pulse=\($0) [\(flags)]" } ?? "pulse missing",
        ]
    }

    /// The decoded readings and missing statuses in the same form.
    static func observed(_ events: [DecoderEvent]) -> [String] {
        events.compactMap { e -> String? in
            switch e {
            case .reading(let r): "\(r.metric.name)=\(Int(r.value)) [\(r.flags.names.joined(separator: ","))]"
            case .status(let s) where s.kind == .valueMissing: "\(s.metric!.name) missing"
            default: nil
            }
        }
    }

    static func randomSnapshots(_ rng: inout SplitMix64, count: Int, rate: Int, top: Int) -> [VitalSnapshot] {
        var phase = 0
        return (0..<count).map { _ in
            let spo2: Int? = rng.next() % 8 == 0 ? nil : Int(rng.next() % 51) + 50
            let pulse: Int? = rng.next() % 8 == 0 ? nil : Int(rng.next() % 221) + 30
            var flags: QualityFlags = []
            if rng.next() % 5 == 0 { flags.insert(.sensorOff) }
            if rng.next() % 5 == 0 { flags.insert(.outOfTrack) }
            let pleth = OximeterTestSupport.pleth(count: rate, pulse: pulse, top: top, phase: &phase)
            return VitalSnapshot(spo2: spo2, pulse: pulse, pleth: pleth, flags: flags)
        }
    }

    static func encode(_ profile: any DeviceProfile.Type, _ snapshots: [VitalSnapshot]) -> [UInt8] {
        var encoder = profile.makeEncoder()
        return snapshots.flatMap { encoder.encodeBytes($0) }
    }

    @Test(arguments: profiles.map(\.name), [UInt64(1), 2, 3])
    func encodeThenDecodeGivesTheValuesAndFlagsBack(_ name: String, seed: UInt64) {
        let p = Self.profile(name)
        let rate = Self.profiles.first { $0.name == name }!.rate
        var rng = SplitMix64(seed: seed)
        let snapshots = Self.randomSnapshots(&rng, count: 40, rate: rate, top: name == "berrymed" ? 100 : 127)
        let events = FixtureSupport.decode(Self.encode(p, snapshots), profile: p, chunks: [])
        #expect(Self.observed(events) == snapshots.flatMap(Self.expected))
        // Pleth: every sample back, in order, in batches cut by frame count.
        let waves = OximeterTestSupport.waveforms(events)
        #expect(waves.flatMap(\.samples) == snapshots.flatMap { $0.pleth.map(Int32.init) })
        #expect(waves.allSatisfy { $0.samples.count == (rate == 60 ? 12 : 20) && $0.sampleRate == Double(rate) })
        // Sensor statuses exactly at the transitions of the sensor-off flag.
        var off = false
        var transitions: [DeviceStatus.Kind] = []
        for s in snapshots where s.flags.contains(.sensorOff) != off {
            off.toggle()
            transitions.append(off ? .sensorOff : .sensorOn)
        }
        let sensorKinds: [DeviceStatus.Kind] = OximeterTestSupport.statuses(events).map(\.kind).filter {
            $0 == .sensorOff || $0 == .sensorOn
        }
        #expect(sensorKinds == transitions)
    }

    @Test(arguments: profiles.map(\.name))
    func anyChunkingGivesTheSameEvents(_ name: String) {
        let p = Self.profile(name)
        var rng = SplitMix64(seed: 7)
        var bytes = Self.encode(p, Self.randomSnapshots(&rng, count: 10, rate: 100, top: 100))
        // Some damage too, so sync loss and resync are chunked as well.
        for i in stride(from: 37, to: bytes.count, by: 411) { bytes[i] ^= 0x80 }
        let whole = FixtureSupport.decode(bytes, profile: p, chunks: [])
        #expect(!OximeterTestSupport.readings(whole).isEmpty)
        #expect(OximeterTestSupport.statuses(whole).contains { $0.kind == .syncLost })
        #expect(FixtureSupport.decode(bytes, profile: p, chunks: [1]) == whole)
        for seed in UInt64(10)...15 {
            #expect(FixtureSupport.decode(bytes, profile: p, chunks: FixtureSupport.randomChunks(seed: seed, maxSize: 23)) == whole)
        }
    }

    /// Sparse random damage (one flip, drop or insertion per ten frames, anywhere in them)
    /// never yields a reading of a value that was not sent, and costs at most two frames each.
    @Test(arguments: profiles.map(\.name), [UInt64(21), 22, 23, 24])
    func corruptionNeverYieldsAWrongReading(_ name: String, seed: UInt64) {
        let p = Self.profile(name)
        let rate = Self.profiles.first { $0.name == name }!.rate
        var rng = SplitMix64(seed: seed)
        // Values that no single bit flip turns into one another.
        let spo2s = [90, 95], pulses = [60, 120]
        var phase = 0
        let snapshots = (0..<30).map { i in
            VitalSnapshot(spo2: spo2s[i % 2], pulse: pulses[(i / 3) % 2],
                          pleth: OximeterTestSupport.pleth(count: rate, pulse: 60, top: 90, phase: &phase))
        }
        var bytes = Self.encode(p, snapshots)
        let frames = bytes.count / 5
        var damages = 0
        var block = (bytes.count / 50) - 1
        while block >= 1 {
            let index = block * 50 + Int(rng.next() % 50)
            let kind = OximeterTestSupport.Damage.allCases[Int(rng.next() % 3)]
            bytes = OximeterTestSupport.damaged(bytes, kind, at: index, bit: Int(rng.next() % 8), byte: UInt8(truncatingIfNeeded: rng.next()))
            damages += 1
            block -= 1
        }
        var decoder = p.makeDecoder()
        let events = decoder.decode(bytes)
        let readings = OximeterTestSupport.readings(events)
        #expect(readings.count > 20)
        for r in readings {
            let allowed = r.metric == .spo2 ? spo2s : pulses
            #expect(allowed.contains(Int(r.value)), "\(r.metric.name) \(r.value) was never sent")
        }
        #expect(decoder.statistics.frames >= frames - 2 * damages)
        #expect(decoder.statistics.badFrames > 0)
    }

    /// One damage of any kind at any byte of a frame: sync (if lost) comes back on a frame that
    /// starts at most two frames after the damage, and no more than two frames are lost.
    @Test(arguments: profiles.map(\.name))
    func oneDamageResyncsWithinTwoFrames(_ name: String) {
        let p = Self.profile(name)
        let rate = Self.profiles.first { $0.name == name }!.rate
        var phase = 0
        let clean = Self.encode(p, (0..<3).map { _ in
            VitalSnapshot(spo2: 97, pulse: 72, pleth: OximeterTestSupport.pleth(count: rate, pulse: 72, top: 90, phase: &phase))
        })
        let n = clean.count / 5
        for position in 0..<10 {
            let index = 5 * 40 + position
            var cases: [[UInt8]] = []
            for bit in 0..<8 { cases.append(OximeterTestSupport.damaged(clean, .flip, at: index, bit: bit)) }
            cases.append(OximeterTestSupport.damaged(clean, .drop, at: index))
            for byte: UInt8 in [0x00, 0x45, 0x7F, 0x80, 0xC5, 0xFF] {
                cases.append(OximeterTestSupport.damaged(clean, .insert, at: index, byte: byte))
            }
            for bytes in cases {
                var decoder = p.makeDecoder()
                let events = decoder.decode(bytes)
                let statuses = OximeterTestSupport.statuses(events)
                let lost = statuses.filter { $0.kind == .syncLost }
                let found = statuses.filter { $0.kind == .syncAcquired }
                #expect(lost.count <= 1 && found.count == lost.count)
                if let back = found.first?.byteOffset { #expect(back <= index + 10, "resync at \(back), damage at \(index)") }
                #expect(decoder.statistics.frames >= n - 2)
                // A lost frame shifts the last second past the end of the stream: 2 or 3 pairs.
                let values = OximeterTestSupport.values(events).map { "\($0.0.name)=\(Int($0.1))" }
                #expect(values.count >= 4 && values.allSatisfy { $0 == "spo2=97" || $0 == "pulse=72" })
            }
        }
    }

    @Test(arguments: profiles.map(\.name))
    func randomBytesNeverCrashAndEveryByteIsAccountedFor(_ name: String) {
        let p = Self.profile(name)
        var rng = SplitMix64(seed: 99)
        let bytes = (0..<200_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        var decoder = p.makeDecoder()
        var events: [DecoderEvent] = []
        var i = 0
        var k = 0
        let chunks = FixtureSupport.randomChunks(seed: 5, count: 512, maxSize: 40)
        while i < bytes.count {
            let end = min(bytes.count, i + chunks[k % chunks.count])
            decoder.decode(bytes[i..<end], into: &events)
            i = end
            k += 1
        }
        let s = decoder.statistics
        #expect(s.bytes == bytes.count)
        let pending = s.bytes - 5 * s.frames - s.skippedBytes
        #expect((0...4).contains(pending))
        #expect(s.badFrames > 0)
    }
}
