import Testing
import VitalsCore
@testable import DeviceProtocols

/// Philips IntelliVue Data Export: the reference's worked examples P1-P6
/// (protocols-multiparameter.md 1.18) byte for byte, measurement states, damage, and the whole
/// session (association, MDS create reply, polls, keep-alive, release, refusal, abort).
@Suite struct IntelliVueTests {
    typealias Support = OximeterTestSupport
    typealias M = IntelliVueMessage
    static func hex(_ s: String) -> [UInt8] { M.hex(s) }

    static let p1 = hex("""
        C0 11 01 00 EE 0D EC 05 08 13 01 00 16 01 02 80 00 14 02 00 02 7D E1 DC 31 80 A0 80 80 01 01 00
        00 A2 80 A0 03 00 00 01 A4 80 30 80 02 01 01 06 04 52 01 00 01 30 80 06 02 51 01 00 00 00 00 30
        80 02 01 02 06 0C 2A 86 48 CE 14 02 01 00 00 00 01 01 30 80 06 0C 2A 86 48 CE 14 02 01 00 00 00
        02 01 00 00 00 00 00 00 61 80 30 80 02 01 01 A0 80 60 80 A1 80 06 0C 2A 86 48 CE 14 02 01 00 00
        00 03 01 00 00 BE 80 28 80 06 0C 2A 86 48 CE 14 02 01 00 00 00 01 01 02 01 02 81 48 80 00 00 00
        40 00 00 00 00 00 00 00 80 00 00 00 20 00 00 00 00 00 00 00 00 01 00 2C 00 01 00 28 80 00 00 00
        00 00 09 C4 00 00 09 C4 00 00 03 E8 FF FF FF FF 60 00 00 00 00 01 00 0C F0 01 00 08 8C 00 00 00
        00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 E8 B4 C1
        """)
    static let p2Report = hex("""
        C0 11 01 00 42 E1 00 00 02 00 01 00 3A 00 01 00 01 00 34 00 21 00 00 00 00 00 A3 A0 00 0D 06 00
        26 00 21 00 00 00 00 00 03 00 1C 09 86 00 04 00 01 11 4D 09 87 00 08 20 25 01 15 10 29 58 00 09
        8F 00 04 00 A3 A0 00 1D 09 C1
        """)
    static let p2Result = hex("""
        C0 11 01 00 1C E1 00 00 02 00 02 00 14 00 01 00 01 00 0E 00 21 00 00 00 00 00 A3 A0 00 0D 06 00
        00 F1 C4 C1
        """)
    static let p5 = hex("""
        C0 11 01 00 A4 E1 00 00 02 00 02 00 9C 00 01 00 07 00 96 00 21 00 00 00 00 F1 3B 00 8C 00 01 00
        01 00 A3 B2 7D E0 20 25 01 15 10 30 05 00 00 01 00 06 00 00 00 01 00 72 00 00 00 03 00 6C 00 31
        00 02 00 16 09 24 00 04 00 02 4B B8 09 50 00 0A 4B B8 00 00 02 20 00 00 00 61 00 32 00 02 00 16
        09 24 00 04 00 02 48 22 09 50 00 0A 48 22 00 00 0A A0 00 00 00 48 00 33 00 02 00 2E 09 24 00 04
        00 02 4A 04 09 4B 00 22 00 03 00 1E 4A 05 00 00 0F 20 00 00 00 78 4A 06 00 00 0F 20 00 00 00 50
        4A 07 00 00 0F 20 00 00 00 5D 95 27 C1
        """)

    @Test func fcsCheckValue() {
        #expect(IntelliVueFrame.fcs(Array("123456789".utf8)) == 0x906E)
    }

    @Test func hostMessagesAreTheReferenceBytes() {
        #expect(M.associationRequest.count == 238)
        #expect(IntelliVueFrame.frame(M.associationRequest) == Self.p1)
        #expect(IntelliVueFrame.frame(M.mdsCreateResult(invoke: 1, object: [0, 0x21, 0, 0, 0, 0], time: 0x00A3A000)) == Self.p2Result)
        #expect(IntelliVueFrame.frame(M.extendedPollRequest(invoke: 1, poll: 1, object: 6, group: 0x0803, period: 480_000)) == Self.hex("""
            C0 11 01 00 30 E1 00 00 02 00 01 00 28 00 01 00 07 00 22 00 21 00 00 00 00 00 00 00 00 F1 3B 00
            14 00 01 00 01 00 06 08 03 00 01 00 08 F1 3E 00 04 00 07 53 00 DD F6 C1
            """))
        #expect(IntelliVueFrame.frame(M.extendedPollRequest(invoke: 2, poll: 2, object: 0x36, group: 0x0801, period: 480_000)) == Self.hex(
            "C0 11 01 00 30 E1 00 00 02 00 01 00 28 00 02 00 07 00 22 00 21 00 00 00 00 00 00 00 00 F1 3B 00 14 00 02 00 01 00 36 08 01 00 01 00 08 F1 3E 00 04 00 07 53 00 42 70 C1"))
        #expect(IntelliVueFrame.frame(M.singlePollRequest(invoke: 5, poll: 5, object: 0x36, group: 0x0811)) == Self.hex(
            "C0 11 01 00 24 E1 00 00 02 00 01 00 1C 00 05 00 07 00 16 00 21 00 00 00 00 00 00 00 00 0C 16 00 08 00 05 00 01 00 36 08 11 E7 A0 C1"))
        #expect(IntelliVueFrame.frame(M.releaseRequest) == Self.hex(
            "C0 11 01 00 1A 09 18 7D E1 16 61 80 30 80 02 01 01 A0 80 62 80 80 01 00 00 00 00 00 00 00 00 00 41 08 C1"))
        #expect(IntelliVueFrame.frame(M.releaseResult) == Self.hex(
            "C0 11 01 00 1A 0A 18 7D E1 16 61 80 30 80 02 01 01 A0 80 63 80 80 01 00 00 00 00 00 00 00 00 00 0D 52 C1"))
        #expect(IntelliVueFrame.frame(M.abort) == Self.hex("""
            C0 11 01 00 30 19 2E 11 01 03 7D E1 29 A0 80 A0 80 30 80 02 01 01 06 02 51 01 00 00 00 00 61 80 30 80 02 01 01 A0 80 64
            80 80 01 01 00 00 00 00 00 00 00 00 00 00 AB 89 C1
            """))
    }

    @Test func mdsCreateReportIsAnsweredAsExampleP2() {
        var d = IntelliVueDecoder()
        let s = Support.statuses(d.decode(Self.p2Report))
        #expect(s.map(\.kind) == [.info])
        #expect(s.first?.detail == "confirmed event report: invoke 0001 object 0021 0000 0000 time 00A3A000 event 0D06 (MDS create)")
        var dialogue = IntelliVueDialogue()
        _ = dialogue.opened(at: RunTime(milliseconds: 0))
        _ = dialogue.received([.status(DeviceStatus(.associated))], at: RunTime(milliseconds: 100))
        let out = dialogue.received(s.map { .status($0) }, at: RunTime(milliseconds: 200))
        #expect(out.first?.bytes == Self.p2Result)
        #expect(out.map(\.label) == ["MDS create event result", "extended poll: numerics", "extended poll: alerts"])
        #expect(dialogue.phase == .associated)
    }

    @Test func exampleP5Decodes() {
        var d = IntelliVueDecoder()
        let r = Support.readings(d.decode(Self.p5))
        #expect(r.map { "\($0.metric.name)=\($0.value)" } == ["spo2=97.0", "pulse=72.0", "nibp.sys=120.0", "nibp.dia=80.0", "nibp.map=93.0"])
        // The first NBP seen is of unknown age: held, never fed to a rule.
        #expect(r[2].flags == [.held] && r[0].flags.isEmpty)
        #expect(r[0].deviceTime == DeviceTime(milliseconds: 0x00A3B2C0 / 8, kind: .counter))
        // The same result again: SpO2 and pulse, no NBP (not new).
        #expect(Support.readings(d.decode(Self.p5)).map(\.metric) == [.spo2, .pulse])
    }

    @Test func linkedResultDecodesTheSame() {
        // Example P5 as a ROLRS (first of 1), FCS 0xF99D per the reference.
        var u = Array(Self.hex("E1 00 00 02 00 05 00 9E 01 01"))
        let rors = Self.p5Payload
        u += rors[8...]
        #expect(IntelliVueFrame.fcs([0x11, 0x01, 0x00, UInt8(u.count)] + u) == 0xF99D)
        var d = IntelliVueDecoder()
        #expect(Support.values(d.decode(IntelliVueFrame.frame(u))).map(\.1) == [97, 72, 120, 80, 93])
    }

    /// P5's user data, unescaped.
    static var p5Payload: [UInt8] {
        var d = IntelliVueDeframer()
        for (i, b) in p5.enumerated() {
            if case .userData(let u, _) = d.feed(b, at: i) { return u }
        }
        return []
    }

    /// P5 with the SpO2 state and value replaced.
    static func p5(state: UInt16, value: UInt32) -> [UInt8] {
        var u = p5Payload
        u[76] = UInt8(state >> 8); u[77] = UInt8(state & 0xFF)
        u[80...83] = M.be32(value)[...]
        return IntelliVueFrame.frame(u)
    }

    @Test func measurementStates() {
        func spo2(_ state: UInt16, _ value: UInt32 = 0x61) -> [DecoderEvent] {
            var d = IntelliVueDecoder()
            return d.decode(Self.p5(state: state, value: value)).filter {
                switch $0 {
                case .reading(let r): r.metric == .spo2
                case .status(let s): s.metric == .spo2
                case .waveform: false
                }
            }
        }
        let demo = Support.readings(spo2(0x0400))
        #expect(demo.first?.flags == [.demo] && demo.first?.flags.isPhysiologicallyValid == false)
        #expect(Support.readings(spo2(0x0800)).first?.flags == [.demo])
        #expect(Support.readings(spo2(0x4000)).first?.flags == [.artifact, .lowConfidence])
        #expect(Support.readings(spo2(0x0002)).first?.flags == [.deviceAlarm])
        for state: UInt16 in [0x8000, 0x2000, 0x1000] {
            let e = spo2(state)
            #expect(Support.readings(e).isEmpty && Support.statuses(e).map(\.kind) == [.valueMissing])
        }
        #expect(Support.statuses(spo2(0, 0x007F_FFFF)).first?.detail == "FLOAT special value 0x7FFFFF")
        #expect(Support.readings(spo2(0, 0xFF00_03CA)).first?.value == 97)  // 970 x 10^-1
        #expect(Support.statuses(spo2(0, 0x0000_0384)).first?.kind == .valueMissing)  // 900 %: implausible
    }

    @Test func corruptedFramesGiveNothing() {
        let good = Self.p5
        for index in 1..<(good.count - 1) {
            for damage in Support.Damage.allCases {
                var d = IntelliVueDecoder()
                let e = d.decode(Support.damaged(good, damage, at: index, bit: index % 8, byte: 0x42))
                let v = Support.values(e).map(\.1)
                #expect(v.isEmpty || v == [97, 72, 120, 80, 93], "\(damage) at \(index): \(v)")
            }
        }
    }

    @Test func abortedFrameAndResync() {
        var d = IntelliVueDecoder()
        let e = d.decode(Self.p5 + [0xC0, 0x11, 0x01, 0x7D, 0xC1] + Self.p5)
        let kinds = Support.statuses(e).map(\.kind).filter { (k: DeviceStatus.Kind) in k == .syncLost || k == .syncAcquired }
        #expect(kinds == [.syncLost, .syncAcquired])
        #expect(d.statistics.badFrames == 1 && d.statistics.frames == 2)
    }

    static func snapshot(_ i: Int) -> VitalSnapshot {
        VitalSnapshot(spo2: 96, pulse: 71, perfusionIndex: 2.4,
                      bloodPressure: i >= 10 ? BloodPressureResult(systolic: 124, diastolic: 78, mean: 93, pulse: 70) : nil,
                      heartRate: 72, respirationRate: 16, airwayRespirationRate: 15, etco2: 37.5, temperature: 36.9)
    }

    @Test func wholeSession() {
        var session = SessionSimulation(profile: PhilipsIntelliVue.self)
        session.run(until: .seconds(120), snapshot: Self.snapshot)
        session.close()
        let labels = session.writes.map(\.write.label)
        #expect(Array(labels.prefix(4)) == ["association request", "MDS create event result", "extended poll: numerics", "extended poll: alerts"])
        #expect(labels.last == "release request")
        // Re-polls every 50 s, keep-alives so that the host never stays silent for more than 4 s.
        let times = session.writes.map(\.time.milliseconds)
        #expect(zip(times, times.dropFirst()).allSatisfy { $1 - $0 <= 4000 })
        #expect(labels.filter { $0 == "extended poll: numerics" }.count == 3)
        #expect(labels.contains("keep-alive (single poll of the alert monitor)"))
        let statuses = Support.statuses(session.events).map(\.kind)
        #expect(statuses.first == .associated && statuses.last == .associationReleased)
        #expect(!statuses.contains(.associationDropped))
        let hr = session.events.compactMap { e -> Double? in if case .reading(let r) = e, r.metric == .hr { r.value } else { nil } }
        #expect(hr.count >= 118 && hr.allSatisfy { $0 == 72 })
        let sys = Support.readings(session.events).filter { $0.metric == .nibpSystolic }
        #expect(sys.map(\.value) == [124] && sys.first?.flags == [])  // appeared after association: new
        let etco2 = Support.readings(session.events).filter { $0.metric == .etco2 }.map(\.value)
        #expect(Set(etco2) == [37.5])
    }

    @Test func splitResultsGiveTheSameReadings() {
        var plain = SessionSimulation(profile: PhilipsIntelliVue.self)
        plain.run(until: .seconds(20), snapshot: Self.snapshot)
        var split = SessionSimulation(profile: PhilipsIntelliVue.self, encoder: IntelliVueEncoder(splitResults: true))
        split.run(until: .seconds(20), snapshot: Self.snapshot)
        let a = Support.values(split.events).map { "\($0.0.name)=\($0.1)" }
        let b = Support.values(plain.events).map { "\($0.0.name)=\($0.1)" }
        #expect(Set(a) == Set(b))
        #expect(abs(a.count - b.count) <= 12, "\(a.count) against \(b.count)")
        #expect(split.decoder.statistics.frames > plain.decoder.statistics.frames)
    }

    @Test func refusedAssociationIsRetried() {
        var session = SessionSimulation(profile: PhilipsIntelliVue.self, encoder: IntelliVueEncoder(refuseAssociation: true))
        session.run(until: .seconds(25), snapshot: Self.snapshot)
        let refusals = Support.statuses(session.events).filter { $0.kind == .associationRefused }
        #expect(refusals.count == 3 && refusals.first?.detail == "the monitor refused the association (reason 0)")
        #expect(session.writes.map(\.time.milliseconds) == [0, 10_005, 20_010])
        #expect(session.dialogue.summary == "association refused by the monitor, retrying every 10 s")
        #expect(Support.readings(session.events).isEmpty)
    }

    @Test func silentHostIsDroppedAndReassociates() {
        // A host that never keeps the association alive: the simulated monitor aborts after 10 s.
        var dialogue = IntelliVueDialogue()
        dialogue.keepAlive = .seconds(3600)
        dialogue.repoll = .seconds(3600)
        var session = SessionSimulation(profile: PhilipsIntelliVue.self, dialogue: dialogue)
        session.run(until: .seconds(20), snapshot: Self.snapshot)
        let kinds = Support.statuses(session.events).map(\.kind).filter { (k: DeviceStatus.Kind) in k != .info && k != .deviceAlarm }
        #expect(kinds == [.associated, .associationDropped, .associated])
        #expect(session.writes.filter { $0.write.label == "association request" }.count == 2)
    }

    @Test func mdsTimeoutAbortsAndStartsOver() {
        var dialogue = IntelliVueDialogue()
        _ = dialogue.opened(at: RunTime(milliseconds: 0))
        _ = dialogue.received([.status(DeviceStatus(.associated))], at: RunTime(milliseconds: 50))
        #expect(dialogue.nextDeadline == RunTime(milliseconds: 10_050))
        #expect(dialogue.tick(at: RunTime(milliseconds: 10_050)).map(\.label) == ["abort (no MDS create event report)", "association request"])
        #expect(dialogue.closing(at: RunTime(milliseconds: 10_100)).isEmpty)
    }
}
