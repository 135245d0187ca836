import Testing
import VitalsCore
@testable import DeviceProtocols

/// DF8: the reference's constructed records, the strict format checks that stand in for the
/// missing checksum, held display values and the two-record lock.
@Suite struct NoninDF8Tests {
    static func record(_ b: [UInt8]) -> NoninDF8Record? {
        b.withUnsafeBufferPointer { NoninDF8Record($0, at: 0) }
    }

    @Test func constructedExamplesDecodeAsTheReferenceSays() throws {
        // Reference 1.13 [INFERRED]: HR 72, SpO2 97, no flags; finger out after the hold.
        let normal = try #require(Self.record([0x80, 0x48, 0x61, 0x00]))
        #expect(normal.heartRate == 72 && normal.spo2 == 97 && normal.flags.isEmpty)
        let out = try #require(Self.record([0x83, 0x7F, 0x7F, 0x08]))
        #expect(out.heartRate == 511 && out.spo2 == 127 && out.flags == .sensorOff)
        // The encoder writes exactly these bytes.
        #expect(NoninDF8Encoder.record(for: VitalSnapshot(spo2: 97, pulse: 72)).array == [0x80, 0x48, 0x61, 0x00])
        #expect(NoninDF8Encoder.record(for: VitalSnapshot(flags: .sensorOff)).array == [0x83, 0x7F, 0x7F, 0x08])
    }

    @Test(arguments: [
        [UInt8(0x00), 0x48, 0x61, 0x00],   // status without bit 7
        [0x80, 0xC8, 0x61, 0x00],          // HR with bit 7
        [0x80, 0x48, 0xE1, 0x00],          // SpO2 with bit 7
        [0x80, 0x48, 0x61, 0x80],          // Status2 with bit 7
        [0xC0, 0x48, 0x61, 0x00],          // status reserved b6
        [0x80, 0x48, 0x61, 0x40],          // Status2 reserved b6
        [0x80, 0x48, 0x61, 0x10],          // Status2 reserved b4
        [0x80, 0x48, 0x61, 0x04],          // Status2 reserved b2
        [0x80, 0x48, 0x61, 0x02],          // Status2 reserved b1
        [0x80, 0x48, 0x65, 0x00],          // SpO2 101
        [0x80, 0x48, 0x7E, 0x00],          // SpO2 126
    ])
    func recordsFailingAFormatOrRangeCheckAreRejected(_ bytes: [UInt8]) {
        #expect(Self.record(bytes) == nil)
    }

    @Test(arguments: [
        (UInt8(0xA0), UInt8(0x00), QualityFlags.outOfTrack),
        (0x90, 0x00, .lowPerfusion),
        (0x88, 0x00, .marginalPerfusion),
        (0x84, 0x00, .artifact),
        (0x80, 0x08, .sensorOff),
        (0x80, 0x01, .lowBattery),
        (0x80, 0x20, QualityFlags()),                 // SPA: a SmartPoint measurement, no quality flag
    ])
    func statusBitsMapToFlags(_ status: UInt8, _ status2: UInt8, _ flags: QualityFlags) throws {
        let r = try #require(Self.record([status, 0x48, 0x61, status2]))
        #expect(r.flags == flags)
    }

    @Test func heldDisplayValuesAreFlaggedHeldAndSensorOff() {
        var decoder = NoninDF8Decoder()
        let events = decoder.decode([0x80, 0x48, 0x61, 0x00, 0x80, 0x4A, 0x60, 0x08, 0x83, 0x7F, 0x7F, 0x08])
        let readings = events.compactMap { if case .reading(let r) = $0 { r } else { nil } }
        #expect(readings.map(\.value) == [97, 72, 96, 74])
        #expect(readings[0].flags.isEmpty && readings[1].flags.isEmpty)
        for r in readings.dropFirst(2) {
            #expect(r.flags.contains(.held) && r.flags.contains(.sensorOff) && !r.flags.isPhysiologicallyValid)
        }
        let statuses = events.compactMap { if case .status(let s) = $0 { s } else { nil } }
        #expect(statuses.map(\.kind) == [.sensorOff, .valueMissing, .valueMissing])
    }

    @Test func aLockNeedsTwoRecordsAndALossIsReportedOnce() {
        var decoder = NoninDF8Decoder()
        // One record alone is not yet a lock.
        #expect(decoder.decode([0x80, 0x48, 0x61, 0x00]).isEmpty)
        var events = decoder.decode([0x80, 0x49, 0x61, 0x00])
        #expect(events.count == 4)
        // A damaged record, then garbage with bit 7 clear, then two good records.
        events = decoder.decode([0x80, 0x48, 0xE1, 0x00, 0x11, 0x22, 0x80, 0x48, 0x61, 0x00])
        #expect(events == [.status(DeviceStatus(.syncLost, detail: "record fails the bit-7, reserved-bit or range check", byteOffset: 8))])
        events = decoder.decode([0x80, 0x48, 0x61, 0x00])
        #expect(events.first == .status(DeviceStatus(
            .syncAcquired, code: 6, detail: "after 6 skipped bytes and 1 bad frame", byteOffset: 14)))
        #expect(events.count == 5)
        #expect(decoder.statistics.resyncs == 1 && decoder.statistics.badFrames == 1 && decoder.statistics.skippedBytes == 6)
    }

    @Test func encoderAnswersTheSelectCommandOnlyInTheFirstFiveSeconds() {
        var encoder = NoninDF8Encoder()
        #expect(encoder.receive(NoninDF8.bytes(for: .selectDataFormat)!) == [0x06])
        #expect(encoder.receive(NoninSelectFormat.command(NoninSelectFormat.df2)) == [0x15])
        for _ in 0..<5 { _ = encoder.encode(VitalSnapshot()) }
        #expect(encoder.receive(NoninDF8.bytes(for: .selectDataFormat)!).isEmpty)
    }
}
