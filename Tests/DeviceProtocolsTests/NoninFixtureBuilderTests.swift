import Foundation
import Testing
import VitalsCore
@testable import DeviceProtocols

/// Builds the generated Nonin fixtures from the encoders, and checks that the committed scripts
/// are exactly what the builder makes (so a changed encoder cannot silently leave stale
/// fixtures). Set VITALS_WRITE_NONIN_FIXTURES=1 to (re)write the scripts; then
/// VITALS_WRITE_EXPECTED=1 for FixtureTests to write missing expected files, and review them.
@Suite struct NoninFixtureBuilderTests {
    /// A damage applied to the bytes of one encoder period: (period index, bytes).
    typealias Damage = @Sendable (Int, inout [UInt8]) -> Void

    /// A generated fixture: its file name, profile and how to build it.
    struct Generated: Sendable, CustomStringConvertible {
        var profile: any DeviceProfile.Type
        var name: String
        var comments: [String]
        var seconds: Int
        var selectFormat: Bool
        var prelude: [UInt8]
        var snapshot: @Sendable (Int) -> VitalSnapshot
        var damage: Damage?
        var description: String { "\(profile.id)/\(name)" }
    }

    // MARK: Scenarios

    /// A steady patient: SpO2 96-98 %, pulse 68-78 /min, changing once a second.
    static func steady(_ s: Int) -> VitalSnapshot {
        let spo2 = [97, 97, 98, 97, 96, 96, 97, 98, 98, 97][s % 10]
        let beat = s % 20 < 10 ? s % 10 : 10 - s % 10
        return VitalSnapshot(spo2: spo2, pulse: 68 + beat)
    }

    /// Finger out and back (seconds): 0-9 steady; 10-19 finger out, display values held with
    /// SNSA; 20-27 sensor off, all values missing; 28-32 finger back, searching (missing, SNSA
    /// clear); 33-36 SpO2 back, HR still missing; 37-46 steady.
    static func fingerOut(_ s: Int) -> VitalSnapshot {
        switch s {
        case 10...19: VitalSnapshot(spo2: 97, pulse: 74, flags: [.sensorOff, .held])
        case 20...27: VitalSnapshot(flags: [.sensorOff])
        case 28...32: VitalSnapshot()
        case 33...36: VitalSnapshot(spo2: 96)
        default: VitalSnapshot(spo2: 97, pulse: 74)
        }
    }

    /// Status bits (seconds): 0-4 clean; 5-9 artifact; 10-14 out of track with artifact; 15-19
    /// marginal perfusion; 20-24 low perfusion; 25-29 low battery; 30-34 clean.
    static func statusBits(_ s: Int) -> VitalSnapshot {
        let flags: QualityFlags = switch s {
        case 5...9: [.artifact]
        case 10...14: [.artifact, .outOfTrack]
        case 15...19: [.marginalPerfusion]
        case 20...24: [.lowPerfusion]
        case 25...29: [.lowBattery]
        default: []
        }
        return VitalSnapshot(spo2: 95, pulse: 81, flags: flags)
    }

    /// A pleth batch for period `p` of a 25-sample packet: a triangle wave at `pulse`/min in
    /// integer arithmetic (so the bytes are the same on every platform), scaled to `maximum`.
    static func pleth(period p: Int, pulse: Int?, maximum: Int) -> [Int] {
        (0..<25).map { k in
            let frame = p * 25 + k
            let phase = frame * (pulse ?? 60) * 1024 / 4500 % 1024 // 0..<1024 a beat
            let tri = phase < 256 ? phase * 4 : (1024 - phase) * 4 / 3
            return min(maximum, maximum / 8 + tri * (maximum * 3 / 4) / 1024)
        }
    }

    // MARK: Damage

    /// Garbage before the first frame: bytes that look like frame starts but fail their checks.
    static let garbage: [UInt8] = [0x00, 0xFF, 0x01, 0x81, 0x05, 0x00, 0x00, 0x81, 0x7F, 0x01, 0x80,
                                   0x13, 0x37, 0xC0, 0x2A, 0x06 ^ 0x80, 0x55, 0xAA, 0x01, 0x01, 0x81]

    /// Damage to DF2/DF7 packets (125 bytes each, 3 a second), one kind per damaged packet.
    static let packetDamage: Damage = { p, b in
        switch p {
        case 9: b.remove(at: 37)                     // a dropped byte in frame 8
        case 20: b[8] ^= 0x08                        // a flipped bit in frame 2 (HR LSB)
        case 31: b.insert(contentsOf: [0x01, 0x81, 0x00], at: 60) // inserted noise in frame 13
        case 42: b.removeSubrange(20..<25)           // a whole frame (5) lost: SYNC comes early
        case 55: b[0] ^= 0x80                        // bit 7 of frame 1's first byte flipped
        case 60: b.removeLast(55)                    // packet cut short after frame 14
        case 75: b[122] ^= 0x01; b[3] ^= 0x40        // two flips: frame 1 float, frame 25 pleth
        default: break
        }
    }

    /// Damage to DF8 records (4 bytes, 1 a second).
    static let recordDamage: Damage = { s, b in
        switch s {
        case 8: b.remove(at: 1)                      // a dropped byte
        case 15: b[2] |= 0x80                        // bit 7 set in SpO2: pattern 1,0,0,0 broken
        case 22: b[3] |= 0x40                        // a reserved Status2 bit set
        case 29: b[2] = 0x70                         // SpO2 112: out of range
        case 36: b.insert(0x80, at: 2)               // an inserted byte with bit 7 set
        case 43: b[0] &= 0x7F                        // the status byte lost bit 7
        default: break
        }
    }

    /// Damage to ASCII lines (1 a second).
    static let lineDamage: Damage = { s, b in
        switch s {
        case 8: b.remove(at: 2)                      // the 'O' of SPO2 dropped: "SP2=..." 
        case 15: b[7] ^= 0x0C                        // '7' -> ';' : a flipped bit in a digit
        case 22: b.removeLast(2)                     // CR LF lost: two lines run together
        case 29: b = Array("SPO2=097 HR=07\u{1}2\r\n".utf8) // a control byte inside the line
        case 36: b.insert(contentsOf: [UInt8](repeating: 0x41, count: 90), at: 0) // an 90-byte run of noise
        default: break
        }
    }

    // MARK: The fixtures

    static let select = "first the host's select-format command (a w line) and the device's ACK 06 (reference 1.3 [SPEC])"

    static let generated: [Generated] = {
        var out: [Generated] = []
        for (profile, tag, ref) in [(NoninDF2.self as any DeviceProfile.Type, "df2", "1.4"),
                                    (NoninDF7.self as any DeviceProfile.Type, "df7", "1.5")] {
            let src = "Built by NoninFixtureBuilderTests from NoninFrameEncoder; layout per reference protocols-spo2.md "
                + "\(ref), 1.6, 1.7 ([SPEC] Nonin 9560 OEM specification 6470-000-01). One r line per 25-frame packet. "
                + "device_time is the TMR counter, whose 7+7-bit encoding is [INFERRED] (reference 1.7)."
            out.append(Generated(
                profile: profile, name: "\(tag)-clean-70s.script",
                comments: ["\(tag.uppercased()): 70 s of clean data, SpO2 96-98 %, pulse 68-78 /min, pleth a triangle wave.", src,
                           select + "."],
                seconds: 70, selectFormat: true, prelude: [0x06], snapshot: steady))
            out.append(Generated(
                profile: profile, name: "\(tag)-finger-out-held-and-missing.script",
                comments: ["\(tag.uppercased()): finger out and back. 0-9 s steady (97 %, 74 /min); 10-19 s finger out: SNSA set,",
                           "recording values missing (127/511), display values (SpO2-D, HR-D, E-*-D) held at 97/74;",
                           "20-27 s after the 10-s hold: SNSA, everything missing; 28-32 s finger back, searching (SNSA clear,",
                           "values missing); 33-36 s SpO2 96 back, HR still 511; 37-46 s steady. Expect no reading in 10-32 s.",
                           src],
                seconds: 47, selectFormat: false, prelude: [], snapshot: fingerOut))
            out.append(Generated(
                profile: profile, name: "\(tag)-status-bits.script",
                comments: ["\(tag.uppercased()): status bits, SpO2 95 %, pulse 81 /min throughout. 5-9 s ARTF; 10-14 s ARTF+OOT;",
                           "15-19 s yellow perfusion (bits 2:1 = 11) on frames 1-12; 20-24 s red (10); 25-29 s STAT2 LOW BAT;",
                           "0-4 s and 30-34 s clean (green, 01, on frames 1-12).", src],
                seconds: 35, selectFormat: false, prelude: [], snapshot: statusBits))
            out.append(Generated(
                profile: profile, name: "\(tag)-corruption.script",
                comments: ["\(tag.uppercased()): 30 s steady with damage. 21 garbage bytes before the first frame; packet 9 (t 3.0 s) loses",
                           "byte 37; packet 20 has a flipped bit in frame 2; packet 31 gets 3 inserted bytes in frame 13; packet 42",
                           "loses frame 5 (SYNC of packet 43 arrives early); packet 55 has bit 7 of byte 1 flipped; packet 60 is",
                           "cut after 70 bytes; packet 75 has two flips. Each damaged packet is lost (no reading), sync-lost at",
                           "the damage, sync-acquired at the next packet.", src],
                seconds: 30, selectFormat: false, prelude: garbage, snapshot: steady, damage: packetDamage))
        }
        let df8src = "Built by NoninFixtureBuilderTests from NoninDF8Encoder; layout per reference protocols-spo2.md 1.8 "
            + "([SPEC] Nonin 9560 OEM specification 6470-000-01). One r line per record."
        out.append(Generated(
            profile: NoninDF8.self, name: "df8-clean-70s.script",
            comments: ["DF8: 70 s of clean records, SpO2 96-98 %, pulse 68-78 /min.", df8src,
                       select + ". The decoder locks after two good records, so the first reading appears at t=1.0."],
            seconds: 70, selectFormat: true, prelude: [0x06], snapshot: steady))
        out.append(Generated(
            profile: NoninDF8.self, name: "df8-finger-out-held-and-missing.script",
            comments: ["DF8: finger out and back. 0-9 s steady (97 %, 74 /min); 10-19 s finger out: SNSA set, display values",
                       "held at 97/74 (published flagged held + sensor-off); 20-27 s SNSA, 127/511; 28-32 s searching",
                       "(SNSA clear, missing); 33-36 s SpO2 96, HR 511; 37-46 s steady.", df8src],
            seconds: 47, selectFormat: false, prelude: [], snapshot: fingerOut))
        out.append(Generated(
            profile: NoninDF8.self, name: "df8-status-bits.script",
            comments: ["DF8: status bits, SpO2 95 %, pulse 81 /min. 5-9 s ARTF; 10-14 s ARTF+OOT; 15-19 s MPRF; 20-24 s LPRF;",
                       "25-29 s LOW BAT; 0-4 s and 30-34 s clean.", df8src],
            seconds: 35, selectFormat: false, prelude: [], snapshot: statusBits))
        out.append(Generated(
            profile: NoninDF8.self, name: "df8-corruption.script",
            comments: ["DF8: 50 s steady with damage. 21 garbage bytes first; record 8 loses byte 1; record 15 has bit 7 set",
                       "in SpO2; record 22 a reserved Status2 bit; record 29 SpO2 112; record 36 an inserted 0x80;",
                       "record 43 lost bit 7 of its status. DF8 has no checksum: each damage is caught by the bit-7,",
                       "reserved-bit or range check, and the decoder needs two good records to lock again.", df8src],
            seconds: 50, selectFormat: false, prelude: garbage, snapshot: steady, damage: recordDamage))
        let asciiSrc = "Built by NoninFixtureBuilderTests from NoninASCIIEncoder; line format per reference protocols-spo2.md "
            + "1.11 ([SPEC] Nonin 7500FO, 8500, 9847, Avant operator manuals)."
        out.append(Generated(
            profile: NoninASCII.self, name: "ascii-clean-70s.script",
            comments: ["ASCII: 70 s of SPO2=XXX HR=YYY lines, SpO2 96-98 %, pulse 68-78 /min.", asciiSrc],
            seconds: 70, selectFormat: false, prelude: [], snapshot: steady))
        out.append(Generated(
            profile: NoninASCII.self, name: "ascii-finger-out-missing.script",
            comments: ["ASCII: finger out and back. The format has no status bits: a finger out shows only as ---.",
                       "0-9 s steady; 10-32 s SPO2=--- HR=--- (the encoder sends held values as --- too, since nothing",
                       "could mark them held); 33-36 s SPO2=096 HR=---; 37-46 s steady.", asciiSrc],
            seconds: 47, selectFormat: false, prelude: [], snapshot: fingerOut))
        out.append(Generated(
            profile: NoninASCII.self, name: "ascii-corruption.script",
            comments: ["ASCII: 45 s steady with damage. A partial line and binary noise first; line 8 loses the 'O' of",
                       "SPO2; line 15 has a digit flipped to ';'; line 22 loses its CR LF and runs into line 23; line 29",
                       "holds a control byte; line 36 starts with 90 bytes of noise (over-long). Lines count from 0.",
                       "No checksum: a dropped or flipped digit that still reads as a number would pass; these do not.",
                       asciiSrc],
            seconds: 45, selectFormat: false, prelude: Array("2=097 HR=072\r\n".utf8) + [0x00, 0xFF, 0x81, 0x0D],
            snapshot: steady, damage: lineDamage))
        return out
    }()

    /// The script `g` describes.
    static func build(_ g: Generated) -> UmockdevScript {
        var script = UmockdevScript(comments: g.comments)
        var encoder = g.profile.makeEncoder()
        let perSecond = Int((Duration.seconds(1) / encoder.period).rounded())
        if g.selectFormat, let command = g.profile.bytes(for: .selectDataFormat) {
            script.appendWrite(command, after: .zero)
        }
        if !g.prelude.isEmpty { script.appendRead(g.prelude, after: .milliseconds(g.selectFormat ? 20 : 0)) }
        var lastMs: Int64 = 0
        let maximum = g.profile.id == NoninDF2.id ? 255 : 65535
        for p in 0..<(g.seconds * perSecond) {
            var snapshot = g.snapshot(p / perSecond)
            if perSecond == 3 { snapshot.pleth = pleth(period: p, pulse: snapshot.pulse, maximum: maximum) }
            var bytes = encoder.encodeBytes(snapshot)
            g.damage?(p, &bytes)
            let ms = Int64(p) * 1000 / Int64(perSecond) + 100
            script.appendRead(bytes, after: .milliseconds(ms - lastMs))
            lastMs = ms
        }
        return script
    }

    @Test(arguments: NoninFixtureBuilderTests.generated.map(\.description))
    func committedFixtureIsWhatTheBuilderMakes(_ name: String) throws {
        let g = try #require(Self.generated.first { $0.description == name })
        let url = FixtureSupport.root.appendingPathComponent(g.profile.id).appendingPathComponent(g.name)
        let bytes = Self.build(g).serialized()
        if ProcessInfo.processInfo.environment["VITALS_WRITE_NONIN_FIXTURES"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
        let onDisk = try Data(contentsOf: url)
        #expect(Array(onDisk) == bytes, "\(name) differs from what the builder makes; rebuild with VITALS_WRITE_NONIN_FIXTURES=1")
        // The script must survive its own parser unchanged.
        let parsed = try UmockdevScript.parse(Array(onDisk), path: url.path)
        #expect(parsed.deviceBytes == Self.build(g).deviceBytes)
    }
}
