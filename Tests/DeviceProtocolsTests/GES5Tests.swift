import Testing
import VitalsCore
@testable import DeviceProtocols

/// GE S/5 computer interface: the spec's requests and the reference's worked examples
/// (protocols-multiparameter.md 2.5, 2.9), NIBP freshness, damage, the dialogue and the session.
@Suite struct GES5Tests {
    typealias Support = OximeterTestSupport
    static func hex(_ s: String) -> [UInt8] { IntelliVueMessage.hex(s) }

    static let g1 = hex("""
        7E 3E 01 05 0A 00 00 28 8E 87 67 00 00 00 00 00 00 00 00 01 00 00 FF 00 00 00 00 00 00 00 00 00
        00 00 00 00 00 00 00 00 00 28 8E 87 67 03 00 00 00 71 02 48 00 00 00 00 00 00 00 10 00 00 00 00
        00 00 00 01 80 01 80 01 80 01 80 00 00 00 00 00 00 01 80 01 80 01 80 01 80 00 00 00 00 00 00 01
        80 01 80 01 80 01 80 00 00 00 00 00 00 01 80 01 80 01 80 01 80 03 00 00 00 08 00 E0 2E 40 1F 54
        24 48 00 03 00 00 00 06 00 56 0E 00 00 00 00 00 00 01 80 00 00 00 00 00 00 01 80 00 00 00 00 00
        00 01 80 03 00 00 00 00 00 E4 25 48 00 FA 00 01 80 03 00 00 00 09 00 08 02 00 00 0E 00 B0 1D 00
        00 00 00 00 00 01 80 01 80 00 00 00 00 00 00 01 80 01 80 00 00 00 00 00 00 01 80 01 80 01 80 00
        00 00 00 00 00 01 80 01 80 01 80 01 80 01 80 01 80 01 80 01 80 00 00 00 00 00 00 01 80 01 80 01
        80 01 80 00 00 00 00 00 00 01 80 01 80 01 80 48 00 01 80 01 80 00 00 00 00 00 00 01 80 00 00 00
        00 00 00 01 80 01 80 01 80 01 80 00 00 00 00 00 00 01 80 01 80 01 80 01 80 00 00 00 00 00 00 45
        7E
        """)

    @Test func requestsAreTheSpecBytes() {
        let header = "7E 31 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 FF 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"
        #expect(GES5Frame.frame(GES5Frame.displayedValuesRequest(interval: 10, classes: 0x0E)) == Self.hex(header + " 01 0A 00 0E 00 00 00 00 00 49 7E"))
        #expect(GES5Frame.frame(GES5Frame.displayedValuesRequest(interval: 0)) == Self.hex(header + " 01 00 00 00 00 00 00 00 00 31 7E"))
        #expect(GES5Frame.frame(GES5Frame.displayedValuesRequest(interval: 5, classes: 0x0E)) == Self.hex(header + " 01 05 00 0E 00 00 00 00 00 44 7E"))
        // The 60-s trend start's checksum is 0x7D and goes out escaped.
        var trend = GES5Frame.displayedValuesRequest(interval: 60, classes: 0x0E)
        trend[40] = 3
        #expect(GES5Frame.frame(trend).suffix(13) == Self.hex("00 03 3C 00 0E 00 00 00 00 00 7D 5D 7E")[...])
        #expect(GES5Frame.frame(GES5Frame.alarmRequest(command: 2)) == Self.hex("""
            7E 34 00 00 00 00 00 00 00 00 00 00 00 00 00 04 00 00 00 00 00 00 FF 00 00 00 00 00 00 00 00 00
            00 00 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 00 00 00 00 39 7E
            """))
    }

    @Test func exampleG1IsWhatTheSimulatorWrites() {
        let sub = GES5Basic.subrecord(
            time: 1_736_937_000, hr: 72, impRR: 16, nibp: (sys: 12000, dia: 8000, mean: 9300, hr: 72), nibpLabel: 0x0008,
            t1: 3670, spo2: 9700, spo2PR: 72, irAmp: 250, co2: (et: 520, rr: 14, amb: 7600), co2Status: 0)
        let frame = GES5Frame.frame(GES5Frame.record(number: 5, driLevel: 10, time: 1_736_937_000, mainType: 0,
                                                     subrecords: [(0, 1)], data: sub))
        #expect(frame.count == 321)
        for i in 0..<min(frame.count, Self.g1.count) where frame[i] != Self.g1[i] {
            Issue.record("byte \(i): \(frame[i]) != \(Self.g1[i])")
            break
        }
    }

    @Test func exampleG1Decodes() {
        var d = GES5Decoder()
        let e = d.decode(Self.g1)
        let v = Dictionary(Support.values(e).map { ($0.0.name, $0.1) }, uniquingKeysWith: { a, _ in a })
        #expect(v == ["hr": 72, "resp": 16, "spo2": 97, "pulse": 72, "temp": 36.7, "awrr": 14, "etco2": 39.5,
                      "nibp.sys": 120, "nibp.dia": 80, "nibp.map": 93, "nibp.pulse": 72])
        #expect(Support.readings(e).first?.deviceTime == DeviceTime(milliseconds: 1_736_937_000_000, kind: .clock))
        #expect(d.statistics.frames == 1 && d.statistics.badFrames == 0)
        // The same record again: the NIBP result is not new.
        let again = Support.values(d.decode(Self.g1)).map(\.0)
        #expect(!again.contains(.nibpSystolic) && again.contains(.spo2))
    }

    static func record(nibpLabel: UInt16, sys: Int16 = 12000, co2Status: UInt32 = 0, time: UInt32 = 1_736_937_000) -> [UInt8] {
        let sub = GES5Basic.subrecord(
            time: time, hr: 72, impRR: 16, nibp: (sys: sys, dia: 8000, mean: 9300, hr: 72), nibpLabel: nibpLabel,
            t1: 3670, spo2: 9700, spo2PR: 72, irAmp: 250, co2: (et: 520, rr: 14, amb: 7600), co2Status: co2Status)
        return GES5Frame.frame(GES5Frame.record(number: 1, driLevel: 10, time: time, mainType: 0, subrecords: [(0, 1)], data: sub))
    }

    @Test func nibpFreshness() {
        var d = GES5Decoder()
        func sys(_ bytes: [UInt8]) -> [Double] { Support.values(d.decode(bytes)).filter { $0.0 == .nibpSystolic }.map(\.1) }
        // Older than 60 s at first sight: not a new result.
        #expect(sys(Self.record(nibpLabel: 0x0108)).isEmpty)
        // Measuring: values ignored, even changed ones.
        #expect(sys(Self.record(nibpLabel: 0x0028, sys: 13000)).isEmpty)
        // Measuring fell: new, even with the same values as before.
        #expect(sys(Self.record(nibpLabel: 0x0008)) == [120])
        #expect(sys(Self.record(nibpLabel: 0x0008)).isEmpty)
        // Changed while fresh: new.
        #expect(sys(Self.record(nibpLabel: 0x0008, sys: 12500)) == [125])
    }

    @Test func capnographyStatusBits() {
        var d = GES5Decoder()
        _ = d.decode(Self.record(nibpLabel: 0x0008))
        let occluded = Support.statuses(d.decode(Self.record(nibpLabel: 0x0008, co2Status: 1 << 5 | 1 << 2)))
        #expect(occluded.map(\.kind) == [.sensorOff, .deviceAlarm])
        #expect(occluded.first?.metric == .etco2 && occluded.first?.detail == "CO2 sampling line occluded")
        let back = Support.statuses(d.decode(Self.record(nibpLabel: 0x0008)))
        #expect(back.map(\.kind) == [.sensorOn])
    }

    @Test func damagedRecordsNeverGiveAValue() {
        let good = Self.g1
        for index in stride(from: 1, to: good.count - 1, by: 3) {
            for damage in Support.Damage.allCases {
                var d = GES5Decoder()
                let e = d.decode(Support.damaged(good, damage, at: index, bit: index % 8, byte: 0x33))
                let values = Support.values(e)
                #expect(values.isEmpty || values.count == 11, "\(damage) at \(index) gave \(values.count) values")
                if !values.isEmpty { #expect(Support.values(GES5Decoder().decodeCopy(good)).map(\.1) == values.map(\.1)) }
            }
        }
    }

    @Test func resyncAfterGarbage() {
        var d = GES5Decoder()
        let e = d.decode(Self.g1 + [0x7E, 0x01, 0x02, 0x7D, 0x7E] + Self.g1)
        let sync = Support.statuses(e).map(\.kind).filter { (k: DeviceStatus.Kind) in k == .syncLost || k == .syncAcquired }
        #expect(sync == [.syncLost, .syncAcquired])
        #expect(d.statistics.badFrames == 1)
    }

    @Test func dialogueAsksStopsAndTriesOtherLevels() {
        var dialogue = GES5Dialogue(interval: .seconds(10))
        let open = dialogue.opened(at: RunTime(milliseconds: 0))
        #expect(open.first?.bytes == GES5Frame.frame(GES5Frame.displayedValuesRequest(interval: 10)))
        #expect(open.count == 2)
        // Silent for 2 x 10 + 5 s: asked again at DRI level 11.
        #expect(dialogue.nextDeadline == RunTime(milliseconds: 25_000))
        let again = dialogue.tick(at: RunTime(milliseconds: 25_000))
        #expect(again.first?.bytes == GES5Frame.frame(GES5Frame.displayedValuesRequest(interval: 10, driLevel: 11)))
        _ = dialogue.received([.reading(Reading(metric: .spo2, value: 97))], at: RunTime(milliseconds: 30_000))
        #expect(dialogue.nextDeadline == RunTime(milliseconds: 55_000))
        let close = dialogue.closing(at: RunTime(milliseconds: 60_000))
        #expect(close.first?.bytes == GES5Frame.frame(GES5Frame.displayedValuesRequest(interval: 0)))
        #expect(GES5Dialogue(interval: .seconds(1)).interval == 5)
    }

    @Test func sessionDeliversRecordsAtTheInterval() {
        var session = SessionSimulation(profile: GES5.self)
        session.run(until: .seconds(61)) { i in
            VitalSnapshot(spo2: 97, pulse: 72, bloodPressure: i >= 20 ? BloodPressureResult(systolic: 118, diastolic: 76, mean: 90, pulse: 70) : nil,
                          heartRate: 72, respirationRate: 15, airwayRespirationRate: 14, etco2: 38.0, temperature: 36.8,
                          deviceCode: i >= 40 ? 3 : nil)
        }
        session.close()
        let spo2 = session.events.compactMap { e -> Double? in if case .reading(let r) = e, r.metric == .spo2 { r.value } else { nil } }
        #expect(spo2.count == 12)
        let bp = session.events.compactMap { e -> Double? in if case .reading(let r) = e, r.metric == .nibpSystolic { r.value } else { nil } }
        #expect(bp == [118])
        let etco2 = session.events.compactMap { e -> Double? in if case .reading(let r) = e, r.metric == .etco2 { r.value } else { nil } }
        #expect(etco2.allSatisfy { $0 == 38.0 } && !etco2.isEmpty)
        let alarms = Support.statuses(session.events).filter { $0.kind == .deviceAlarm }.map(\.detail)
        #expect(alarms == ["no active alarm", "red: SIMULATED ALARM 3"])
        #expect(session.writes.count == 4)  // request, alarm diff mode, stop, exit diff mode
    }
}

extension GES5Decoder {
    /// The events of `bytes` from a copy.
    func decodeCopy(_ bytes: [UInt8]) -> [DecoderEvent] {
        var copy = self
        return copy.decode(bytes)
    }
}
