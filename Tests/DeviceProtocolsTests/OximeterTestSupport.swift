import Foundation
import Testing
import VitalsCore
@testable import DeviceProtocols

/// Helpers shared by the Masimo, Contec and BerryMed tests and fixture writer: snapshots with a
/// plausible pleth, scripts built from encoder output, damage to byte streams.
enum OximeterTestSupport {
    /// `count` pleth samples of a pulse at `pulse` /min over one second, scaled to 0...`top`, with
    /// the phase carried over in `phase` (samples of a beat elapsed).
    static func pleth(count: Int, pulse: Int?, top: Int, phase: inout Int) -> [Int] {
        guard let pulse, pulse > 0 else { return Array(repeating: 0, count: count) }
        let beat = max(2, count * 60 / pulse)
        return (0..<count).map { _ in
            phase = (phase + 1) % beat
            // A fast rise over the first fifth of the beat, a slow fall after it.
            let rise = beat / 5
            let v = phase < rise ? phase * top / max(1, rise) : top - (phase - rise) * top / max(1, beat - rise)
            return max(0, min(top, v))
        }
    }

    /// A script of `periods` snapshots through `encoder`, each period's chunks at their offsets.
    static func script(
        _ snapshots: [VitalSnapshot], encoder: inout any DeviceEncoder, comments: [String]
    ) -> UmockdevScript {
        var script = UmockdevScript(comments: comments)
        var last: Int64 = 0
        for (p, snapshot) in snapshots.enumerated() {
            let periodStart = Int64(p) * encoder.period.milliseconds
            for chunk in encoder.encode(snapshot) {
                let at = periodStart + chunk.offset.milliseconds
                script.appendRead(chunk.bytes, after: .milliseconds(at - last))
                last = at
            }
        }
        return script
    }

    /// Every reading's (metric, value) in order.
    static func values(_ events: [DecoderEvent]) -> [(Metric, Double)] {
        events.compactMap { if case .reading(let r) = $0 { (r.metric, r.value) } else { nil } }
    }

    /// Every reading in order.
    static func readings(_ events: [DecoderEvent]) -> [Reading] {
        events.compactMap { if case .reading(let r) = $0 { r } else { nil } }
    }

    /// Every status in order.
    static func statuses(_ events: [DecoderEvent]) -> [DeviceStatus] {
        events.compactMap { if case .status(let s) = $0 { s } else { nil } }
    }

    /// Every waveform batch in order.
    static func waveforms(_ events: [DecoderEvent]) -> [Waveform] {
        events.compactMap { if case .waveform(let w) = $0 { w } else { nil } }
    }

    /// Damage kinds for corruption tests.
    enum Damage: CaseIterable { case flip, drop, insert }

    /// `bytes` with one `damage` at `index` (`bit` for flips, `byte` for insertions).
    static func damaged(_ bytes: [UInt8], _ damage: Damage, at index: Int, bit: Int = 0, byte: UInt8 = 0) -> [UInt8] {
        var out = bytes
        switch damage {
        case .flip: out[index] ^= UInt8(1) << UInt8(bit)
        case .drop: out.remove(at: index)
        case .insert: out.insert(byte, at: index)
        }
        return out
    }

    /// Writes `script` to Fixtures/`profile`/`name`.script and checks it reads back the same.
    static func write(_ script: UmockdevScript, profile: String, name: String) throws {
        let url = FixtureSupport.root.appendingPathComponent(profile).appendingPathComponent(name + ".script")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(script.serialized()).write(to: url)
        #expect(try FixtureSupport.loadScript(url).deviceBytes == script.deviceBytes)
    }
}

/// The shared helpers do what the other tests rely on.
@Suite struct MasimoContecBerryMedSupportTests {
    @Test func damageChangesExactlyOneByte() {
        let bytes: [UInt8] = [1, 2, 3, 4]
        #expect(OximeterTestSupport.damaged(bytes, .flip, at: 1, bit: 7) == [1, 0x82, 3, 4])
        #expect(OximeterTestSupport.damaged(bytes, .drop, at: 0) == [2, 3, 4])
        #expect(OximeterTestSupport.damaged(bytes, .insert, at: 4, byte: 9) == [1, 2, 3, 4, 9])
    }

    @Test func plethStaysInRangeAndPulses() {
        var phase = 0
        let p = OximeterTestSupport.pleth(count: 60, pulse: 72, top: 100, phase: &phase)
        #expect(p.count == 60)
        #expect(p.allSatisfy { (0...100).contains($0) })
        #expect(Set(p).count > 10)
    }
}
