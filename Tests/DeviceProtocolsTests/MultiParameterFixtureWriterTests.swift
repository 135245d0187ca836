import Foundation
import Testing
import VitalsCore
@testable import DeviceProtocols

/// Writes the Fixtures/ scripts of contec-cms50-v7, ge-s5 and philips-intellivue: whole sessions
/// recorded from the dialogues against the simulated monitors (`w` lines are the host's bytes),
/// the reference's worked examples byte for byte, and damaged copies. Runs only with
/// VITALS_WRITE_FIXTURES=1; FixtureTests then writes the expected outputs with
/// VITALS_WRITE_EXPECTED=1, checked by hand before committing.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["VITALS_WRITE_FIXTURES"] == "1"))
struct MultiParameterFixtureWriterTests {
    typealias Support = OximeterTestSupport
    static func hex(_ s: String) -> [UInt8] { IntelliVueMessage.hex(s) }

    /// `script` with the device bytes of read step `step` damaged.
    static func damage(_ script: UmockdevScript, step: Int, _ change: (inout [UInt8]) -> Void) -> UmockdevScript {
        var s = script
        MasimoContecBerryMedFixtureWriterTests.mutate(&s, step: step, change)
        return s
    }

    /// Indices of read steps.
    static func reads(_ script: UmockdevScript) -> [Int] {
        script.steps.indices.filter { if case .read = script.steps[$0].operation { true } else { false } }
    }

    static func monitorSnapshot(_ i: Int) -> VitalSnapshot {
        // A respiratory-depression episode from 30 s: EtCO2 rises, airway RR falls, then apnea.
        let rr = i < 30 ? 14 : (i < 50 ? 8 : 0)
        let et = i < 30 ? 38.0 : (i < 50 ? 52.5 : 0)
        return VitalSnapshot(
            spo2: i < 55 ? 97 : 93, pulse: 72, perfusionIndex: 2.5,
            bloodPressure: i >= 15 ? BloodPressureResult(systolic: 132, diastolic: 84, mean: 100, pulse: 71) : nil,
            heartRate: 72, respirationRate: i < 50 ? 15 : 12, airwayRespirationRate: rr, etco2: et, temperature: 36.8)
    }

    @Test func contecV7() throws {
        let profile = ContecCMS50V7.id
        var session = SessionSimulation(profile: ContecCMS50V7.self, comments: [
            "contec-cms50-v7: a 40 s session recorded from ContecV7Dialogue against ContecV7Encoder (the simulated device).",
            "Host: A1 start, AF keep-alive every 5 s, A2 stop on close (reference/protocols-multiparameter.md 3.5, 3.7 [SPEC]).",
            "Device: 60 real-time packages/s (3.6 [SPEC]); SpO2 96, pulse 130 from 10 s (keeps its high bit), finger out 25-30 s.",
        ])
        session.run(until: .seconds(40)) { i in
            var s = VitalSnapshot(spo2: 96, pulse: i < 10 ? 74 : 130, perfusionIndex: 3.2)
            if (25..<30).contains(i) { s.flags = [.sensorOff] }
            return s
        }
        session.close()
        try Support.write(session.script, profile: profile, name: "session-simulated-spec")

        var examples = UmockdevScript(comments: [
            "contec-cms50-v7: the reference's worked examples (protocols-multiparameter.md 3.8) byte for byte, each",
            "real-time package repeated for one second (60 packages) so the decoder confirms and reports it:",
            "PR 72 / SpO2 97 / PI 2.35; PR 130 / SpO2 95; finger out; then the replies quoted from traces:",
            "0C 80 (free feedback), 0E 80 81 (no PI), 04 ... \"user   \", 06 80 80 87 (version, outside V7.0 [DEC]).",
        ])
        examples.appendWrite(ContecV7Packet.command(.startRealTime), after: .zero)
        for packet in ["01 A0 C5 B3 86 C8 E1 EB 80", "01 E8 85 C0 96 82 DF FF FF", "01 EB 80 C0 90 FF FF FF FF"] {
            for k in 0..<60 { examples.appendRead(Self.hex(packet), after: .milliseconds(k == 0 ? 5 : 16)) }
        }
        examples.appendWrite(ContecV7Packet.command(.stopRealTime), after: .milliseconds(10))
        examples.appendRead(Self.hex("0C 80"), after: .milliseconds(5))
        examples.appendWrite(ContecV7Packet.command(.piSupport), after: .milliseconds(100))
        examples.appendRead(Self.hex("0E 80 81"), after: .milliseconds(5))
        examples.appendWrite(ContecV7Packet.command(.deviceIdentifiers), after: .milliseconds(100))
        examples.appendRead(Self.hex("04 80 F5 F3 E5 F2 A0 A0 A0"), after: .milliseconds(5))
        examples.appendWrite(ContecV7Packet.command(0xA0), after: .milliseconds(100))
        examples.appendRead(Self.hex("06 80 80 87"), after: .milliseconds(5))
        try Support.write(examples, profile: profile, name: "worked-examples-spec")

        let r = Self.reads(session.script)
        let corrupted = Self.damage(Self.damage(Self.damage(session.script, step: r[100]) { $0[5] ^= 0x04 }, step: r[700]) { $0.removeLast(3) },
                                    step: r[1300]) { $0.insert(0x01, at: 4) }
        var c = corrupted
        c.comments = ["contec-cms50-v7: session-simulated-spec with three damaged packages (a flipped pulse bit, a",
                      "truncated package, an inserted type byte): no phantom value, sync lost and regained."]
        try Support.write(c, profile: profile, name: "corrupted-spec")
    }

    @Test func geS5() throws {
        let profile = GES5.id
        var session = SessionSimulation(profile: GES5.self, comments: [
            "ge-s5: a 90 s session recorded from GES5Dialogue against GES5Encoder (the simulated monitor).",
            "Host: displayed values every 5 s (basic class, DRI level 0) and alarms in differential mode, stop on close",
            "(reference/protocols-multiparameter.md 2.5 [SPEC]). Monitor: basic-class records as example G1 (2.9);",
            "a respiratory-depression episode from 30 s (EtCO2 52.5 mmHg, airway RR 8, then 0), NIBP from 15 s, an alarm from 60 s.",
        ])
        session.run(until: .seconds(90)) { i in
            var s = Self.monitorSnapshot(i)
            if i >= 60 { s.deviceCode = 3 }
            return s
        }
        session.close()
        try Support.write(session.script, profile: profile, name: "session-simulated-spec")

        let g1 = GES5Tests.g1
        // Example G2: aux record, nibp_time 95 s before r_time, BSA 1.90 m2; checksum 0x53 per the reference.
        var aux = [UInt8](repeating: 0, count: 114)
        GES5Frame.put32(&aux, 0, 1_736_936_905)
        aux[14] = 190
        let g2 = GES5Frame.frame(GES5Frame.record(number: 6, driLevel: 10, time: 1_736_937_000, mainType: 0, subrecords: [(0, 4)], data: aux))
        #expect(g2.count == 157 && g2[g2.count - 2] == 0x53)
        var examples = UmockdevScript(comments: [
            "ge-s5: the spec's requests (CI Appendix A: displayed values every 10 s, all classes; stop) as w lines, and the",
            "reference's example G2 (aux record, nibp_time 1736936905) then G1 (displayed values, basic class) byte for",
            "byte (protocols-multiparameter.md 2.5.1, 2.9 [SPEC, CALC]). G2 over the serial line is [UNVERIFIED] (G-1).",
        ])
        examples.appendWrite(GES5Frame.frame(GES5Frame.displayedValuesRequest(interval: 10, classes: 0x0E)), after: .zero)
        examples.appendRead(g2, after: .seconds(10))
        examples.appendRead(g1, after: .milliseconds(50))
        examples.appendWrite(GES5Frame.frame(GES5Frame.displayedValuesRequest(interval: 0)), after: .seconds(1))
        try Support.write(examples, profile: profile, name: "worked-examples-g1-g2-spec-aux-unverified")

        let r = Self.reads(session.script)
        var c = Self.damage(Self.damage(session.script, step: r[2]) { $0[200] ^= 0x10 }, step: r[5]) { $0.removeSubrange(100..<140) }
        c.comments = ["ge-s5: session-simulated-spec with two damaged records (a flipped bit: checksum fails; 40 bytes lost):",
                      "no value from either, sync lost and regained."]
        try Support.write(c, profile: profile, name: "corrupted-spec")
    }

    @Test func philipsIntelliVue() throws {
        let profile = PhilipsIntelliVue.id
        var session = SessionSimulation(profile: PhilipsIntelliVue.self, comments: [
            "philips-intellivue: a 90 s session recorded from IntelliVueDialogue against IntelliVueEncoder (simulated monitor).",
            "Host: association request, MDS create event result, extended polls of numerics and alerts (60 s, re-polled every",
            "50 s), keep-alive after 4 s without a write, release on close (reference/protocols-multiparameter.md 1.6-1.17 [DEC]).",
            "Monitor: numerics once a second; a respiratory-depression episode from 30 s; an alarm from 60 s; demo data 70-75 s.",
        ])
        session.run(until: .seconds(90)) { i in
            var s = Self.monitorSnapshot(i)
            if i >= 60 { s.deviceCode = 40 }
            if (70..<75).contains(i) { s.flags = [.demo] }
            return s
        }
        session.close()
        try Support.write(session.script, profile: profile, name: "session-simulated-dec")

        var split = SessionSimulation(profile: PhilipsIntelliVue.self, encoder: IntelliVueEncoder(splitResults: true), comments: [
            "philips-intellivue: 20 s with every numerics result sent as linked results (ROLRS first, ROLRS last, empty RORS;",
            "VSCaptureMP's reading of RORLS_LAST, reference 1.11 and P-5 [DEC, conflicting]).",
        ])
        split.run(until: .seconds(20), snapshot: Self.monitorSnapshot)
        split.close()
        try Support.write(split.script, profile: profile, name: "linked-results-dec-conflicting")

        var refused = SessionSimulation(profile: PhilipsIntelliVue.self, encoder: IntelliVueEncoder(refuseAssociation: true), comments: [
            "philips-intellivue: a monitor that refuses every association (refuse 0C 03 32 01 00, mindleaving [DEC x2]);",
            "the host retries every 10 s. No reading: a technical alert's input (association-refused).",
        ])
        refused.run(until: .seconds(25), snapshot: Self.monitorSnapshot)
        try Support.write(refused.script, profile: profile, name: "refused-association-error-dec")

        var examples = UmockdevScript(comments: [
            "philips-intellivue: the reference's worked examples P1-P6 byte for byte (protocols-multiparameter.md 1.18 [CALC]):",
            "P1 association request (w); an association result (ours: no worked example exists); P2 MDS create event report",
            "and the host's result (w); P3 extended polls (w); P5 poll result (SpO2 97, PR 72, NBP 120/80 (93)); P4 keep-alive (w);",
            "P5 again as a linked result (ROLRS first of 1, FCS 0xF99D); P6 release request (w) and result.",
        ])
        examples.appendWrite(IntelliVueTests.p1, after: .zero)
        examples.appendRead(IntelliVueFrame.frame(IntelliVueMessage.associationResult), after: .milliseconds(50))
        examples.appendRead(IntelliVueTests.p2Report, after: .milliseconds(50))
        examples.appendWrite(IntelliVueTests.p2Result, after: .milliseconds(10))
        examples.appendWrite(Self.hex(
            "C0 11 01 00 30 E1 00 00 02 00 01 00 28 00 01 00 07 00 22 00 21 00 00 00 00 00 00 00 00 F1 3B 00 14 00 01 00 01 00 06 08 03 00 01 00 08 F1 3E 00 04 00 07 53 00 DD F6 C1"),
            after: .milliseconds(10))
        examples.appendWrite(Self.hex(
            "C0 11 01 00 30 E1 00 00 02 00 01 00 28 00 02 00 07 00 22 00 21 00 00 00 00 00 00 00 00 F1 3B 00 14 00 02 00 01 00 36 08 01 00 01 00 08 F1 3E 00 04 00 07 53 00 42 70 C1"),
            after: .milliseconds(10))
        examples.appendRead(IntelliVueTests.p5, after: .milliseconds(50))
        examples.appendWrite(Self.hex(
            "C0 11 01 00 24 E1 00 00 02 00 01 00 1C 00 05 00 07 00 16 00 21 00 00 00 00 00 00 00 00 0C 16 00 08 00 05 00 01 00 36 08 11 E7 A0 C1"),
            after: .seconds(4))
        var linked = Array(Self.hex("E1 00 00 02 00 05 00 9E 01 01"))
        linked += IntelliVueTests.p5Payload[8...]
        examples.appendRead(IntelliVueFrame.frame(linked), after: .seconds(1))
        examples.appendWrite(Self.hex(
            "C0 11 01 00 1A 09 18 7D E1 16 61 80 30 80 02 01 01 A0 80 62 80 80 01 00 00 00 00 00 00 00 00 00 41 08 C1"), after: .seconds(1))
        examples.appendRead(Self.hex(
            "C0 11 01 00 1A 0A 18 7D E1 16 61 80 30 80 02 01 01 A0 80 63 80 80 01 00 00 00 00 00 00 00 00 00 0D 52 C1"), after: .milliseconds(50))
        try Support.write(examples, profile: profile, name: "worked-examples-p1-p6-dec")

        let r = Self.reads(session.script)
        var c = Self.damage(Self.damage(session.script, step: r[8]) { $0[40] ^= 0x01 }, step: r[20]) { $0.removeSubrange(30..<34) }
        c.comments = ["philips-intellivue: session-simulated-dec with two damaged poll results (a flipped bit: FCS fails; 4 bytes",
                      "lost): no value from either, sync lost and regained."]
        try Support.write(c, profile: profile, name: "corrupted-dec")
    }
}
