import Testing
import VitalsCore
@testable import DeviceProtocols

/// The SunTech profile against the reference's worked examples and tables
/// (reference/protocols-bp.md 2.1-2.4).
@Suite struct SunTechAdvantageTests {
    /// Reference 2.3: SYS 115, DIA 74, 30 beats, HR 85, MAP 88, error 0.
    static let example: [UInt8] = [
        0x3E, 0x18, 0x73, 0x00, 0x4A, 0x00, 0x1E, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x31, 0x07,
        0x55, 0x00, 0x58, 0x00, 0x00, 0x00, 0x00, 0xE9,
    ]

    @Test func workedExampleResultGivesFourReadings() {
        var d = SunTechDecoder()
        let events = d.decode(Self.example)
        #expect(readings(events) == [
            Reading(metric: .nibpSystolic, value: 115), Reading(metric: .nibpDiastolic, value: 74),
            Reading(metric: .nibpMean, value: 88), Reading(metric: .nibpPulse, value: 85),
        ])
        #expect(events.count == 4)
        #expect(d.statistics.frames == 1 && d.statistics.badFrames == 0 && d.statistics.bytes == 24)
    }

    @Test func workedExampleChecksumIsTheTwosComplement() {
        #expect(SunTechFrame.checksum(Self.example.dropLast()) == 0xE9)
        #expect(SunTechFrame.sumsToZero(Self.example))
    }

    @Test func workedExampleCuffPressureIs258() {
        var d = SunTechDecoder()
        #expect(d.decode([0x3E, 0x05, 0x02, 0x01, 0xBA]) == [
            .status(DeviceStatus(.progress, code: 258, detail: "cuff pressure 258 mmHg")),
        ])
    }

    @Test func cuffPressureMinusOneIsNoValue() {
        var d = SunTechDecoder()
        let frame = SunTechFrame.moduleFrame([0xFF, 0xFF])
        #expect(d.decode(frame) == [.status(DeviceStatus(.progress, detail: "cuff pressure: no value"))])
    }

    @Test func completeIsTheReferencesKFrame() {
        #expect(SunTechEncoder.statusFrame(.complete) == [0x3E, 0x04, 0x4B, 0x73])
        var d = SunTechDecoder()
        #expect(d.decode([0x3E, 0x04, 0x4B, 0x73]) == [
            .status(DeviceStatus(.progress, code: 0x4B, detail: "K: executed/complete")),
        ])
    }

    /// Every status character of reference 2.1, with the kind it must become.
    static let statusCharacters: [(UInt8, DeviceStatus.Kind, String)] = [
        (0x4F, .commandAccepted, "command received"), (0x4B, .progress, "executed/complete"),
        (0x41, .progress, "aborted"), (0x42, .commandRejected, "busy"), (0x45, .commandRejected, "error"),
        (0x4E, .commandRejected, "undefined"), (0x44, .commandRejected, "unrecognizable"),
        (0x53, .progress, "sleep"), (0x54, .commandRejected, "timeout"),
    ]

    @Test(arguments: 0..<9) func statusCharacterBecomesItsStatus(_ i: Int) {
        let (c, kind, meaning) = Self.statusCharacters[i]
        var d = SunTechDecoder()
        let events = d.decode(SunTechFrame.moduleFrame([c]))
        let expected = DeviceStatus(kind, code: UInt32(c), detail: "\(Character(UnicodeScalar(c))): \(meaning)")
        #expect(events == [.status(expected)])
        #expect(SunTechStatusCharacter.allCases.count == Self.statusCharacters.count)
    }

    @Test func unknownStatusCharacterIsABadFrameEvenWithAGoodChecksum() {
        var d = SunTechDecoder()
        let events = d.decode(SunTechFrame.moduleFrame([0x5A]))
        #expect(events == [.status(DeviceStatus(.syncLost, detail: "bad frame", byteOffset: 0))])
        #expect(d.statistics.badFrames == 1 && d.statistics.frames == 0)
    }

    /// Reference 2.4, byte values and meanings.
    static let errorTable: [(UInt8, String)] = [
        (0x01, "weak or no oscillometric signal"), (0x02, "artifact / erratic signal"), (0x03, "BP out of range"),
        (0x04, "measurement time limit exceeded"), (0x55, "pneumatic blockage"), (0x56, "terminated by user"),
        (0x57, "inflate timeout, air leak or loose cuff"), (0x58, "safety timeout"), (0x59, "cuff overpressure"),
        (0x5A, "power supply out of range / hardware problem"),
        (0x5B, "permission problem (safety override fitted, or autozero out of range)"),
        (0x61, "transducer out of range"), (0x63, "EEPROM calibration data failure"),
    ]

    @Test(arguments: 0..<13) func everyErrorCodeGivesAMeasurementErrorAndNoReadings(_ i: Int) throws {
        let (code, meaning) = Self.errorTable[i]
        #expect(SunTechErrorCode(rawValue: code)?.meaning == meaning)
        var frame = Self.example
        frame[20] = code
        frame[23] = SunTechFrame.checksum(frame[0..<23])
        var d = SunTechDecoder()
        let events = d.decode(frame)
        #expect(readings(events).isEmpty)
        #expect(events.count == 1)
        let status = try #require(statuses(events).first)
        #expect(status.kind == .measurementError)
        #expect(status.code == UInt32(code))
        #expect(status.detail.hasSuffix(": " + meaning))
        #expect(status.detail.contains("(\(code))"))
    }

    @Test func errorTableHasExactlyTheReferencesCodes() {
        #expect(SunTechErrorCode.allCases.map(\.rawValue) == Self.errorTable.map(\.0))
    }

    @Test func unknownErrorCodeStillSuppressesReadings() {
        var frame = Self.example
        frame[20] = 0x85 // Appciton's decimal-as-hex path: not a code the reference keeps
        frame[23] = SunTechFrame.checksum(frame[0..<23])
        var d = SunTechDecoder()
        let events = d.decode(frame)
        #expect(readings(events).isEmpty)
        #expect(statuses(events).map(\.detail) == ["error 0x85 (133): not in the reference's table"])
    }

    @Test(arguments: [(0, 74), (65535, 74), (115, 0), (74, 74), (70, 74)])
    func implausibleSystolicOrDiastolicGivesNoPressureReading(_ sys: Int, _ dia: Int) {
        let frame = SunTechEncoder.resultFrame(BloodPressureResult(systolic: sys, diastolic: dia, mean: 80, pulse: 70))
        var d = SunTechDecoder()
        let events = d.decode(frame)
        #expect(readings(events).isEmpty)
        #expect(Set(statuses(events).map(\.kind)).isSubset(of: [.valueMissing, .valueImplausible]))
        #expect(statuses(events).contains { $0.kind == .valueImplausible })
        #expect(statuses(events).compactMap(\.metric) == [.nibpSystolic, .nibpDiastolic, .nibpMean, .nibpPulse])
        #expect(d.statistics.badFrames == 1)
    }

    @Test func missingMapAndPulseLeaveSystolicAndDiastolic() {
        let frame = SunTechEncoder.resultFrame(BloodPressureResult(systolic: 124, diastolic: 79))
        var d = SunTechDecoder()
        let events = d.decode(frame)
        #expect(readings(events).map(\.metric) == [.nibpSystolic, .nibpDiastolic])
        #expect(statuses(events).compactMap(\.metric) == [.nibpMean, .nibpPulse])
        #expect(d.statistics.frames == 1)
    }

    @Test func meanOutsideSystolicAndDiastolicIsNotAReading() {
        let frame = SunTechEncoder.resultFrame(BloodPressureResult(systolic: 120, diastolic: 80, mean: 130, pulse: 70))
        var d = SunTechDecoder()
        #expect(readings(d.decode(frame)).map(\.metric) == [.nibpSystolic, .nibpDiastolic, .nibpPulse])
    }

    @Test func returnStringNamesTheModel() {
        var d = SunTechDecoder()
        let text = Array("SB 1.2".utf8) + [UInt8](repeating: 0, count: 58)
        #expect(statuses(d.decode(SunTechFrame.moduleFrame(text))).map(\.detail) == ["return string \"SB 1.2\" (Advantage+)"])
    }

    @Test func returnCodeIsInfo() {
        var d = SunTechDecoder()
        #expect(statuses(d.decode(SunTechFrame.moduleFrame([0, 0, 0]))) == [DeviceStatus(.info, code: 0, detail: "return code 0 (pass)")])
    }

    @Test func commandBytesAreTheReferences() {
        #expect(SunTechAdvantage.bytes(for: .startMeasurement) == [0x3A, 0x20, 0xA6])
        #expect(SunTechAdvantage.bytes(for: .requestResult) == [0x3A, 0x79, 0x03, 0x00, 0x4A])
        #expect(SunTechAdvantage.bytes(for: .abortMeasurement) == [0x3A, 0x79, 0x01, 0x00, 0x4C])
        #expect(SunTechAdvantage.bytes(for: .requestCuffPressure) == [0x3A, 0x79, 0x05, 0x00, 0x48])
        #expect(SunTechAdvantage.bytes(for: .requestVersion) == [0x3A, 0x79, 0x02, 0x40, 0x0B])
        for command in [HostCommand.selectDataFormat, .openPort, .closePort] {
            #expect(SunTechAdvantage.bytes(for: command) == nil)
        }
        for command in HostCommand.allCases {
            guard let bytes = SunTechAdvantage.bytes(for: command) else { continue }
            #expect(SunTechFrame.sumsToZero(bytes), "\(command) checksum")
            #expect(bytes.first == 0x3A && SunTechFrame.hostFrameLength(command: bytes[1]) == bytes.count)
        }
    }

    @Test func profileDescribesANIBPModule() {
        #expect(SunTechAdvantage.id == "suntech-advantage")
        #expect(SunTechAdvantage.category == .bloodPressure)
        #expect(SunTechAdvantage.serial.description == "9600 8N1")
        #expect(SunTechAdvantage.serial.note.contains("DEC x2"))
        #expect(SunTechAdvantage.metrics == [.nibpSystolic, .nibpDiastolic, .nibpMean, .nibpPulse])
        #expect(SunTechAdvantage.commandsOnConnect == [.requestVersion])
        #expect(SunTechAdvantage.expectedGap >= .seconds(15 * 60))
        #expect(ProfileCatalog.profile(named: "suntech-advantage") == SunTechAdvantage.self)
        #expect(SunTechAdvantage.makeDecoder() is SunTechDecoder)
        #expect(SunTechAdvantage.makeEncoder() is SunTechEncoder)
    }
}

private func readings(_ events: [DecoderEvent]) -> [Reading] {
    events.compactMap { if case .reading(let r) = $0 { r } else { nil } }
}

private func statuses(_ events: [DecoderEvent]) -> [DeviceStatus] {
    events.compactMap { if case .status(let s) = $0 { s } else { nil } }
}
