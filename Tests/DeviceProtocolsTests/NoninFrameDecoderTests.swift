import Testing
import VitalsCore
@testable import DeviceProtocols

/// DF2 and DF7 decoding: the reference's worked examples, the status-bit mapping, held display
/// values, missing values, transitions, device time, lock rules and command replies.
@Suite struct NoninFrameDecoderTests {
    /// A packet's frames with the given floats; status 0x80 (0x81 on frame 1) unless given.
    static func packet(_ format: NoninFrameFormat, floats: [UInt8], status: (Int) -> UInt8 = { $0 == 0 ? 0x81 : 0x80 },
                       pleth: Int32 = 1) -> [UInt8] {
        (0..<25).flatMap { k in
            format.bytes(of: NoninFrame(status: NoninStatusByte(rawValue: status(k)), pleth: pleth, float: floats[k]))
        }
    }

    /// The 25 floats of a packet showing recording `spo2`/`hr` and display `spo2D`/`hrD`.
    static func floats(spo2: Int, hr: Int, spo2D: Int, hrD: Int, timer: Int = 0, stat2: UInt8 = 0) -> [UInt8] {
        var s = VitalSnapshot(spo2: spo2, pulse: hr)
        var f = NoninFrameEncoder.floats(for: s, timer: timer)
        s = VitalSnapshot(spo2: spo2D, pulse: hrD)
        let d = NoninFrameEncoder.floats(for: s, timer: timer)
        for slot in [NoninFloatMap.spo2Display, NoninFloatMap.extendedSpO2Display, NoninFloatMap.hrDisplayMSB,
                     NoninFloatMap.hrDisplayLSB, NoninFloatMap.extendedHRDisplayMSB, NoninFloatMap.extendedHRDisplayLSB] {
            f[slot] = d[slot]
        }
        f[NoninFloatMap.status2] = stat2
        return f
    }

    static func readings(_ events: [DecoderEvent]) -> [Reading] {
        events.compactMap { if case .reading(let r) = $0 { r } else { nil } }
    }

    static func statuses(_ events: [DecoderEvent]) -> [DeviceStatus] {
        events.compactMap { if case .status(let s) = $0 { s } else { nil } }
    }

    @Test func pufferfishVectorFramesDecodeAsTheReferenceSays() {
        // Reference 1.13 [3P]: the first five frames of a DF2 packet.
        let vector: [UInt8] = [0x01, 0x81, 0x01, 0x00, 0x83, 0x01, 0x80, 0x01, 0x48, 0xCA, 0x01, 0x80, 0x01, 0x61, 0xE3,
                               0x01, 0x80, 0x01, 0x30, 0xB2, 0x01, 0x80, 0x01, 0x00, 0x82]
        let frames = vector.withUnsafeBufferPointer { b in
            (0..<5).compactMap { NoninFrameFormat.df2.frame(in: b, at: $0 * 5) }
        }
        #expect(frames.count == 5)
        #expect(frames.map(\.float) == [0x00, 0x48, 0x61, 0x30, 0x00])
        #expect(frames.map(\.status.sync) == [true, false, false, false, false])
        #expect(frames.allSatisfy { $0.pleth == 1 })
        // Completed with our frames 6-25, the packet gives HR 72 and SpO2 97.
        var f = Self.floats(spo2: 97, hr: 72, spo2D: 97, hrD: 72)
        f[NoninFloatMap.firmwareRevision] = 0x30
        let bytes = Self.packet(.df2, floats: f)
        #expect(Array(bytes.prefix(25)) == vector)
        var decoder = NoninFrameDecoder(format: .df2)
        let r = Self.readings(decoder.decode(bytes))
        #expect(r.map(\.metric) == [.spo2, .pulse])
        #expect(r.map(\.value) == [97, 72])
        #expect(r.allSatisfy { $0.flags.isEmpty && $0.deviceTime == DeviceTime(milliseconds: 0, kind: .counter) })
    }

    @Test func df7ConstructedFrameDecodesAndEncodesByteForByte() {
        let frame: [UInt8] = [0x81, 0x12, 0x34, 0x00, 0xC7] // reference 1.13 [INFERRED]
        let f = frame.withUnsafeBufferPointer { NoninFrameFormat.df7.frame(in: $0, at: 0) }
        #expect(f == NoninFrame(status: NoninStatusByte(rawValue: 0x81), pleth: 0x1234, float: 0))
        #expect(NoninFrameFormat.df7.bytes(of: f!) == frame)
        // One wrong checksum and one missing bit 7 both fail.
        #expect([0x81, 0x12, 0x34, 0x00, 0xC8].withUnsafeBufferPointer { NoninFrameFormat.df7.frame(in: $0, at: 0) } == nil)
        #expect([0x01, 0x12, 0x34, 0x00, 0x47].withUnsafeBufferPointer { NoninFrameFormat.df7.frame(in: $0, at: 0) } == nil)
        // DF2 needs its 01 start byte.
        #expect([0x02, 0x81, 0x01, 0x00, 0x84].withUnsafeBufferPointer { NoninFrameFormat.df2.frame(in: $0, at: 0) } == nil)
    }

    static let statusCases: [(UInt8, QualityFlags)] = [
        (0x80, []),
        (0xA0, .artifact),
        (0x90, .outOfTrack),
        (0x88, .sensorOff),
        (0xC0, .sensorOff),                 // SNSD, OEM III (reserved on the 9560)
        (0x82, []),                         // green
        (0x86, .marginalPerfusion),         // yellow
        (0x84, .lowPerfusion),              // red
        (0xFF, [.artifact, .outOfTrack, .sensorOff, .marginalPerfusion]),
    ]

    @Test(arguments: NoninFrameDecoderTests.statusCases)
    func statusBitsMapToFlags(_ raw: UInt8, _ flags: QualityFlags) {
        #expect(NoninStatusByte(rawValue: raw).flags == flags)
    }

    @Test(arguments: [NoninFrameFormat.df2, .df7])
    func statusBitsOfAnyFrameFlagTheWholePacket(_ format: NoninFrameFormat) {
        // ARTF on frame 17 only, yellow on frames 1-12 and LOW BAT in STAT2.
        let f = Self.floats(spo2: 95, hr: 64, spo2D: 95, hrD: 64, stat2: 0x01)
        let bytes = Self.packet(format, floats: f, status: { k in
            var s: UInt8 = k == 0 ? 0x81 : 0x80
            if k < 12 { s |= 0x06 }
            if k == 16 { s |= 0x20 }
            return s
        })
        var decoder = NoninFrameDecoder(format: format)
        let events = decoder.decode(bytes)
        let r = Self.readings(events)
        #expect(r.count == 2)
        #expect(r.allSatisfy { $0.flags == [.artifact, .marginalPerfusion, .lowBattery] })
        #expect(Self.statuses(events).map(\.kind) == [.lowBattery])
        let wave = events.compactMap { if case .waveform(let w) = $0 { w } else { nil } }
        #expect(wave.first?.flags == [.artifact, .marginalPerfusion, .lowBattery])
    }

    @Test(arguments: [NoninFrameFormat.df2, .df7])
    func heldDisplayValuesNeverGiveAnUnflaggedReading(_ format: NoninFrameFormat) {
        var encoder = NoninFrameEncoder(format: format)
        var decoder = NoninFrameDecoder(format: format)
        var events: [DecoderEvent] = []
        decoder.decode(encoder.encodeBytes(VitalSnapshot(spo2: 97, pulse: 74)), into: &events)
        // The 10-s hold after finger-out: SNSA set, recording values missing, display values held.
        let held = VitalSnapshot(spo2: 95, pulse: 80, flags: [.sensorOff, .held])
        let floats = NoninFrameEncoder.floats(for: held, timer: 1)
        #expect(floats[NoninFloatMap.spo2Display] == 95 && floats[NoninFloatMap.hrDisplayLSB] == 80)
        #expect(floats[NoninFloatMap.spo2] == 127)
        for _ in 0..<30 { decoder.decode(encoder.encodeBytes(held), into: &events) }
        let r = Self.readings(events)
        #expect(r.map(\.value) == [97, 74], "only the reading before finger-out is published")
        #expect(!r.contains { $0.value == 95 || $0.value == 80 })
        #expect(Self.statuses(events).filter { $0.kind == .sensorOff }.count == 1)
        #expect(Self.statuses(events).filter { $0.kind == .valueMissing }.count == 60)

        // A device that kept recording values with SNSA set: the reading is flagged sensor-off,
        // so it is never physiologically valid.
        var quirky = NoninFrameDecoder(format: format)
        let bytes = Self.packet(format, floats: Self.floats(spo2: 95, hr: 80, spo2D: 95, hrD: 80),
                                status: { $0 == 0 ? 0x89 : 0x88 })
        let q = Self.readings(quirky.decode(bytes))
        #expect(q.count == 2)
        #expect(q.allSatisfy { $0.flags.contains(.sensorOff) && !$0.flags.isPhysiologicallyValid })
    }

    @Test(arguments: [NoninFrameFormat.df2, .df7])
    func missingAndOutOfRangeValuesGiveStatusesNotReadings(_ format: NoninFrameFormat) {
        var decoder = NoninFrameDecoder(format: format)
        // Reference 1.13: missing HR is float 03 then 7F; SpO2 missing is 127.
        var f = Self.floats(spo2: 127, hr: 511, spo2D: 127, hrD: 511)
        #expect(f[0] == 0x03 && f[1] == 0x7F && f[2] == 0x7F)
        var events = decoder.decode(Self.packet(format, floats: f))
        #expect(Self.readings(events).isEmpty)
        #expect(Self.statuses(events).map(\.kind) == [.valueMissing, .valueMissing])
        #expect(Self.statuses(events).map(\.metric) == [.spo2, .pulse])
        f = Self.floats(spo2: 101, hr: 60, spo2D: 101, hrD: 60, timer: 1)
        events = decoder.decode(Self.packet(format, floats: f))
        #expect(Self.readings(events).map(\.value) == [60])
        #expect(Self.statuses(events).map(\.kind) == [.valueImplausible])
        // Pulse under Metric.pulse.plausibleRange (a checksum-valid frame, but no pulse a sensor reports).
        f = Self.floats(spo2: 97, hr: 12, spo2D: 97, hrD: 12, timer: 2)
        events = decoder.decode(Self.packet(format, floats: f))
        #expect(Self.readings(events).map(\.value) == [97])
        #expect(Self.statuses(events).map(\.kind) == [.valueImplausible])
        #expect(Self.statuses(events).map(\.metric) == [.pulse])
    }

    @Test(arguments: [NoninFrameFormat.df2, .df7])
    func sensorOffAndOnAreReportedOncePerTransition(_ format: NoninFrameFormat) {
        var encoder = NoninFrameEncoder(format: format)
        var decoder = NoninFrameDecoder(format: format)
        var events: [DecoderEvent] = []
        let plan: [VitalSnapshot] = Array(repeating: VitalSnapshot(spo2: 97, pulse: 70), count: 3)
            + Array(repeating: VitalSnapshot(spo2: 97, pulse: 70, flags: [.sensorOff, .held]), count: 4)
            + Array(repeating: VitalSnapshot(flags: .sensorOff), count: 4)
            + Array(repeating: VitalSnapshot(spo2: 96, pulse: 71), count: 3)
        for s in plan { decoder.decode(encoder.encodeBytes(s), into: &events) }
        let kinds = Self.statuses(events).map(\.kind).filter { $0 == .sensorOff || $0 == .sensorOn }
        #expect(kinds == [.sensorOff, .sensorOn])
    }

    @Test func timerGivesACounterDeviceTimeAcrossItsWrap() {
        var encoder = NoninFrameEncoder(format: .df2)
        var decoder = NoninFrameDecoder(format: .df2)
        var events: [DecoderEvent] = []
        // 16382 ticks = 5460.666 s; four packets cross the 14-bit wrap.
        var s = VitalSnapshot(spo2: 97, pulse: 70, deviceTime: DeviceTime(milliseconds: 5_460_667, kind: .counter))
        decoder.decode(encoder.encodeBytes(s), into: &events)
        s.deviceTime = nil
        for _ in 0..<3 { decoder.decode(encoder.encodeBytes(s), into: &events) }
        let times = Self.readings(events).filter { $0.metric == .spo2 }.compactMap(\.deviceTime)
        #expect(times.map(\.milliseconds) == [5_460_666, 5_461_000, 5_461_333, 5_461_666])
        #expect(times.allSatisfy { $0.kind == .counter })
    }

    @Test func df7NeedsTwoGoodFramesBeforeItTrustsALock() {
        // A lone good SYNC frame amid noise is not a lock.
        var decoder = NoninFrameDecoder(format: .df7)
        var bytes: [UInt8] = [0x81, 0x12, 0x34, 0x00, 0xC7] + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        _ = decoder.decode(bytes)
        #expect(decoder.statistics.frames == 0)
        // DF2's constant start byte makes one SYNC frame enough.
        var df2 = NoninFrameDecoder(format: .df2)
        bytes = [0x01, 0x81, 0x01, 0x00, 0x83] + [0x00, 0x00, 0x00, 0x00, 0x00]
        _ = df2.decode(bytes)
        #expect(df2.statistics.frames == 1)
        #expect(df2.statistics.badFrames == 1)
    }

    @Test(arguments: [NoninFrameFormat.df2, .df7])
    func lossDropsThePartialPacketAndReportsSyncOncePerLoss(_ format: NoninFrameFormat) {
        var encoder = NoninFrameEncoder(format: format)
        let good = VitalSnapshot(spo2: 97, pulse: 70)
        var stream = encoder.encodeBytes(good)
        var second = encoder.encodeBytes(VitalSnapshot(spo2: 88, pulse: 130))
        second.removeSubrange(12..<14)       // HR LSB frame damaged: the HR pair straddles the loss
        stream += second + [UInt8](repeating: 0x55, count: 40) + encoder.encodeBytes(good)
        var decoder = NoninFrameDecoder(format: format)
        let events = decoder.decode(stream)
        #expect(Self.readings(events).map(\.value) == [97, 70, 97, 70])
        let sync = Self.statuses(events).filter { $0.kind == .syncLost || $0.kind == .syncAcquired }
        #expect(sync.map(\.kind) == [.syncLost, .syncAcquired])
        #expect(sync.first?.byteOffset == 125 + 10)
        #expect(sync.last?.byteOffset == 250 - 2 + 40)
        #expect(decoder.statistics.resyncs == 1)
        #expect(decoder.statistics.badFrames == 1)
        #expect(decoder.statistics.frames == 25 + 2 + 25)
    }

    @Test(arguments: [NoninFrameFormat.df2, .df7])
    func ackAndNakBeforeAFrameAreCommandReplies(_ format: NoninFrameFormat) {
        var encoder = NoninFrameEncoder(format: format)
        let packet = encoder.encodeBytes(VitalSnapshot(spo2: 97, pulse: 70))
        var decoder = NoninFrameDecoder(format: format)
        let events = decoder.decode([0x06] + packet + [0x15] + packet)
        #expect(Self.statuses(events).map(\.kind) == [.commandAccepted, .commandRejected])
        #expect(Self.statuses(events).map(\.byteOffset) == [0, 126])
        #expect(Self.readings(events).count == 4)
        #expect(decoder.statistics.skippedBytes == 0)
    }
}
