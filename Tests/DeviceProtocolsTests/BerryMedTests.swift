import Testing
import VitalsCore
@testable import DeviceProtocols

/// BerryMed BCI v1.2 fields, flags, markers and range checks, byte by byte
/// (reference/protocols-spo2.md 5.1).
@Suite struct BerryMedTests {
    static func repeated(_ frame: [UInt8], _ count: Int) -> [UInt8] {
        Array((0..<count).map { _ in frame }.joined())
    }

    static func decode(_ bytes: [UInt8]) -> (events: [DecoderEvent], stats: DecoderStatistics) {
        var d = BerryMedDecoder()
        let e = d.decode(bytes)
        return (e, d.statistics)
    }

    /// A frame built from the spec table: beep, signal 6, pleth 55, bar 9, PR 150 (bit 7 in byte 3
    /// bit 6), SpO2 98.
    @Test func frameFieldsFollowTheSpec() throws {
        let bytes: [UInt8] = [0x80 | 0x40 | 6, 55, 0x40 | 9, 150 & 0x7F, 98]
        let frame = try #require(BerryMedFrame(bytes[0], bytes[1], bytes[2], bytes[3], bytes[4]))
        #expect(frame.beep && frame.signalStrength == 6 && frame.plethValue == 55 && frame.bar == 9)
        #expect(frame.pulseRaw == 150 && frame.spo2Raw == 98)
        #expect(frame.bytes == bytes)
    }

    /// 100 frames a second give one SpO2 and one pulse reading a second, not a hundred.
    @Test func oneReadingASecond() {
        let (events, stats) = Self.decode(Self.repeated([0x85, 40, 0x07, 72, 97], 300))
        #expect(stats.frames == 300)
        #expect(OximeterTestSupport.values(events).map(\.1) == [97, 72, 97, 72, 97, 72])
        let waves = OximeterTestSupport.waveforms(events)
        #expect(waves.count == 15 && waves.allSatisfy { $0.samples.count == 20 && $0.sampleRate == 100 })
    }

    @Test(arguments: [
        // (byte 1 extra bits, byte 3 extra bits, flags, sensor-off detail)
        (UInt8(0x20), UInt8(0x00), QualityFlags.sensorOff, "probe unplugged"),
        (0x00, 0x10, .sensorOff, "no finger"),
        (0x20, 0x10, .sensorOff, "probe unplugged, no finger"),
        (0x10, 0x00, .outOfTrack, ""),  // no signal
        (0x00, 0x20, .outOfTrack, ""),  // pulse search
        (0x40, 0x00, QualityFlags(), ""),  // pulse beep
    ])
    func statusBits(b1: UInt8, b3: UInt8, flags: QualityFlags, detail: String) {
        let (events, stats) = Self.decode(Self.repeated([0x85 | b1, 40, 0x07 | b3, 72, 97], 100))
        #expect(stats.frames == 100)
        #expect(OximeterTestSupport.readings(events).map(\.flags) == [flags, flags])
        let sensor = OximeterTestSupport.statuses(events).filter { $0.kind == .sensorOff }
        #expect(sensor.map(\.detail) == (detail.isEmpty ? [] : [detail]))
    }

    /// The spec's invalid markers, pulse 0xFF and SpO2 0x7F (and 0, [INFERRED]), give
    /// `value-missing` statuses, never readings.
    @Test(arguments: [(0x7F, 72, Metric.spo2), (0, 72, .spo2), (97, 0xFF, .pulse), (97, 0, .pulse)])
    func missingMarkersGiveStatuses(spo2: Int, pulse: Int, missing: Metric) {
        let frame = BerryMedFrame(signalStrength: 0, pleth: 0, noFinger: true, bar: 0, pulseRaw: pulse, spo2Raw: spo2)
        let (events, _) = Self.decode(Self.repeated(frame.bytes, 200))
        #expect(!OximeterTestSupport.readings(events).contains { $0.metric == missing })
        #expect(OximeterTestSupport.statuses(events).filter { $0.kind == .valueMissing }.map(\.metric) == [missing, missing])
    }

    /// The full missing frame: 0xFF pulse is byte 3 bit 6 set and byte 4 0x7F.
    @Test func missingPulseBytes() {
        let frame = BerryMedFrame(signalStrength: 0, pleth: 0, bar: 0, pulseRaw: 0xFF, spo2Raw: 0x7F)
        #expect(frame.bytes == [0x80, 0x00, 0x40, 0x7F, 0x7F])
    }

    /// Range checks of the spec: pleth over 100, signal strength over 8, SpO2 101-126.
    @Test(arguments: [
        [UInt8(0x89), 40, 0x07, 72, 97],
        [0x85, 101, 0x07, 72, 97],
        [0x85, 40, 0x07, 72, 101],
        [0x85, 40, 0x07, 72, 126],
    ])
    func outOfRangeFramesAreBad(_ frame: [UInt8]) {
        let (events, stats) = Self.decode(Self.repeated(frame, 100))
        #expect(OximeterTestSupport.readings(events).isEmpty)
        #expect(stats.frames == 0 && stats.badFrames == 100)
    }

    @Test func profile() {
        #expect(BerryMed.id == "berrymed")
        #expect(BerryMed.serial.baudRate == 115200)
        #expect(BerryMed.serial.note.hasPrefix("UNCERTAIN"))
        #expect(BerryMed.usbMatches.isEmpty)
        #expect(BerryMed.metrics == [.spo2, .pulse, .pleth])
        var encoder = BerryMed.makeEncoder()
        let chunks = encoder.encode(VitalSnapshot(spo2: 97, pulse: 72))
        #expect(chunks.count == 10 && chunks.allSatisfy { $0.bytes.count == 50 })
        #expect(chunks.last?.offset == .milliseconds(900))
    }
}
