import Testing
import VitalsCore
@testable import DeviceProtocols

/// The A&D decoder in any chunking, under corruption the format can detect, and on random bytes.
///
/// The record has no checksum: a bit flip that turns one hex digit into another is invisible to
/// any decoder, so the corruption tests use faults the format does reveal (a dropped character,
/// a flip that leaves the hex digits).
@Suite struct AndUA767DecoderRobustnessTests {
    /// `count` records with distinct DIA values, each with CR LF, an ACK between some.
    static func records(seed: UInt64, count: Int) -> [[UInt8]] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { i in
            let dia = 50 + i
            let bp = BloodPressureResult(systolic: dia + 30 + Int(rng.next() % 60), diastolic: dia, mean: dia + 12, pulse: 55 + i)
            return AndUA767Frame.record(bp) + [0x0D, 0x0A] + (i % 3 == 0 ? AndUA767Frame.ackReply : [])
        }
    }

    static func diastolics(_ events: [DecoderEvent]) -> [Int] {
        events.compactMap { if case .reading(let r) = $0, r.metric == .nibpDiastolic { Int(r.value) } else { nil } }
    }

    @Test(arguments: [UInt64(11), 12, 13]) func anyChunkingGivesTheSameEvents(_ seed: UInt64) {
        var bytes = Self.records(seed: seed, count: 20).flatMap { $0 }
        bytes.insert(contentsOf: Array("12\u{1}70Q".utf8), at: 30)
        let whole = FixtureSupport.decode(bytes, profile: AndUA767.self, chunks: [])
        #expect(FixtureSupport.decode(bytes, profile: AndUA767.self, chunks: [1]) == whole)
        #expect(FixtureSupport.decode(bytes, profile: AndUA767.self, chunks: FixtureSupport.randomChunks(seed: seed)) == whole)
    }

    @Test(arguments: [UInt64(21), 22, 23, 24, 25, 26, 27, 28])
    func oneCorruptRecordLosesOnlyThatRecord(_ seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var recs = Self.records(seed: seed, count: 10)
        let victim = 3 + Int(rng.next() % 5)
        let at = Int(rng.next() % 10)
        if seed % 2 == 0 {
            recs[victim].remove(at: at)
        } else {
            recs[victim][at] ^= 0x40 // '0'-'9' -> 'p'-'y', 'A'-'F' -> control bytes: never a hex digit
        }
        var d = AndUA767Decoder()
        let events = d.decode(recs.flatMap { $0 })
        var expected = (0..<10).map { 50 + $0 }
        expected.remove(at: victim)
        #expect(Self.diastolics(events) == expected)
        let kinds = events.compactMap { if case .status(let s) = $0 { s.kind } else { nil } }
        #expect(kinds.filter { $0 == .syncLost }.count == 1)
        #expect(kinds.filter { $0 == .syncAcquired }.count == 1)
        // Resync at the next frame: the syncAcquired comes right before the next record's readings.
        let lost = events.firstIndex { if case .status(let s) = $0 { s.kind == .syncLost } else { false } }!
        let next = events[(lost + 1)...].first { if case .reading = $0 { true } else { false } }
        #expect(next == .reading(Reading(metric: .nibpSystolic, value: Double(systolic(of: recs[victim + 1])))))
    }

    @Test func garbageBeforeTheFirstRecordIsOneSyncLoss() {
        var d = AndUA767Decoder()
        let garbage: [UInt8] = [0xFF, 0x00, 0x41, 0x7E, 0x01, 0x37, 0x20]
        let events = d.decode(garbage + Array("804C4C4960\r\n".utf8))
        #expect(events.first == .status(DeviceStatus(.syncLost, detail: "byte outside a record", byteOffset: 0)))
        #expect(events.dropFirst().first == .status(DeviceStatus(
            .syncAcquired, code: 7, detail: "after 7 skipped bytes and 2 bad frames", byteOffset: garbage.count)))
        #expect(events.count == 6)
    }

    @Test(arguments: [UInt64(31), 32, 33, 34]) func randomBytesAreSurvived(_ seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let alphabet = Array("0123456789ABCDEF80\r\n\u{1}70PC\u{6}".utf8)
        let bytes: [UInt8] = (0..<20_000).map { _ in
            rng.next() % 4 != 0 ? alphabet[Int(rng.next() % UInt64(alphabet.count))] : UInt8(truncatingIfNeeded: rng.next())
        }
        let events = FixtureSupport.decode(bytes, profile: AndUA767.self, chunks: FixtureSupport.randomChunks(seed: seed))
        var d = AndUA767Decoder()
        #expect(d.decode(bytes) == events)
        #expect(d.statistics.bytes == bytes.count)
        for case .reading(let r) in events {
            #expect(AndUA767Decoder.plausible[r.metric]?.contains(Int(r.value)) == true)
        }
    }
}

/// SYS of a well-formed record: (SYS - DIA) + DIA.
private func systolic(of record: [UInt8]) -> Int {
    func byte(_ i: Int) -> Int { Int(AndUA767Frame.hexValue(record[i])!) << 4 | Int(AndUA767Frame.hexValue(record[i + 1])!) }
    return byte(2) + byte(4)
}
