import Testing
import VitalsCore
@testable import DeviceProtocols

/// The simulated SunTech module answers host frames as the reference describes the module, and
/// whatever it encodes decodes back to the same result.
@Suite struct SunTechEncoderTests {
    static let start = SunTechAdvantage.bytes(for: .startMeasurement)!
    static let result = SunTechAdvantage.bytes(for: .requestResult)!
    static let cuff = SunTechAdvantage.bytes(for: .requestCuffPressure)!
    static let abort = SunTechAdvantage.bytes(for: .abortMeasurement)!

    @Test func startIsAcknowledgedWithOAndBusyWhileMeasuring() {
        var m = SunTechEncoder()
        #expect(m.receive(Self.start) == [0x3E, 0x04, 0x4F, 0x6F])
        #expect(m.isMeasuring)
        #expect(m.receive(Self.start) == SunTechEncoder.statusFrame(.busy))
    }

    @Test func completeIsSentUnpromptedWhenTheMeasurementTimeIsUp() {
        var m = SunTechEncoder(measurementDuration: .seconds(5))
        #expect(m.encode(VitalSnapshot()).isEmpty) // idle: the module says nothing
        _ = m.receive(Self.start)
        for _ in 1..<5 { #expect(m.encode(VitalSnapshot()).isEmpty) }
        #expect(m.encode(VitalSnapshot()) == [EncodedChunk(offset: .zero, bytes: [0x3E, 0x04, 0x4B, 0x73])])
        #expect(!m.isMeasuring)
        #expect(m.encode(VitalSnapshot()).isEmpty)
        #expect(m.period == .seconds(1))
    }

    @Test func cuffPressureRisesWhileMeasuringAndIsZeroAtRest() {
        var m = SunTechEncoder(measurementDuration: .seconds(10))
        var d = SunTechDecoder()
        func pressure(_ m: inout SunTechEncoder, _ d: inout SunTechDecoder) -> UInt32? {
            let reply = m.receive(Self.cuff)
            #expect(reply.count == 5 && reply[1] == 0x05 && SunTechFrame.sumsToZero(reply))
            return d.decode(reply).compactMap { if case .status(let s) = $0 { s.code } else { nil } }.first
        }
        #expect(pressure(&m, &d) == 0)
        _ = m.receive(Self.start)
        _ = m.encode(VitalSnapshot(bloodPressure: BloodPressureResult(systolic: 120, diastolic: 80)))
        let p = pressure(&m, &d) ?? 0
        #expect(p > 0 && p <= 150)
    }

    @Test func resultRequestAnswersTheLatestSnapshotsResult() {
        var m = SunTechEncoder()
        let bp = BloodPressureResult(systolic: 115, diastolic: 74, mean: 88, pulse: 85)
        _ = m.encode(VitalSnapshot(bloodPressure: bp))
        let reply = m.receive(Self.result)
        #expect(reply.count == 24 && reply[0] == 0x3E && reply[1] == 0x18 && SunTechFrame.sumsToZero(reply))
        // Same values as the reference's worked example, at the same offsets.
        let example = SunTechAdvantageTests.example
        for i in [2, 3, 4, 5, 16, 17, 18, 19, 20] { #expect(reply[i] == example[i], "byte \(i)") }
        var d = SunTechDecoder()
        #expect(d.decode(reply).compactMap { if case .reading(let r) = $0 { r.value } else { nil } } == [115, 74, 88, 85])
    }

    @Test func resultRequestAnswersAnErrorFrameForAFailedMeasurement() {
        var m = SunTechEncoder()
        _ = m.encode(VitalSnapshot(bloodPressure: BloodPressureResult(systolic: 0, diastolic: 0, errorCode: 0x57)))
        let reply = m.receive(Self.result)
        #expect(reply[20] == 0x57)
        var d = SunTechDecoder()
        #expect(d.decode(reply) == [.status(DeviceStatus(
            .measurementError, code: 0x57, detail: "error 0x57 (87): inflate timeout, air leak or loose cuff"))])
    }

    @Test func abortStopsTheMeasurementWithA() {
        var m = SunTechEncoder(measurementDuration: .seconds(2))
        _ = m.receive(Self.start)
        #expect(m.receive(Self.abort) == [0x3E, 0x04, 0x41, 0x7D])
        #expect(!m.isMeasuring)
        #expect(m.encode(VitalSnapshot()).isEmpty && m.encode(VitalSnapshot()).isEmpty)
    }

    @Test func versionRequestAnswersA67ByteReturnString() {
        var m = SunTechEncoder()
        let reply = m.receive(SunTechAdvantage.bytes(for: .requestVersion)!)
        #expect(reply.count == 67 && reply[1] == 0x43 && SunTechFrame.sumsToZero(reply))
        var d = SunTechDecoder()
        let detail = d.decode(reply).compactMap { if case .status(let s) = $0 { s.detail } else { nil } }.first
        #expect(detail == "return string \"LX SIMULATED ADVANTAGE\" (Advantage)")
    }

    @Test func badChecksumIsIgnoredAndSplitFramesAreJoined() {
        var m = SunTechEncoder()
        #expect(m.receive([0x3A, 0x20, 0xA7]).isEmpty)
        #expect(!m.isMeasuring)
        #expect(m.receive([0x00, 0x3A]).isEmpty)
        #expect(m.receive([0x20]).isEmpty)
        #expect(m.receive([0xA6] + Self.cuff) == SunTechEncoder.statusFrame(.received) + SunTechFrame.moduleFrame([0, 0]))
    }

    @Test func fullDialogueDecodesToOneResult() {
        var m = SunTechEncoder(measurementDuration: .seconds(3))
        var d = SunTechDecoder()
        var events: [DecoderEvent] = []
        let bp = BloodPressureResult(systolic: 131, diastolic: 86, mean: 101, pulse: 64)
        d.decode(m.receive(Self.start), into: &events)
        var completed = false
        while !completed {
            d.decode(m.receive(Self.cuff), into: &events)
            for chunk in m.encode(VitalSnapshot(bloodPressure: bp)) {
                d.decode(chunk.bytes, into: &events)
                completed = chunk.bytes == [0x3E, 0x04, 0x4B, 0x73]
            }
        }
        d.decode(m.receive(Self.result), into: &events)
        let kinds = events.compactMap { if case .status(let s) = $0 { s.kind } else { nil } }
        #expect(kinds.first == .commandAccepted)
        #expect(kinds.filter { $0 == .progress }.count == 4) // three cuff pressures, then K
        #expect(events.compactMap { if case .reading(let r) = $0 { r.value } else { nil } } == [131, 86, 101, 64])
        #expect(d.statistics.badFrames == 0 && d.statistics.skippedBytes == 0)
    }

    /// Random results (seeded): encode, request, decode gives them back; errors give their code.
    @Test(arguments: [UInt64(1), 2, 3, 4]) func encodeThenDecodeGivesTheResultBack(_ seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var m = SunTechEncoder()
        var d = SunTechDecoder()
        for _ in 0..<250 {
            let bp = randomResult(&rng)
            _ = m.encode(VitalSnapshot(bloodPressure: bp))
            let events = d.decode(m.receive(Self.result))
            if bp.errorCode != 0 {
                #expect(events == [.status(DeviceStatus(.measurementError, code: UInt32(bp.errorCode),
                                                        detail: SunTechErrorCode.detail(for: UInt8(bp.errorCode))))])
            } else {
                let values = events.compactMap { if case .reading(let r) = $0 { Int(r.value) } else { nil } }
                #expect(values == [bp.systolic, bp.diastolic, bp.mean!, bp.pulse!], "\(bp)")
            }
        }
        #expect(d.statistics.badFrames == 0)
    }
}

/// A plausible result, or one failed with a code from the reference's table (about one in six).
private func randomResult(_ rng: inout SplitMix64) -> BloodPressureResult {
    func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }
    if int(0...5) == 0 {
        let code = SunTechErrorCode.allCases.randomElement(using: &rng)!
        return BloodPressureResult(systolic: 0, diastolic: 0, errorCode: Int(code.rawValue))
    }
    let dia = int(35...140)
    let sys = dia + int(15...110)
    let map = int(dia...sys)
    return BloodPressureResult(systolic: sys, diastolic: dia, mean: map, pulse: int(30...220))
}
