import Testing
import VitalsCore
@testable import DeviceProtocols

/// Nonin ASCII: the line variants of the manuals, malformed lines, headers, and the decoder's
/// sync reporting.
@Suite struct NoninASCIITests {
    static func parse(_ s: String) -> NoninASCIILine.Kind {
        NoninASCIILine.parse(Array(s.utf8)[...])
    }

    static func data(_ s: String) -> NoninASCIILine? {
        if case .data(let d) = parse(s) { d } else { nil }
    }

    @Test func manualVariantsParse() throws {
        var d = try #require(Self.data("SPO2=097 HR=072"))
        #expect(d.spo2 == 97 && d.heartRate == 72 && d.timeOfDay == nil)
        d = try #require(Self.data("SPO2=--- HR=---"))
        #expect(d.spo2 == nil && d.heartRate == nil)
        d = try #require(Self.data("13:05:09 SPO2=096 HR=---"))
        #expect(d.spo2 == 96 && d.heartRate == nil && d.timeOfDay == 13 * 3600 + 5 * 60 + 9)
        d = try #require(Self.data("SPO2=095 HR=070 F"))
        #expect(d.fast && !d.breath && !d.event)
        d = try #require(Self.data("12:00:05 SPO2=096 HR=071 B*"))
        #expect(d.breath && d.event)
        d = try #require(Self.data("SPO2=097 HR=072*"))
        #expect(d.event)
        // A value field of three characters that are not digits or --- is reported on its own.
        d = try #require(Self.data("SPO2=09; HR=072"))
        #expect(d.spo2 == nil && d.spo2Problem == "SPO2=09;: not 3 digits or ---" && d.heartRate == 72)
        d = try #require(Self.data("SPO2=101 HR=761"))
        #expect(d.spo2 == 101 && d.heartRate == 761)  // well-formed; the decoder's range check rejects both
    }

    @Test(arguments: [
        "SP2=097 HR=072", "SPO2=97 HR=72 ", "SPO2=97 HR=072", "SPO2=097  HR=072", "SPO2=097HR=072", "SPO2=097 HR=0722",
        "SPO2=0933 HR=061", "SPO2=093 HR=61", "12:00:00  SPO2=097 HR=072",
        "SPO2=097 HR=072SPO2=097 HR=073", "SPO2=097 HR=072 X", "SPO2=-- HR=072", "24:00:00 SPO2=097 HR=072",
        "12:00 SPO2=097 HR=072", "SPO2=097 HR=07\u{1}2", "SPO2=097", "HR=072",
    ])
    func malformedLinesAreRejected(_ line: String) {
        guard case .malformed = Self.parse(line) else {
            Issue.record("\(line) was accepted")
            return
        }
    }

    @Test(arguments: ["Nonin 7500FO", "01-JAN-26 12:00:00", "", "   "])
    func linesWithoutDataAreHeaders(_ line: String) {
        #expect(Self.parse(line) == .header)
    }

    @Test func encoderWritesTheManualsShape() {
        #expect(NoninASCIIEncoder.line(for: VitalSnapshot(spo2: 97, pulse: 72)).bytes == Array("SPO2=097 HR=072\r\n".utf8))
        #expect(NoninASCIIEncoder.line(for: VitalSnapshot(spo2: 97, pulse: 72, flags: [.sensorOff, .held])).bytes
            == Array("SPO2=--- HR=---\r\n".utf8))
        let timed = VitalSnapshot(spo2: 100, pulse: 5, deviceTime: DeviceTime(milliseconds: 3_725_000, kind: .counter))
        #expect(NoninASCIIEncoder.line(for: timed).bytes == Array("01:02:05 SPO2=100 HR=005\r\n".utf8))
    }

    @Test func decoderReportsMissingValuesAndSync() {
        var decoder = NoninASCIIDecoder()
        // A partial first line is dropped silently: the decoder was never in step.
        var events = decoder.decode(Array("=097 HR=072\r\nHeader\r\nSPO2=--- HR=071\r\n".utf8))
        #expect(events == [
            .status(DeviceStatus(.valueMissing, metric: .spo2, detail: "SPO2=---")),
            .reading(Reading(metric: .pulse, value: 71)),
        ])
        events = decoder.decode(Array("SPO2=0\u{FF}7 HR=071\r\nSPO2=098 HR=070\n".utf8))
        #expect(events.first == .status(DeviceStatus(.syncLost, detail: "line rejected: control or non-ASCII byte in the line", byteOffset: 38)))
        // U+00FF is two UTF-8 bytes
        #expect(events.dropFirst().first == .status(DeviceStatus(
            .syncAcquired, code: 16, detail: "after 16 skipped bytes and 1 bad frame", byteOffset: 56)))
        #expect(decoder.statistics.frames == 2 && decoder.statistics.badFrames == 2 && decoder.statistics.resyncs == 1)
    }

    @Test func anOverlongLineIsRejectedAndMemoryStaysBounded() {
        var decoder = NoninASCIIDecoder()
        _ = decoder.decode(Array("SPO2=097 HR=072\r\n".utf8))
        let events = decoder.decode([UInt8](repeating: 0x41, count: 10_000) + Array("SPO2=097 HR=072\r\n".utf8))
        #expect(events.filter { if case .reading = $0 { true } else { false } }.isEmpty)
        #expect(events.first.map { if case .status(let s) = $0 { s.kind == .syncLost } else { false } } == true)
    }
}
