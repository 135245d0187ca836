import Testing
import VitalsCore
@testable import DeviceProtocols

/// The Contec legacy stream's fields, flags, markers and range checks, byte by byte
/// (reference/protocols-spo2.md 3.3).
@Suite struct ContecCMS50Tests {
    /// `count` copies of one frame.
    static func repeated(_ frame: [UInt8], _ count: Int) -> [UInt8] {
        Array((0..<count).map { _ in frame }.joined())
    }

    static func decode(_ bytes: [UInt8]) -> (events: [DecoderEvent], stats: DecoderStatistics) {
        var d = ContecCMS50Decoder()
        let e = d.decode(bytes)
        return (e, d.statistics)
    }

    /// The reference's constructed example [INFERRED]: signal 5 + beep, pleth 0x40, bar 7, PR 72,
    /// SpO2 97 -> `C5 40 07 48 61`.
    @Test func referenceConstructedFrame() throws {
        let frame = try #require(ContecLegacyFrame(0xC5, 0x40, 0x07, 0x48, 0x61))
        #expect(frame.beep && frame.signalStrength == 5 && frame.plethValue == 0x40 && frame.bar == 7)
        #expect(frame.pulseRaw == 72 && frame.spo2Raw == 97)
        #expect(!frame.fingerOut && !frame.searching && !frame.probeError && !frame.spo2Dropping)
        let built = ContecLegacyFrame(beep: true, signalStrength: 5, pleth: 0x40, bar: 7, pulseRaw: 72, spo2Raw: 97)
        #expect(built.bytes == [0xC5, 0x40, 0x07, 0x48, 0x61])

        let (events, stats) = Self.decode(Self.repeated([0xC5, 0x40, 0x07, 0x48, 0x61], 60))
        #expect(OximeterTestSupport.readings(events) == [
            Reading(metric: .spo2, value: 97), Reading(metric: .pulse, value: 72),
        ])
        let waves = OximeterTestSupport.waveforms(events)
        #expect(waves.count == 5 && waves.allSatisfy { $0.samples == Array(repeating: 64, count: 12) && $0.sampleRate == 60 })
        #expect(stats.frames == 60 && stats.badFrames == 0 && stats.skippedBytes == 0)
    }

    /// Pulse rates of 128 and more put bit 7 in byte 3 bit 6.
    @Test func pulseRateBit7IsInByte3() throws {
        let frame = ContecLegacyFrame(signalStrength: 5, pleth: 10, bar: 1, pulseRaw: 200, spo2Raw: 95)
        #expect(frame.bytes == [0x85, 10, 0x41, 200 & 0x7F, 95])
        let (events, _) = Self.decode(Self.repeated(frame.bytes, 60))
        #expect(OximeterTestSupport.values(events).map(\.1) == [95, 200])
    }

    /// Each status bit on its own: which flag it sets and which status it raises.
    @Test(arguments: [
        // (byte 1 extra bits, byte 3 extra bits, flags, sensor-off detail)
        (UInt8(0x10), UInt8(0x00), QualityFlags.sensorOff, "finger out"),
        (0x00, 0x10, .sensorOff, "probe error"),
        (0x10, 0x10, .sensorOff, "finger out, probe error"),
        (0x00, 0x20, .outOfTrack, ""),
        (0x40, 0x00, QualityFlags(), ""),  // pulse beep: a beat marker, no flag
        (0x20, 0x00, QualityFlags(), ""),  // SpO2 dropping: no flag
    ])
    func statusBits(b1: UInt8, b3: UInt8, flags: QualityFlags, detail: String) {
        let frame: [UInt8] = [0x85 | b1, 50, 0x03 | b3, 72, 97]
        let (events, stats) = Self.decode(Self.repeated(frame, 60))
        #expect(stats.frames == 60)
        #expect(OximeterTestSupport.readings(events).map(\.flags) == [flags, flags])
        let sensor = OximeterTestSupport.statuses(events).filter { $0.kind == .sensorOff }
        #expect(sensor.map(\.detail) == (detail.isEmpty ? [] : [detail]))
        #expect(OximeterTestSupport.waveforms(events).allSatisfy { $0.flags == flags })
    }

    /// SpO2 127 and pulse 255 ([INFERRED] from the BerryMed sibling) and 0 are "no value":
    /// statuses, never readings.
    @Test(arguments: [(0x7F, 72, Metric.spo2), (0, 72, .spo2), (97, 0xFF, .pulse), (97, 0, .pulse)])
    func missingMarkersGiveStatuses(spo2: Int, pulse: Int, missing: Metric) {
        let frame = ContecLegacyFrame(fingerOut: true, signalStrength: 0, pleth: 0, bar: 0, pulseRaw: pulse, spo2Raw: spo2)
        let (events, _) = Self.decode(Self.repeated(frame.bytes, 120))
        #expect(!OximeterTestSupport.readings(events).contains { $0.metric == missing })
        let statuses = OximeterTestSupport.statuses(events).filter { $0.kind == .valueMissing }
        #expect(statuses.map(\.metric) == [missing, missing])
        #expect(OximeterTestSupport.statuses(events).filter { $0.kind == .sensorOff }.count == 1)
    }

    /// SpO2 of 101 to 126 fails the range check: a bad frame, never a reading.
    @Test func spo2OutOfRangeIsABadFrame() {
        let (events, stats) = Self.decode(Self.repeated([0x85, 50, 0x03, 72, 112], 60))
        #expect(OximeterTestSupport.readings(events).isEmpty)
        #expect(stats.frames == 0 && stats.badFrames == 60 && stats.skippedBytes == 300)
    }

    /// Garbage before the first frame is skipped without a sync-lost (sync was never had); a
    /// later stray byte loses sync once and the next frame finds it again.
    @Test func syncLostOnceAndAcquiredAgain() {
        let good = Self.repeated([0x85, 50, 0x03, 72, 97], 60)
        let bytes: [UInt8] = [0x01, 0x02, 0x7F] + good + [0x11, 0x13, 0x00] + good
        let (events, stats) = Self.decode(bytes)
        let statuses = OximeterTestSupport.statuses(events)
        #expect(statuses.map(\.kind) == [.syncLost, .syncAcquired])
        #expect(statuses[0].byteOffset == 3 + 300)
        #expect(statuses[1].byteOffset == 3 + 300 + 3)
        #expect(stats.skippedBytes == 6 && stats.resyncs == 1 && stats.frames == 120)
        #expect(OximeterTestSupport.values(events).map(\.1) == [97, 72, 97, 72])
    }

    /// A value is believed only after three identical frames: one odd frame changes nothing.
    @Test func oneOddFrameIsNotBelieved() {
        var bytes = Self.repeated([0x85, 50, 0x03, 72, 97], 60)
        bytes.replaceSubrange(295..<300, with: [0x85, 50, 0x03, 72, 17])  // the last frame of the second
        let (events, _) = Self.decode(bytes)
        #expect(OximeterTestSupport.values(events).map(\.1) == [97, 72])
    }

    /// A waveform batch never spans a loss of sync.
    @Test func waveformBatchClosesAtSyncLoss() {
        let good = Self.repeated([0x85, 50, 0x03, 72, 97], 15)
        let (events, _) = Self.decode(good + [0x00] + good)
        let sizes = OximeterTestSupport.waveforms(events).map(\.samples.count)
        #expect(sizes == [12, 3, 12])
    }

    @Test func profile() {
        #expect(ContecCMS50.id == "contec-cms50")
        #expect(ContecCMS50.serial.description == "19200 8O1")
        #expect(ContecCMS50.serial.note.contains("[3P]"))
        #expect(ContecCMS50.usbMatches.isEmpty)
        #expect(ContecCMS50.metrics == [.spo2, .pulse, .pleth])
        #expect(ContecCMS50.makeDecoder() is ContecCMS50Decoder)
        #expect(ContecCMS50.makeEncoder() is ContecCMS50Encoder)
        var encoder = ContecCMS50.makeEncoder()
        let chunks = encoder.encode(VitalSnapshot(spo2: 97, pulse: 72))
        #expect(chunks.count == 10 && chunks.allSatisfy { $0.bytes.count == 30 })
        #expect(chunks.map(\.offset) == (0..<10).map { .milliseconds($0 * 100) })
    }
}
