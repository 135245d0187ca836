import Testing
import VitalsCore
@testable import DeviceProtocols

/// Masimo ASCII 1 / ASCII 2 lines, read by name (reference/protocols-spo2.md 2).
@Suite struct MasimoASCIITests {
    static let stamp = "03/14/12 10:21:33"
    static let time = DeviceTime(year: 2012, month: 3, day: 14, hour: 10, minute: 21, second: 33)!

    static func decode(_ text: String) -> (events: [DecoderEvent], stats: DecoderStatistics) {
        var d = MasimoASCIIDecoder()
        let e = d.decode(Array(text.utf8))
        return (e, d.statistics)
    }

    /// Events as short strings: `spo2=97 [flags]`, `status kind code detail`.
    static func brief(_ events: [DecoderEvent]) -> [String] {
        events.compactMap { e -> String? in
            switch e {
            case .reading(let r):
                let v = r.value == r.value.rounded() ? String(Int(r.value)) : String(r.value)
                return "\(r.metric.name)=\(v) [\(r.flags.names.joined(separator: ","))]"
            case .status(let s):
                let code = s.code.map { " 0x" + String($0, radix: 16, uppercase: true) } ?? ""
                let metric = s.metric.map { " " + $0.name } ?? ""
                return "\(s.kind.rawValue)\(metric)\(code) \(s.detail)"
            case .waveform:
                return nil
            }
        }
    }

    /// The lines the reference quotes, each after a date and time (the ASCII 1 examples are
    /// quoted without theirs). Sources: MD PnP poxrad_discrete.h (Radical-5, Radical-7) [3P];
    /// remkolems/masimo-datacapture (Radical-7 blue, rainbow) [3P]; Rad-8 operator's manual trend
    /// format (ASCII 2) [SPEC].
    @Test(arguments: [
        ("SPO2=097% BPM=064 PI=11.82% ALARM=20 EXC=800", [
            "device-alarm 0x20 alarm silenced",
            "spo2=97 []", "pulse=64 []", "pi=11.82 []",
        ]),
        ("SN=0123456789 SPO2=098% BPM=240 PI=20.00% SPCO=01.0% SPMET=00.5% DESAT=01 PIDELTA=-02 PVI=027 ALARM=0000 EXC=000820", [
            "info serial number 0123456789",
            "device-exception 0x820 sensor off patient",
            "sensor-off sensor off patient",
            "spo2=98 [sensor-off,device-exception]", "pulse=240 [sensor-off,device-exception]",
            "pi=20 [sensor-off,device-exception]",
        ]),
        ("SN=---------- SPO2=---% BPM=--- PI=--.--% SPCO=--.-% SPMET=--.-% DESAT=-- PIDELTA=+-- PVI=--- ALARM=0000 EXC=000000", [
            "value-missing spo2 SPO2=---%", "value-missing pulse BPM=---", "value-missing pi PI=--.--%",
        ]),
        ("SN=---------- SPO2=098% BPM=123 PI=00.55 SPCO=--% SPMET=--.-% SPHB=--.- SPOC=-- RESVD=--- DESAT=-- PIDELTA=+-- PVI=--- ALARM=000000 EXC=0000C00 EXC1=00000000", [
            "device-exception 0xC00 low signal IQ",
            "spo2=98 [device-exception,low-confidence]", "pulse=123 [device-exception,low-confidence]",
            "pi=0.55 [device-exception,low-confidence]",
        ]),
        ("SpO2=097 PR=069 PI=04.69 EXC=800:SET", ["spo2=97 []", "pulse=69 []", "pi=4.69 []"]),
        ("SpO2=000 PR=000 PI=00.00 EXC=828:Search,OffPat,SET", [
            "device-exception 0x828 pulse search, sensor off patient",
            "sensor-off pulse search, sensor off patient",
            "value-missing spo2 SpO2=000", "value-missing pulse PR=000", "value-missing pi PI=00.00",
        ]),
    ])
    func publishedLines(_ tokens: String, _ expected: [String]) {
        let (events, stats) = Self.decode("\(Self.stamp) \(tokens)\r\n")
        #expect(Self.brief(events) == expected)
        #expect(stats.frames == 1 && stats.badFrames == 0)
        for e in events {
            switch e {
            case .reading(let r): #expect(r.deviceTime == Self.time)
            case .status(let s): #expect(s.deviceTime == Self.time)
            case .waveform: Issue.record("no waveform expected")
            }
        }
    }

    /// Order, spacing, tabs, case and unknown tokens do not matter.
    @Test func tokensAreReadByName() {
        let canonical = Self.decode("\(Self.stamp) SPO2=097% BPM=064 PI=04.69% ALARM=0000 EXC=000804\r\n").events
        let shuffled = Self.decode("  \(Self.stamp)\t NEWTHING=42  exc=000804 PI=04.69%   Spo2=097 XYZ bpm=064 ALARM=0  \r\n").events
        #expect(shuffled == canonical)
        #expect(Self.brief(canonical).last == "pi=4.69 [low-perfusion,device-exception]")
    }

    /// A value that fails its exact syntax or `Metric.plausibleRange`: no reading for it, a
    /// status naming the metric (even before sync was ever had: the line is a data line), and the
    /// line's other well-formed values still count.
    @Test(arguments: [
        ("SPO2=150% BPM=064", "value-implausible spo2 SPO2=150: 150 % is outside 0-100", "pulse=64 []"),
        ("SPO2=097% BPM=301", "value-implausible pulse BPM=301: 301 /min is outside 20-300", "spo2=97 []"),
        ("SPO2=097% BPM=019", "value-implausible pulse BPM=19: 19 /min is outside 20-300", "spo2=97 []"),
        ("SPO2=97% BPM=064", "field-malformed spo2 SPO2=97%: not a 3-digit number", "pulse=64 []"),
        ("SPO2=0977% BPM=064", "field-malformed spo2 SPO2=0977%: not a 3-digit number", "pulse=64 []"),
        ("SPO2=9x7% BPM=064", "field-malformed spo2 SPO2=9x7%: not a 3-digit number", "pulse=64 []"),
        ("SPO2=097%% BPM=064", "field-malformed spo2 SPO2=097%%: not a 3-digit number", "pulse=64 []"),
        ("SPO2=097% PI=4.69", "field-malformed pi PI=4.69: not a NN.NN number", "spo2=97 []"),
        ("SPO2=097% PI=100.01", "field-malformed pi PI=100.01: not a NN.NN number", "spo2=97 []"),
    ])
    func badValues(_ tokens: String, _ status: String, _ reading: String) {
        let (events, stats) = Self.decode("\(Self.stamp) \(tokens)\r\n")
        #expect(Self.brief(events) == [reading, status] || Self.brief(events) == [status, reading])
        #expect(stats.frames == 1 && stats.badFrames == 0)
    }

    /// Data lines that cannot be used as a whole: one field-malformed, no reading, a bad frame.
    @Test(arguments: [
        "SPO2=097% EXC=80G",            // EXC not hex: the flags would be unknown
        "SPO2=097% ALARM=123456789",    // ALARM too long
        "SPO2=097% SPO2=098%",          // given twice
        "SPO2=097% BPM=064 PR=064",     // pulse given twice
        "EXC=800 ALARM=0000",           // no vital at all
    ])
    func rejectedLines(_ tokens: String) {
        let (events, stats) = Self.decode("\(Self.stamp) \(tokens)\r\n")
        #expect(OximeterTestSupport.readings(events).isEmpty)
        #expect(OximeterTestSupport.statuses(events).map(\.kind) == [.fieldMalformed])
        #expect(stats.frames == 0 && stats.badFrames == 1)
    }

    /// Lines that are not data lines (no date and time, a byte that is not ASCII): no reading and
    /// no status before sync was ever had.
    @Test(arguments: [
        "SPO2=097% BPM=064",                            // no date or time
        "03/14/12 SPO2=097% BPM=064",                   // no time
        "03/14/12 10:21:33 SPO2=097%\u{7F} BPM=064",    // not printable
        "03/14/12 10:21:33 SPO2=097%\u{E9} BPM=064",    // not ASCII
    ])
    func rejectedDatesAndBytes(_ line: String) {
        let (events, stats) = Self.decode(line + "\r\n")
        #expect(events.isEmpty && stats.badFrames == 1)
    }

    /// A well-formed but impossible device clock: one clock-invalid status when the clock turns
    /// bad, and the readings stand without a device time (they keep host time).
    @Test(arguments: [
        "00/00/00 00:00:00",  // a clock never set
        "13/14/12 10:21:33",  // month 13
        "02/30/12 10:21:33",  // 30 February
        "03/14/12 24:21:33",  // hour 24
    ])
    func impossibleClockIsAStatusAndTheReadingsKeepHostTime(_ clock: String) {
        let line = "\(clock) SPO2=097% BPM=064\r\n"
        let (events, stats) = Self.decode(line + line + "\(Self.stamp) SPO2=096% BPM=065\r\n")
        #expect(OximeterTestSupport.statuses(events).map(\.kind) == [.clockInvalid])
        #expect(OximeterTestSupport.statuses(events).first?.detail.contains(clock) == true)
        let readings = OximeterTestSupport.readings(events)
        #expect(readings.map(\.value) == [97, 64, 97, 64, 96, 65])
        #expect(readings.prefix(4).allSatisfy { $0.deviceTime == nil })
        #expect(readings.suffix(2).allSatisfy { $0.deviceTime == Self.time })
        #expect(stats.frames == 3 && stats.badFrames == 0)
    }

    /// A garbage line after a good one loses sync once (with the line's offset and reason); the
    /// next good line finds it again, with the count of what was skipped.
    @Test func syncLostAndAcquired() {
        let good = "\(Self.stamp) SPO2=097% BPM=064\r\n"
        let bad = "0\u{E9}/14/12 10:21:33 SPO2=097% BPM=064\r\n"
        let (events, stats) = Self.decode(good + bad + bad + good)
        let statuses = OximeterTestSupport.statuses(events)
        #expect(statuses.map(\.kind) == [.syncLost, .syncAcquired])
        #expect(statuses[0].byteOffset == good.utf8.count)
        #expect(statuses[0].detail == "line rejected: byte 0xC3 is not printable ASCII")
        #expect(statuses[1].byteOffset == good.utf8.count + 2 * bad.utf8.count)
        let skipped = 2 * (bad.utf8.count - 2)
        #expect(statuses[1].code == UInt32(skipped) && statuses[1].detail == "after \(skipped) skipped bytes and 2 bad frames")
        #expect(stats.frames == 2 && stats.badFrames == 2 && stats.resyncs == 1)
        #expect(stats.skippedBytes == skipped)
    }

    /// Line noise (issue 13.3): a NUL before each line (Radical-7), a BREAK, XON/XOFF between lines
    /// are skipped and counted, and cost no line. The issue's smallest input first.
    @Test func controlBytesCostNoLine() {
        let (events, stats) = Self.decode("\u{0}03/19/16 13:37:12 SPO2=097% BPM=064 PI=02.10% ALARM=0000 EXC=000800\r\n")
        #expect(Self.brief(events).filter { !$0.hasPrefix("device-") } == ["spo2=97 []", "pulse=64 []", "pi=2.1 []"])
        #expect(stats.controlBytes == 1 && stats.frames == 1 && stats.badFrames == 0 && stats.skippedBytes == 0)
        let noisy = "\u{11}\u{0}\(Self.stamp) SPO2=097% BPM=064\u{13}\r\n\u{0}\u{0}\u{0}\(Self.stamp) SPO2=096% BPM=0\u{11}65\r\n\u{0}"
        let (e2, s2) = Self.decode(noisy)
        #expect(OximeterTestSupport.readings(e2).map(\.value) == [97, 64, 96, 65])
        #expect(OximeterTestSupport.statuses(e2).isEmpty)
        #expect(s2.controlBytes == 8 && s2.badFrames == 0)
    }

    /// CR LF, lone LF, lone CR and LF CR all end lines; empty lines are nothing.
    @Test func lineEndings() {
        let a = "\(Self.stamp) SPO2=097% BPM=064"
        let b = "\(Self.stamp) SPO2=096% BPM=065"
        let reference = Self.decode(a + "\r\n" + b + "\r\n").events
        #expect(OximeterTestSupport.values(reference).map(\.1) == [97, 64, 96, 65])
        for ending in ["\n", "\r", "\n\r", "\r\n\r\n"] {
            #expect(Self.decode(a + ending + b + ending).events == reference)
        }
    }

    /// A very long line without an end is one bad frame; it is dropped without being kept, and
    /// the next line decodes.
    @Test func veryLongGarbageLine() {
        let garbage = String(repeating: "x", count: 100_000)
        let (events, stats) = Self.decode("\(Self.stamp) SPO2=097% BPM=064\r\n" + garbage + "\r\n\(Self.stamp) SPO2=096% BPM=065\r\n")
        #expect(OximeterTestSupport.values(events).map(\.1) == [97, 64, 96, 65])
        #expect(stats.badFrames == 1 && stats.skippedBytes == 100_000)
        let lost = OximeterTestSupport.statuses(events).filter { $0.kind == .syncLost }
        #expect(lost.count == 1 && lost[0].detail.contains("longer than 512"))
    }

    /// Garbage that never ends a line is not kept: the buffer stays within the line limit.
    @Test func endlessGarbageIsNotBuffered() {
        var decoder = MasimoASCIIDecoder()
        var events: [DecoderEvent] = []
        let chunk = [UInt8](repeating: 0x41, count: 1000)
        for _ in 0..<1000 {
            decoder.decode(chunk, into: &events)
            #expect(decoder.bufferedBytes <= MasimoASCIILine.maxLength)
        }
        #expect(decoder.statistics.badFrames == 1 && decoder.statistics.skippedBytes == 1_000_000)
        decoder.decode(Array("\r\n\(Self.stamp) SPO2=097%\r\n".utf8), into: &events)
        #expect(OximeterTestSupport.values(events).map(\.1) == [97])
    }

    /// Each EXC bit alone, written out from the reference's tables (12-bit [SPEC], 24-bit [3P]).
    static let exceptionCases: [(UInt32, QualityFlags)] = [
        (0x001, QualityFlags.sensorOff),
        (0x002, .sensorOff),
        (0x004, .lowPerfusion),
        (0x008, .outOfTrack),
        (0x010, .artifact),
        (0x020, .sensorOff),
        (0x040, .artifact),
        (0x080, .sensorOff),
        (0x100, QualityFlags()),
        (0x200, QualityFlags()),
        (0x400, .lowConfidence),
        (0x001000, .sensorOff),
        (0x002000, QualityFlags()),
        (0x004000, .sensorOff),
        (0x008000, .sensorOff),
        (0x010000, .sensorOff),
        (0x020000, .lowConfidence),
        (0x040000, QualityFlags()),
        (0x200000, QualityFlags()),
        (0x1000000, QualityFlags()),  // not in any table
    ]

    @Test(arguments: exceptionCases)
    func exceptionBit(_ bit: UInt32, _ flags: QualityFlags) {
        #expect(MasimoExceptionBits.flags(for: bit) == flags.union(.deviceException))
        #expect(MasimoExceptionBits.flags(for: bit | 0x800) == flags.union(.deviceException))
        let hex = String(bit | 0x800, radix: 16, uppercase: true)
        let (events, _) = Self.decode("\(Self.stamp) SPO2=097% EXC=\(hex)\r\n")
        #expect(OximeterTestSupport.readings(events).map(\.flags) == [flags.union(.deviceException)])
        let exc = OximeterTestSupport.statuses(events).filter { $0.kind == .deviceException }
        #expect(exc.map(\.code) == [bit | 0x800])
    }

    @Test func setAloneIsNoException() {
        #expect(MasimoExceptionBits.flags(for: 0x800) == [])
        #expect(MasimoExceptionBits.flags(for: 0) == [])
        #expect(Self.decode("\(Self.stamp) SPO2=097% EXC=000800\r\n").events == [
            .reading(Reading(metric: .spo2, value: 97, deviceTime: Self.time)),
        ])
    }

    /// Each ALARM bit alone ([3P] table).
    static let alarmCases: [(UInt32, QualityFlags)] = [
        (0x0001, QualityFlags.deviceAlarm), (0x0002, .deviceAlarm), (0x0004, .deviceAlarm),
        (0x0008, .deviceAlarm), (0x0010, .deviceAlarm), (0x0020, QualityFlags()),
        (0x0040, [.deviceAlarm, .lowBattery]), (0x0080, QualityFlags()), (0x0100, .deviceAlarm),
        (0x0200, .deviceAlarm), (0x0400, .deviceAlarm), (0x0800, .deviceAlarm), (0x1000, .deviceAlarm),
        (0x2000, .deviceAlarm), (0x4000, .deviceAlarm),  // unknown bit: still an alarm
    ]

    @Test(arguments: alarmCases)
    func alarmBit(_ bit: UInt32, _ flags: QualityFlags) {
        let hex = String(bit, radix: 16, uppercase: true)
        let (events, _) = Self.decode("\(Self.stamp) BPM=064 ALARM=\(hex)\r\n")
        #expect(OximeterTestSupport.readings(events).map(\.flags) == [flags])
        #expect(OximeterTestSupport.statuses(events).filter { $0.kind == .deviceAlarm }.map(\.code) == [bit])
    }

    /// Exception, alarm and sensor statuses come on changes only.
    @Test func statusesOnChangeOnly() {
        let lines = [("000800", "0000"), ("000800", "0000"), ("000820", "0012"), ("000820", "0012"),
                     ("000800", "0000"), ("000800", "0000")]
        let text = lines.map { "\(Self.stamp) SPO2=097% ALARM=\($0.1) EXC=\($0.0)\r\n" }.joined()
        let statuses = OximeterTestSupport.statuses(Self.decode(text).events)
        #expect(statuses.map { "\($0.kind.rawValue) \($0.code.map { String($0, radix: 16) } ?? "-")" } == [
            "device-exception 820", "sensor-off -", "device-alarm 12",
            "device-exception 800", "sensor-on -", "device-alarm 0",
        ])
        #expect(statuses[2].detail == "SpO2 low limit, alarm active")
        #expect(statuses[3].detail == "no exceptions (Masimo SET)")
    }

    /// The encoder writes the Radical-7 line shape, with a date from the snapshot.
    @Test func encoderLine() throws {
        var encoder = MasimoASCIIEncoder()
        let t = try #require(DeviceTime(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 58))
        let chunks = encoder.encode(VitalSnapshot(spo2: 97, pulse: 64, perfusionIndex: 4.69, deviceTime: t))
        #expect(chunks.count == 1 && chunks[0].offset == .zero)
        #expect(String(decoding: chunks[0].bytes, as: UTF8.self) ==
            "02/29/24 23:59:58 SN=---------- SPO2=097% BPM=064 PI=04.69% SPCO=--.-% SPMET=--.-% DESAT=-- PIDELTA=+-- PVI=--- ALARM=0000 EXC=000800\r\n")
        let missing = MasimoASCIIEncoder.line(for: VitalSnapshot(flags: [.sensorOff, .deviceAlarm]), at: t)
        #expect(missing.contains("SPO2=---% BPM=--- PI=--.--%") && missing.hasSuffix("ALARM=0010 EXC=000820\r\n"))
        let coded = MasimoASCIIEncoder.line(for: VitalSnapshot(spo2: 90, deviceCode: 0x0003_0C04), at: t)
        #expect(coded.hasSuffix("ALARM=0003 EXC=000C04\r\n"))
    }

    /// Without a device time the encoder's clock starts at a fixed point and ticks a second a line.
    @Test func encoderDefaultClock() {
        var encoder = MasimoASCIIEncoder()
        let a = String(decoding: encoder.encodeBytes(VitalSnapshot(spo2: 97)), as: UTF8.self)
        let b = String(decoding: encoder.encodeBytes(VitalSnapshot(spo2: 97)), as: UTF8.self)
        #expect(a.hasPrefix("01/01/26 09:00:00 ") && b.hasPrefix("01/01/26 09:00:01 "))
        #expect(MasimoASCIIEncoder.stamp(DeviceTime(year: 1999, month: 12, day: 31, hour: 0, minute: 0, second: 7)!) == "12/31/99 00:00:07")
    }

    static func randomSnapshot(_ rng: inout SplitMix64) -> VitalSnapshot {
        var flags: QualityFlags = []
        for f in [QualityFlags.sensorOff, .lowPerfusion, .outOfTrack, .artifact, .lowConfidence, .deviceAlarm, .lowBattery]
        where rng.next() % 4 == 0 { flags.insert(f) }
        let code: UInt32? = rng.next() % 3 == 0 ? UInt32(truncatingIfNeeded: rng.next()) & 0x3FFF_FFFF : nil
        // Two-digit years: the device's clock is somewhere in 2000-2099.
        let time = DeviceTime(milliseconds: (946_684_800 + Int64(rng.next() % 3_155_673_600)) * 1000, kind: .clock)
        return VitalSnapshot(
            spo2: rng.next() % 6 == 0 ? nil : Int(rng.next() % 100) + 1,
            pulse: rng.next() % 6 == 0 ? nil : Int(rng.next() % 281) + 20,  // Metric.pulse.plausibleRange
            perfusionIndex: rng.next() % 6 == 0 ? nil : Double(rng.next() % 2000 + 1) / 100,
            flags: flags, deviceCode: code, deviceTime: rng.next() % 2 == 0 ? time : nil)
    }

    /// Property: random values, flags and codes come back through encode and decode, line by line.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func encodeThenDecode(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var encoder = MasimoASCIIEncoder()
        var decoder = MasimoASCIIDecoder()
        for _ in 0..<300 {
            let s = Self.randomSnapshot(&rng)
            let events = decoder.decode(encoder.encodeBytes(s))
            let exc = MasimoASCIIEncoder.exceptionBits(for: s)
            let alarm = MasimoASCIIEncoder.alarmBits(for: s)
            // Flags asked for come back, plus what the device code's bits add.
            var flags = s.flags.intersection([.sensorOff, .lowPerfusion, .outOfTrack, .artifact, .lowConfidence, .deviceAlarm, .lowBattery])
            flags.formUnion(MasimoExceptionBits.flags(for: exc))
            flags.formUnion(MasimoAlarmBits.flags(for: alarm))
            if s.deviceCode == nil, !s.flags.isDisjoint(with: [.sensorOff, .lowPerfusion, .outOfTrack, .artifact, .lowConfidence]) {
                #expect(flags.contains(.deviceException))
            }
            let readings = OximeterTestSupport.readings(events)
            let missing = OximeterTestSupport.statuses(events).filter { $0.kind == .valueMissing }.compactMap(\.metric)
            var want: [Reading] = []
            var wantMissing: [Metric] = []
            let time = readings.first?.deviceTime
            if let v = s.spo2 { want.append(Reading(metric: .spo2, value: Double(v), flags: flags, deviceTime: time)) } else { wantMissing.append(.spo2) }
            if let v = s.pulse { want.append(Reading(metric: .pulse, value: Double(v), flags: flags, deviceTime: time)) } else { wantMissing.append(.pulse) }
            if let v = s.perfusionIndex { want.append(Reading(metric: .pi, value: v, flags: flags, deviceTime: time)) } else { wantMissing.append(.pi) }
            #expect(readings == want)
            #expect(missing == wantMissing)
            if let given = s.deviceTime, let time { #expect(time == given) }
        }
        #expect(decoder.statistics.frames == 300 && decoder.statistics.badFrames == 0)
    }

    static func stream(seed: UInt64, lines: Int) -> (bytes: [UInt8], lineStarts: [Int], values: Set<String>) {
        var rng = SplitMix64(seed: seed)
        var encoder = MasimoASCIIEncoder()
        var bytes: [UInt8] = []
        var starts: [Int] = []
        var values: Set<String> = []
        for _ in 0..<lines {
            let s = randomSnapshot(&rng)
            starts.append(bytes.count)
            bytes += encoder.encodeBytes(s)
            if let v = s.spo2 { values.insert("spo2=\(Double(v))") }
            if let v = s.pulse { values.insert("pulse=\(Double(v))") }
            if let v = s.perfusionIndex { values.insert("pi=\(v)") }
        }
        return (bytes, starts, values)
    }

    @Test func anyChunkingGivesTheSameEvents() {
        var (bytes, _, _) = Self.stream(seed: 5, lines: 40)
        for i in stride(from: 50, to: bytes.count, by: 777) { bytes[i] ^= 0x40 }
        let whole = FixtureSupport.decode(bytes, profile: MasimoASCII.self, chunks: [])
        #expect(OximeterTestSupport.statuses(whole).contains { $0.kind == .syncLost })
        #expect(FixtureSupport.decode(bytes, profile: MasimoASCII.self, chunks: [1]) == whole)
        for seed in UInt64(1)...6 {
            #expect(FixtureSupport.decode(bytes, profile: MasimoASCII.self, chunks: FixtureSupport.randomChunks(seed: seed, maxSize: 90)) == whole)
        }
    }

    /// Damage (a dropped byte, an inserted byte, or a flip of bit 4-7) in some lines never yields
    /// a value that was not sent, and the line after the damaged one decodes. Flips of bits 0-3
    /// are left out on purpose: with no checksum, `7` turned into `3` is still a valid line.
    @Test(arguments: [UInt64(31), 32, 33, 34, 35])
    func corruptionNeverYieldsAWrongReading(seed: UInt64) {
        let (clean, starts, values) = Self.stream(seed: seed, lines: 120)
        var rng = SplitMix64(seed: seed ^ 0xFFFF)
        var bytes = clean
        var damaged = 0
        // Damage every third line, from the last so earlier offsets stay valid.
        for line in stride(from: starts.count - 2, to: 0, by: -3) {
            let length = starts[line + 1] - starts[line]
            let index = starts[line] + Int(rng.next() % UInt64(length))
            switch rng.next() % 3 {
            case 0: bytes = OximeterTestSupport.damaged(bytes, .flip, at: index, bit: 4 + Int(rng.next() % 4))
            case 1: bytes = OximeterTestSupport.damaged(bytes, .drop, at: index)
            default: bytes = OximeterTestSupport.damaged(bytes, .insert, at: index, byte: UInt8(truncatingIfNeeded: rng.next()))
            }
            damaged += 1
        }
        var decoder = MasimoASCIIDecoder()
        let events = decoder.decode(bytes)
        for (metric, value) in OximeterTestSupport.values(events) {
            #expect(values.contains("\(metric.name)=\(value)"), "\(metric.name) \(value) was never sent")
        }
        #expect(decoder.statistics.frames >= 120 - damaged)
    }

    @Test func randomBytesNeverCrash() {
        var rng = SplitMix64(seed: 77)
        let alphabet = Array("0123456789SPOBMIEXCALR=%-./: \r\n".utf8)
        for printable in [false, true] {
            let bytes = (0..<300_000).map { _ in
                printable ? alphabet[Int(rng.next() % UInt64(alphabet.count))] : UInt8(truncatingIfNeeded: rng.next())
            }
            var decoder = MasimoASCIIDecoder()
            var events: [DecoderEvent] = []
            var i = 0
            while i < bytes.count {
                let end = min(bytes.count, i + Int(rng.next() % 64) + 1)
                decoder.decode(bytes[i..<end], into: &events)
                i = end
            }
            #expect(decoder.statistics.bytes == bytes.count)
            #expect(decoder.statistics.badFrames > 0)
        }
    }

    @Test func profile() {
        #expect(MasimoASCII.id == "masimo-ascii")
        #expect(MasimoASCII.serial.description == "9600 8N1")
        #expect(MasimoASCII.serial.note.contains("[SPEC]"))
        #expect(MasimoASCII.usbMatches.isEmpty)
        #expect(MasimoASCII.metrics == [.spo2, .pulse, .pi])
        #expect(MasimoASCII.makeDecoder() is MasimoASCIIDecoder)
    }
}
