import Testing
import VitalsCore
@testable import DeviceProtocols

/// The A&D UA-767PC profile against reference/protocols-bp.md 1.1 (and 1.2 for MAP).
@Suite struct AndUA767Tests {
    static let sample = Array("804C4C4960".utf8)
    static let ack: [UInt8] = [0x01, 0x37, 0x30, 0x50, 0x43, 0x06]
    static let nak: [UInt8] = [0x01, 0x37, 0x30, 0x50, 0x43, 0x15]

    @Test(arguments: [[UInt8]([0x0D, 0x0A]), [0x0A], [0x0D], [0x01, 0x37, 0x30, 0x50, 0x43, 0x06]])
    func workedExampleGivesFourReadingsWhateverEndsIt(_ terminator: [UInt8]) {
        var d = AndUA767Decoder()
        let events = d.decode(Self.sample + terminator)
        #expect(readings(events) == [
            Reading(metric: .nibpSystolic, value: 152), Reading(metric: .nibpDiastolic, value: 76),
            Reading(metric: .nibpMean, value: 96), Reading(metric: .nibpPulse, value: 73),
        ])
        #expect(statuses(events).allSatisfy { $0.kind == .commandAccepted })
        #expect(d.statistics.badFrames == 0 && d.statistics.skippedBytes == 0)
    }

    @Test func aRecordWaitsForTheByteAfterIt() {
        var d = AndUA767Decoder()
        #expect(d.decode(Self.sample).isEmpty) // an 11th hex digit would make it not a record
        #expect(readings(d.decode([0x0D])).count == 4)
    }

    @Test func lowercaseHexIsAccepted() {
        var d = AndUA767Decoder()
        #expect(readings(d.decode(Array("804c4c4960\r\n".utf8))).map(\.value) == [152, 76, 96, 73])
    }

    @Test(arguments: ["804C4C496\r\n", "804C4C49600\r\n", "80804C4C4960\r\n", "8\r\n", "804C4C4960804C4C4960\r\n"])
    func anythingButExactlyTenHexCharactersIsABadFrame(_ text: String) {
        var d = AndUA767Decoder()
        let events = d.decode(Array(text.utf8))
        #expect(readings(events).isEmpty)
        #expect(statuses(events).map(\.kind) == [.syncLost])
        #expect(d.statistics.badFrames == 1 && d.statistics.frames == 0)
    }

    @Test(arguments: [UInt8(0x81), 0x82, 0x83]) func codes81To83AreMeasurementErrorsWithoutReadings(_ code: UInt8) {
        var d = AndUA767Decoder()
        let text = String(code, radix: 16, uppercase: true) + "4C4C4960\r\n"
        let events = d.decode(Array(text.utf8))
        let hex = String(code, radix: 16, uppercase: true)
        #expect(events == [.status(DeviceStatus(
            .measurementError, code: UInt32(code), detail: "result code \(hex): not a valid measurement (meaning unknown [GAP])"))])
        #expect(d.statistics.frames == 1)
    }

    @Test(arguments: ["00", "7F", "84", "8F", "FF", "08"]) func otherResultCodesAreNotRecords(_ code: String) {
        var d = AndUA767Decoder()
        let events = d.decode(Array((code + "4C4C4960\r\n").utf8))
        #expect(readings(events).isEmpty)
        #expect(statuses(events).map(\.kind) == [.syncLost])
    }

    @Test func ackAndNakReplies() {
        var d = AndUA767Decoder()
        #expect(d.decode(Self.ack + Self.nak) == [
            .status(DeviceStatus(.commandAccepted, code: 0x06, detail: "ACK")),
            .status(DeviceStatus(.commandRejected, code: 0x15, detail: "NAK")),
        ])
    }

    @Test func aBrokenReplyIsABadFrameAndTheNextOneIsDecoded() {
        var d = AndUA767Decoder()
        let events = d.decode([0x01, 0x37, 0x31, 0x50, 0x43, 0x06] + Self.ack)
        #expect(statuses(events).map(\.kind) == [.syncLost, .syncAcquired, .commandAccepted])
    }

    @Test func implausibleValuesAreNotReadings() {
        var d = AndUA767Decoder()
        // SYS - DIA = 0 (SYS not above DIA), then DIA 0, then PR and MAP 00.
        let events = d.decode(Array("80004C4960\r\n8040004960\r\n80464E0000\r\n".utf8))
        #expect(readings(events).map(\.metric) == [.nibpSystolic, .nibpDiastolic])
        #expect(readings(events).map(\.value) == [148, 78])
        // Out of range: value-implausible; discarded with an implausible partner: value-missing.
        #expect(statuses(events).filter { $0.kind == .valueMissing || $0.kind == .valueImplausible }.count == 10)
        #expect(statuses(events).contains { $0.kind == .valueImplausible && $0.metric == .nibpDiastolic })
    }

    @Test func commandBytesAreTheReferences() {
        #expect(AndUA767.bytes(for: .openPort) == [0x02, 0x43, 0x50, 0x43, 0x30, 0x35, 0x3B])
        #expect(AndUA767.bytes(for: .closePort) == [0x02, 0x43, 0x50, 0x43, 0x30, 0x34, 0x3A])
        for command in HostCommand.allCases where command != .openPort && command != .closePort {
            #expect(AndUA767.bytes(for: command) == nil)
        }
        for command in [HostCommand.openPort, .closePort] {
            let b = AndUA767.bytes(for: command)!
            #expect(AndUA767Frame.sum(b[1..<6]) == b[6], "\(command): checksum is the sum after STX")
        }
    }

    @Test func profileDescribesAnNIBPMonitorWithAssumedLineSettings() {
        #expect(AndUA767.id == "and-ua767")
        #expect(AndUA767.category == .bloodPressure)
        #expect(AndUA767.serial.description == "9600 8N1")
        #expect(AndUA767.serial.note.contains("[GAP]"))
        #expect(AndUA767.metrics == [.nibpSystolic, .nibpDiastolic, .nibpMean, .nibpPulse])
        #expect(AndUA767.commandsOnConnect == [.openPort])
        #expect(ProfileCatalog.profile(named: "and-ua767") == AndUA767.self)
        #expect(AndUA767.makeDecoder() is AndUA767Decoder)
        #expect(AndUA767.makeEncoder() is AndUA767Encoder)
    }

    @Test func simulatedDeviceAcknowledgesOpenAndCloseAndRefusesBadFrames() {
        var m = AndUA767Encoder()
        let open = AndUA767.bytes(for: .openPort)!
        let close = AndUA767.bytes(for: .closePort)!
        #expect(m.receive(open) == Self.ack)
        #expect(m.receive(Array(close[0..<3])).isEmpty)
        #expect(m.receive(Array(close[3...])) == Self.ack)
        #expect(m.receive(Array(open[0..<6]) + [0x3C]) == Self.nak)
        #expect(m.receive([0x02, 0x43, 0x50, 0x43, 0x30, 0x39, 0x3F]) == Self.nak) // CPC09: not a known code
        #expect(m.receive([0x55, 0x02, 0x41]).isEmpty) // STX not followed by CPC
    }

    @Test func simulatedDeviceWritesTheRecordOnlyWithAResult() {
        var m = AndUA767Encoder()
        #expect(m.encode(VitalSnapshot()).isEmpty)
        let bp = BloodPressureResult(systolic: 152, diastolic: 76, mean: 96, pulse: 73)
        #expect(m.encode(VitalSnapshot(bloodPressure: bp)) == [EncodedChunk(offset: .zero, bytes: Self.sample + [0x0D, 0x0A])])
        #expect(m.period == .seconds(1))
    }

    @Test(arguments: [UInt64(1), 2, 3]) func encodeThenDecodeGivesTheResultBack(_ seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var m = AndUA767Encoder(terminator: seed == 2 ? [0x0A] : [0x0D, 0x0A])
        var d = AndUA767Decoder()
        for _ in 0..<250 {
            func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }
            let failed = int(0...5) == 0
            let dia = int(35...140)
            let sys = dia + int(15...110)
            let bp = failed
                ? BloodPressureResult(systolic: 0, diastolic: 0, errorCode: int(0x81...0x83))
                : BloodPressureResult(systolic: sys, diastolic: dia, mean: int(dia...sys), pulse: int(30...220))
            let events = d.decode(m.encodeBytes(VitalSnapshot(bloodPressure: bp)))
            if failed {
                #expect(statuses(events).map(\.code) == [UInt32(bp.errorCode)] && readings(events).isEmpty)
            } else {
                #expect(readings(events).map { Int($0.value) } == [bp.systolic, bp.diastolic, bp.mean!, bp.pulse!], "\(bp)")
            }
        }
        #expect(d.statistics.badFrames == 0)
    }
}

private func readings(_ events: [DecoderEvent]) -> [Reading] {
    events.compactMap { if case .reading(let r) = $0 { r } else { nil } }
}

private func statuses(_ events: [DecoderEvent]) -> [DeviceStatus] {
    events.compactMap { if case .status(let s) = $0 { s } else { nil } }
}
