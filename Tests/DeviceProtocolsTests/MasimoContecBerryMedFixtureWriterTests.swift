import Foundation
import Testing
import VitalsCore
@testable import DeviceProtocols

/// Writes the Fixtures/ scripts of masimo-ascii, contec-cms50 and berrymed from the encoders
/// (plus hand-written lines and hand-made damage). Runs only with VITALS_WRITE_FIXTURES=1; the
/// expected outputs are then written by FixtureTests with VITALS_WRITE_EXPECTED=1 and checked by
/// hand against the bytes before they are committed.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["VITALS_WRITE_FIXTURES"] == "1"))
struct MasimoContecBerryMedFixtureWriterTests {
    typealias Support = OximeterTestSupport

    /// Replaces the bytes of read step `index` (0-based among steps).
    static func mutate(_ script: inout UmockdevScript, step index: Int, _ change: (inout [UInt8]) -> Void) {
        guard case .read(let delay, var bytes) = script.steps[index].operation else { return }
        change(&bytes)
        script.steps[index] = UmockdevScript.Step(.read(delay: delay, bytes: bytes), line: script.steps[index].line)
    }

    /// Where `token` starts in `bytes`.
    static func index(of token: String, in bytes: [UInt8]) -> Int {
        let t = Array(token.utf8)
        return (0...(bytes.count - t.count)).first { Array(bytes[$0..<($0 + t.count)]) == t }!
    }

    /// A steady-ish SpO2 and pulse for second `i`.
    static func spo2(_ i: Int) -> Int { [97, 97, 96, 97, 98, 97, 96, 96, 97, 98][(i / 7) % 10] }
    static func pulse(_ i: Int) -> Int { 68 + (i / 5) % 9 }

    // MARK: Masimo

    @Test func masimoFixtures() throws {
        let profile = MasimoASCII.id
        var encoder: any DeviceEncoder = MasimoASCIIEncoder()
        let clean = (0..<70).map { i in
            VitalSnapshot(spo2: Self.spo2(i), pulse: Self.pulse(i), perfusionIndex: Double(210 + (i * 7) % 140) / 100)
        }
        try Support.write(Support.script(clean, encoder: &encoder, comments: [
            "masimo-ascii: 70 s of clean Radical-7 ASCII 1 lines, one a second, from MasimoASCIIEncoder.",
            "Line shape: reference/protocols-spo2.md 2.3 (Radical-7 lines of MD PnP and remkolems) [3P];",
            "9600 8N1 [SPEC]. SpO2 96-98 %, pulse 68-76 /min, PI 2.10-3.49 %, EXC=000800 (Masimo SET), ALARM=0000.",
        ]), profile: profile, name: "radical7-clean-70s-3p")

        // Published lines, each after a date and time (the ASCII 1 examples are quoted without).
        var published = UmockdevScript(comments: [
            "masimo-ascii: the ASCII 1 lines reference/protocols-spo2.md 2.3 quotes, one a second, each after",
            "a date and time of our own (the sources quote the tokens only) [3P]:",
            "line 1 Radical-5, MD PnP poxrad_discrete.h; line 2 Radical-7, MD PnP poxrad_discrete.h;",
            "line 3 Radical-7 'blue', remkolems/masimo-datacapture quoting the Radical-7 service manual",
            "(its SN=... placeholder written as SN=----------); line 4 Radical-7 rainbow, remkolems.",
        ])
        let quoted = [
            "SPO2=097% BPM=064 PI=11.82% ALARM=20 EXC=800",
            "SN=0123456789 SPO2=098% BPM=240 PI=20.00% SPCO=01.0% SPMET=00.5% DESAT=01 PIDELTA=-02 PVI=027 ALARM=0000 EXC=000820",
            "SN=---------- SPO2=---% BPM=--- PI=--.--% SPCO=--.-% SPMET=--.-% DESAT=-- PIDELTA=+-- PVI=--- ALARM=0000 EXC=000000",
            "SN=---------- SPO2=098% BPM=123 PI=00.55 SPCO=--% SPMET=--.-% SPHB=--.- SPOC=-- RESVD=--- DESAT=-- PIDELTA=+-- PVI=--- ALARM=000000 EXC=0000C00 EXC1=00000000",
        ]
        for (i, tokens) in quoted.enumerated() {
            published.appendRead(Array("06/01/26 10:00:0\(i) \(tokens)\r\n".utf8), after: .milliseconds(i == 0 ? 0 : 1000))
        }
        try Support.write(published, profile: profile, name: "published-lines-3p")

        var trend = UmockdevScript(comments: [
            "masimo-ascii: ASCII 2 (Rad-8 trend/printer format), Rad-8 operator's manual p. 4-24 [SPEC].",
            "Line 1 is the manual's sample line verbatim. Lines 2-4 use the manual's EXC label strings",
            "(828:Search,OffPat,SET and C00:LowSigIQ,SET) with values we made up; lines 2-3 carry zeros as the",
            "manual says the trend shows when the sensor is off. Line 5 is back to normal.",
        ])
        let trendLines = [
            "MM/DD/YY HH:MM:SS SpO2=097 PR=069 PI=04.69 EXC=800:SET",
            "MM/DD/YY HH:MM:SS SpO2=000 PR=000 PI=00.00 EXC=828:Search,OffPat,SET",
            "MM/DD/YY HH:MM:SS SpO2=000 PR=000 PI=00.00 EXC=828:Search,OffPat,SET",
            "MM/DD/YY HH:MM:SS SpO2=093 PR=074 PI=00.41 EXC=C00:LowSigIQ,SET",
            "MM/DD/YY HH:MM:SS SpO2=096 PR=071 PI=03.95 EXC=800:SET",
        ]
        for (i, line) in trendLines.enumerated() {
            let text = line.replacingOccurrences(of: "MM/DD/YY HH:MM:SS", with: "11/27/26 08:15:\(10 + 2 * i)")
            trend.appendRead(Array((text + "\r\n").utf8), after: .milliseconds(i == 0 ? 0 : 2000))
        }
        try Support.write(trend, profile: profile, name: "rad8-trend-ascii2-spec")

        // Missing values and the sensor off: pulse search with dashes, then sensor off.
        encoder = MasimoASCIIEncoder()
        var missing: [VitalSnapshot] = []
        for i in 0..<20 { missing.append(VitalSnapshot(spo2: Self.spo2(i), pulse: Self.pulse(i), perfusionIndex: 2.5)) }
        for _ in 0..<3 { missing.append(VitalSnapshot(flags: .outOfTrack)) }
        for _ in 0..<15 { missing.append(VitalSnapshot(flags: .sensorOff)) }
        for _ in 0..<4 { missing.append(VitalSnapshot(pulse: 80, flags: .outOfTrack)) }
        for i in 0..<10 { missing.append(VitalSnapshot(spo2: Self.spo2(i), pulse: 78 - i, perfusionIndex: 1.85)) }
        try Support.write(Support.script(missing, encoder: &encoder, comments: [
            "masimo-ascii: missing values and sensor off, from MasimoASCIIEncoder (Radical-7 ASCII 1 shape [3P]).",
            "20 s normal; 3 s pulse search (EXC=000808, all values dashes); 15 s sensor off patient",
            "(EXC=000820, dashes); 4 s search with BPM=080 only; 10 s normal. EXC meanings: 12-bit table [SPEC].",
        ]), profile: profile, name: "missing-and-sensor-off-3p")

        // Device alarms (ALARM bits [3P]) and exceptions.
        encoder = MasimoASCIIEncoder()
        var alarms: [VitalSnapshot] = []
        for i in 0..<5 { alarms.append(VitalSnapshot(spo2: 95 - i, pulse: 70, perfusionIndex: 1.2)) }
        for i in 0..<10 { alarms.append(VitalSnapshot(spo2: 88 - i % 3, pulse: 72, perfusionIndex: 0.9, deviceCode: 0x0012_0800)) }
        for _ in 0..<5 { alarms.append(VitalSnapshot(spo2: 87, pulse: 74, perfusionIndex: 0.35, deviceCode: 0x0032_0C04)) }
        for _ in 0..<5 { alarms.append(VitalSnapshot(spo2: 92, pulse: 76, perfusionIndex: 1.1, deviceCode: 0x0040_0800)) }
        for _ in 0..<5 { alarms.append(VitalSnapshot(spo2: 95, pulse: 71, perfusionIndex: 1.3)) }
        try Support.write(Support.script(alarms, encoder: &encoder, comments: [
            "masimo-ascii: device alarms and exceptions, from MasimoASCIIEncoder. ALARM bits are the",
            "reverse-engineered [3P] table (MD PnP, remkolems); EXC bits the 12-bit [SPEC] table.",
            "5 s normal; 10 s ALARM=0012 (SpO2 low limit + alarm active); 5 s ALARM=0032 (+ silenced) with",
            "EXC=000C04 (low signal IQ, low perfusion); 5 s ALARM=0040 (low battery); 5 s normal.",
        ]), profile: profile, name: "alarms-3p")

        // Corruption: garbage first, then damaged lines among good ones.
        encoder = MasimoASCIIEncoder()
        var corrupted = Support.script((0..<30).map { i in
            VitalSnapshot(spo2: Self.spo2(i), pulse: Self.pulse(i), perfusionIndex: 2.2)
        }, encoder: &encoder, comments: [
            "masimo-ascii: corruption. Before the first line: binary garbage and the tail of a line (joining",
            "mid-stream). Then 30 s of MasimoASCIIEncoder lines with: line 4 first SPO2 digit with bit 6",
            "flipped ('0' -> 'p'); line 7 the second BPM digit dropped; line 10 0xFF inserted; line 13 ends in a lone LF, line 14",
            "in a lone CR; after line 16 a 2000-byte line of garbage with no end until the CR LF; line 19 split",
            "over two reads; line 22 cut short (its second half lost) so it runs into line 23.",
        ])
        var rng = SplitMix64(seed: 2026)
        let garbage = (0..<40).map { _ in UInt8(truncatingIfNeeded: rng.next()) } + Array("42% BPM=071 PI=02.20% EXC=000800\r\n".utf8)
        corrupted.steps.insert(UmockdevScript.Step(.read(delay: .zero, bytes: garbage), line: 0), at: 0)
        // Step indices below are 1 + line number - 1 (the garbage step comes first).
        Self.mutate(&corrupted, step: 4) { b in b[Self.index(of: "SPO2=", in: b) + 5] ^= 0x40 }
        Self.mutate(&corrupted, step: 7) { b in b.remove(at: Self.index(of: "BPM=", in: b) + 5) }
        Self.mutate(&corrupted, step: 10) { b in b.insert(0xFF, at: 30) }
        Self.mutate(&corrupted, step: 13) { b in b.remove(at: b.count - 2) }
        Self.mutate(&corrupted, step: 14) { b in b.removeLast() }
        Self.mutate(&corrupted, step: 16) { b in
            b += (0..<2000).map { _ in
                let x = UInt8(truncatingIfNeeded: rng.next())
                return x == 0x0D || x == 0x0A ? 0x20 : x
            } + [0x0D, 0x0A]
        }
        Self.mutate(&corrupted, step: 22) { b in b.removeLast(b.count / 2) }
        if case .read(let d, let b) = corrupted.steps[19].operation {
            corrupted.steps[19] = UmockdevScript.Step(.read(delay: d, bytes: Array(b[..<50])), line: 0)
            corrupted.steps.insert(UmockdevScript.Step(.read(delay: .milliseconds(40), bytes: Array(b[50...])), line: 0), at: 20)
        }
        try Support.write(corrupted, profile: profile, name: "corrupted-3p")
    }

    // MARK: Contec and BerryMed

    static func snapshots(_ seconds: Range<Int>, rate: Int, top: Int, phase: inout Int,
                          _ make: (Int) -> (spo2: Int?, pulse: Int?, flags: QualityFlags)) -> [VitalSnapshot] {
        seconds.map { i in
            let m = make(i)
            let pleth = m.flags.contains(.sensorOff) ? Array(repeating: 0, count: rate)
                : Support.pleth(count: rate, pulse: m.pulse ?? 70, top: top, phase: &phase)
            return VitalSnapshot(spo2: m.spo2, pulse: m.pulse, pleth: pleth, flags: m.flags)
        }
    }

    @Test func contecFixtures() throws {
        let profile = ContecCMS50.id
        var phase = 0
        var encoder: any DeviceEncoder = ContecCMS50Encoder()
        let clean = Self.snapshots(0..<65, rate: 60, top: 100, phase: &phase) { i in (Self.spo2(i), Self.pulse(i), []) }
        try Support.write(Support.script(clean, encoder: &encoder, comments: [
            "contec-cms50: 65 s of the legacy 5-byte live stream (reference/protocols-spo2.md 3.3 [3P]),",
            "60 frames/s sent as 10 reads of 6 frames, from ContecCMS50Encoder. SpO2 96-98 %, pulse 68-76 /min,",
            "pleth 0-100 with a beat shape, signal strength 5, beep bit on each beat. 19200 8O1 [3P].",
        ]), profile: profile, name: "legacy-clean-65s-3p")

        var example = UmockdevScript(comments: [
            "contec-cms50: the reference's constructed legacy frame C5 40 07 48 61 (signal 5 + beep, pleth 0x40,",
            "bar 7, PR 72, SpO2 97), reference/protocols-spo2.md 3.3 [INFERRED], repeated for 2 s at 60 frames/s.",
        ])
        for k in 0..<20 {
            example.appendRead(Array(repeating: [0xC5, 0x40, 0x07, 0x48, 0x61], count: 6).flatMap { $0 },
                               after: .milliseconds(k == 0 ? 0 : 100))
        }
        try Support.write(example, profile: profile, name: "constructed-example-inferred")

        encoder = ContecCMS50Encoder()
        var m = Self.snapshots(0..<10, rate: 60, top: 100, phase: &phase) { i in (Self.spo2(i), Self.pulse(i), []) }
        m += Self.snapshots(10..<15, rate: 60, top: 100, phase: &phase) { _ in (96, 74, .outOfTrack) }
        m += Self.snapshots(15..<25, rate: 60, top: 100, phase: &phase) { _ in (nil, nil, .sensorOff) }
        m += Self.snapshots(25..<28, rate: 60, top: 100, phase: &phase) { i in (Self.spo2(i), Self.pulse(i), []) }
        m += Self.snapshots(28..<32, rate: 60, top: 100, phase: &phase) { _ in (nil, nil, []) }
        m += Self.snapshots(32..<40, rate: 60, top: 100, phase: &phase) { i in (Self.spo2(i), Self.pulse(i), []) }
        var missing = Support.script(m, encoder: &encoder, comments: [
            "contec-cms50: missing values and sensor off, legacy stream [3P], from ContecCMS50Encoder.",
            "10 s normal; 5 s searching-for-pulse bit (byte 3 b5) with values; 10 s finger out (byte 1 b4)",
            "with SpO2 0x7F and PR 0xFF, which the decoder reads as missing [INFERRED from BerryMed's markers];",
            "3 s normal; 4 s probe-error bit (byte 3 b4, set by hand) with 0x7F/0xFF; 8 s normal.",
        ])
        for step in 280..<320 {
            Self.mutate(&missing, step: step) { b in for f in stride(from: 0, to: b.count, by: 5) { b[f + 2] |= 0x10 } }
        }
        try Support.write(missing, profile: profile, name: "missing-and-finger-out-inferred")

        encoder = ContecCMS50Encoder()
        let base = Self.snapshots(0..<30, rate: 60, top: 100, phase: &phase) { i in (Self.spo2(i), Self.pulse(i), []) }
        var corrupted = Support.script(base, encoder: &encoder, comments: [
            "contec-cms50: corruption of the legacy stream [3P], from ContecCMS50Encoder, 30 s. Before the first",
            "frame: 23 bytes of garbage ending in a partial frame. Then, by read (10 a second, 6 frames each):",
            "read 30 byte 2 dropped; read 55 SpO2 byte of frame 2 (0-based) with bit 0 flipped (97 -> 96 for one frame);",
            "read 80 head byte of frame 3 with bit 7 cleared; read 105 0x33 inserted after byte 7; read 130 0x85",
            "inserted after byte 12; read 155 bytes 10-19 dropped; read 200 pleth byte of frame 1 with bit 7 set;",
            "read 250 a run of 0x7F x 12 appended.",
        ])
        var rng = SplitMix64(seed: 60)
        let junk = (0..<18).map { _ in UInt8(truncatingIfNeeded: rng.next()) } + [0xC5, 0x40, 0x07, 0x48]
        corrupted.steps.insert(UmockdevScript.Step(.read(delay: .zero, bytes: [0x11] + junk), line: 0), at: 0)
        let s = 1  // reads are shifted by the garbage step
        Self.mutate(&corrupted, step: s + 30) { b in b.remove(at: 2) }
        Self.mutate(&corrupted, step: s + 55) { b in b[14] ^= 0x01 }
        Self.mutate(&corrupted, step: s + 80) { b in b[15] &= 0x7F }
        Self.mutate(&corrupted, step: s + 105) { b in b.insert(0x33, at: 8) }
        Self.mutate(&corrupted, step: s + 130) { b in b.insert(0x85, at: 13) }
        Self.mutate(&corrupted, step: s + 155) { b in b.removeSubrange(10..<20) }
        Self.mutate(&corrupted, step: s + 200) { b in b[6] |= 0x80 }
        Self.mutate(&corrupted, step: s + 250) { b in b += Array(repeating: 0x7F, count: 12) }
        try Support.write(corrupted, profile: profile, name: "corrupted-3p")
    }

    @Test func berryMedFixtures() throws {
        let profile = BerryMed.id
        var phase = 0
        var encoder: any DeviceEncoder = BerryMedEncoder()
        let clean = Self.snapshots(0..<65, rate: 100, top: 100, phase: &phase) { i in (Self.spo2(i), Self.pulse(i), []) }
        try Support.write(Support.script(clean, encoder: &encoder, comments: [
            "berrymed: 65 s of BCI protocol v1.2 frames (reference/protocols-spo2.md 5.1 [SPEC]), 100 frames/s",
            "sent as 10 reads of 10 frames, from BerryMedEncoder. SpO2 96-98 %, pulse 68-76 /min, pleth 0-100,",
            "signal strength 5, beep bit on each beat. The baud rate is not in the spec (profile: 115200, uncertain).",
        ]), profile: profile, name: "clean-65s")

        encoder = BerryMedEncoder()
        var m = Self.snapshots(0..<10, rate: 100, top: 100, phase: &phase) { i in (Self.spo2(i), Self.pulse(i), []) }
        m += Self.snapshots(10..<15, rate: 100, top: 100, phase: &phase) { _ in (95, 75, .outOfTrack) }
        m += Self.snapshots(15..<22, rate: 100, top: 100, phase: &phase) { _ in (nil, nil, .sensorOff) }
        m += Self.snapshots(22..<25, rate: 100, top: 100, phase: &phase) { i in (Self.spo2(i), Self.pulse(i), []) }
        m += Self.snapshots(25..<30, rate: 100, top: 100, phase: &phase) { _ in (nil, nil, []) }
        m += Self.snapshots(30..<33, rate: 100, top: 100, phase: &phase) { _ in (nil, 90, []) }
        m += Self.snapshots(33..<43, rate: 100, top: 100, phase: &phase) { i in (Self.spo2(i), Self.pulse(i), []) }
        var missing = Support.script(m, encoder: &encoder, comments: [
            "berrymed: missing values and sensor off, BCI v1.2 [SPEC], from BerryMedEncoder. 10 s normal;",
            "5 s pulse search (byte 3 b5) with values; 7 s no finger (byte 3 b4) with SpO2 0x7F and PR 0xFF",
            "(the spec's invalid markers); 3 s normal; 5 s probe unplugged (byte 1 b5, set by hand) with",
            "0x7F/0xFF; 3 s no signal (byte 1 b4, set by hand) with SpO2 0x7F and PR 90; 10 s normal.",
        ])
        for step in 250..<300 {
            Self.mutate(&missing, step: step) { b in for f in stride(from: 0, to: b.count, by: 5) { b[f] |= 0x20 } }
        }
        for step in 300..<330 {
            Self.mutate(&missing, step: step) { b in for f in stride(from: 0, to: b.count, by: 5) { b[f] |= 0x10 } }
        }
        try Support.write(missing, profile: profile, name: "missing-and-sensor-off")

        encoder = BerryMedEncoder()
        let base = Self.snapshots(0..<30, rate: 100, top: 100, phase: &phase) { i in (Self.spo2(i), Self.pulse(i), []) }
        var corrupted = Support.script(base, encoder: &encoder, comments: [
            "berrymed: corruption of BCI v1.2 frames [SPEC], from BerryMedEncoder, 30 s. Before the first frame:",
            "30 bytes of garbage ending in a partial frame. Then, by read (10 a second, 10 frames each):",
            "read 30 byte 2 dropped; read 55 SpO2 byte of frame 2 (0-based) with bit 1 flipped (97 -> 99, one frame);",
            "read 80 head byte of frame 3 with bit 7 cleared; read 105 0x33 inserted after byte 7; read 130 0x85",
            "inserted after byte 12; read 155 bytes 10-29 dropped; read 200 pleth byte 0x65 (101, out of range)",
            "in frame 1; read 250 signal strength 15 (out of range) in frame 3.",
        ])
        var rng = SplitMix64(seed: 100)
        let junk = (0..<27).map { _ in UInt8(truncatingIfNeeded: rng.next()) } + [0x85, 0x40, 0x07]
        corrupted.steps.insert(UmockdevScript.Step(.read(delay: .zero, bytes: junk), line: 0), at: 0)
        let s = 1
        Self.mutate(&corrupted, step: s + 30) { b in b.remove(at: 2) }
        Self.mutate(&corrupted, step: s + 55) { b in b[14] ^= 0x02 }
        Self.mutate(&corrupted, step: s + 80) { b in b[15] &= 0x7F }
        Self.mutate(&corrupted, step: s + 105) { b in b.insert(0x33, at: 8) }
        Self.mutate(&corrupted, step: s + 130) { b in b.insert(0x85, at: 13) }
        Self.mutate(&corrupted, step: s + 155) { b in b.removeSubrange(10..<30) }
        Self.mutate(&corrupted, step: s + 200) { b in b[6] = 0x65 }
        Self.mutate(&corrupted, step: s + 250) { b in b[15] |= 0x0F }
        try Support.write(corrupted, profile: profile, name: "corrupted")
    }
}
