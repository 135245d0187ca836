import Testing
import VitalsCore
@testable import DeviceProtocols

/// The four Nonin profiles' declarations: names, serial settings, commands, USB matching,
/// encoder timing and the simulated device's replies.
@Suite struct NoninProfileTests {
    @Test func catalogFindsEveryNoninProfile() {
        for id in ["nonin-df2", "nonin-df7", "nonin-df8", "nonin-ascii"] {
            let p = ProfileCatalog.profile(named: id)
            #expect(p?.id == id)
            #expect(p?.category == .pulseOximeter)
            #expect(p?.serial.description == "9600 8N1")
            #expect(p?.serial.note.isEmpty == false)
            #expect(p?.summary.contains("not yet") == false)
            #expect(p?.metrics.contains(.spo2) == true && p?.metrics.contains(.pulse) == true)
        }
    }

    @Test func selectFormatCommandIsSentOnConnectWithTheSpecBytes() {
        let cases: [(any DeviceProfile.Type, UInt8)] = [(NoninDF2.self, 0x02), (NoninDF7.self, 0x07), (NoninDF8.self, 0x08)]
        for (p, zz) in cases {
            #expect(p.commandsOnConnect == [.selectDataFormat])
            #expect(p.bytes(for: .selectDataFormat) == [0x02, 0x70, 0x02, 0x02, zz, 0x03])
            #expect(p.bytes(for: .startMeasurement) == nil)
        }
        #expect(NoninASCII.commandsOnConnect.isEmpty)
        #expect(NoninASCII.bytes(for: .selectDataFormat) == nil)
    }

    @Test func xpodFTDIIdsAloneNeverSelectTheProfile() throws {
        let match = try #require(NoninDF2.usbMatches.first)
        #expect(match.vendorID == 0x0403 && match.productID == 0x6001)
        #expect(!match.matches(vendorID: 0x0403, productID: 0x6001, manufacturer: nil, product: nil))
        #expect(!match.matches(vendorID: 0x0403, productID: 0x6001, manufacturer: "FTDI", product: "FT232R USB UART"))
        #expect(match.matches(vendorID: 0x0403, productID: 0x6001, manufacturer: "Nonin Medical, Inc.", product: "Xpod"))
        for p in [NoninDF7.self, NoninDF8.self, NoninASCII.self] as [any DeviceProfile.Type] {
            #expect(p.usbMatches.isEmpty)
        }
    }

    @Test func encoderPeriodsAndTimingMatchTheFormats() {
        var df2 = NoninDF2.makeEncoder()
        #expect(df2.period == .seconds(1) / 3)
        let chunks = df2.encode(VitalSnapshot(spo2: 97, pulse: 72))
        #expect(chunks.count == 25 && chunks.allSatisfy { $0.bytes.count == 5 })
        #expect(chunks.last?.offset == .seconds(24) / 75)
        #expect(NoninDF8.makeEncoder().period == .seconds(1))
        #expect(NoninASCII.makeEncoder().period == .seconds(1))
        var df8 = NoninDF8.makeEncoder()
        #expect(df8.encodeBytes(VitalSnapshot(spo2: 97, pulse: 72)).count == 4)
    }

    @Test func df2EncoderSetsSyncOnlyOnFrameOneAndRunsItsTimer() {
        var encoder = NoninFrameEncoder(format: .df2)
        for tick in 0..<3 {
            let bytes = encoder.encodeBytes(VitalSnapshot(spo2: 97, pulse: 72))
            let statuses = stride(from: 1, to: 125, by: 5).map { bytes[$0] }
            #expect(statuses.enumerated().allSatisfy { ($0.element & 0x01 == 1) == ($0.offset == 0) })
            #expect(bytes[5 * NoninFloatMap.timerLSB + 3] == UInt8(tick))
            #expect(stride(from: 0, to: 125, by: 5).allSatisfy { bytes[$0] == 0x01 })
        }
    }

    @Test func frameEncodersAnswerTheirOwnSelectCommand() {
        var df7 = NoninDF7.makeEncoder()
        #expect(df7.receive(NoninDF7.bytes(for: .selectDataFormat)!) == [0x06])
        #expect(df7.receive(NoninDF2.bytes(for: .selectDataFormat)!) == [0x15])
        #expect(df7.receive([0x02, 0x70]).isEmpty)
        for _ in 0..<15 { _ = df7.encode(VitalSnapshot()) }
        #expect(df7.receive(NoninDF7.bytes(for: .selectDataFormat)!).isEmpty)
    }
}
