import Testing
import VitalsCore
@testable import DeviceProtocols

/// Contec V7.0: the reference's worked examples (protocols-multiparameter.md 3.8), damage, and the
/// session against the simulated oximeter.
@Suite struct ContecV7Tests {
    typealias Support = OximeterTestSupport
    static func hex(_ s: String) -> [UInt8] { IntelliVueMessage.hex(s) }

    @Test func commandsAreTheReferenceBytes() {
        #expect(ContecV7Packet.command(.startRealTime) == Self.hex("7D 81 A1 80 80 80 80 80 80"))
        #expect(ContecV7Packet.command(.stopRealTime) == Self.hex("7D 81 A2 80 80 80 80 80 80"))
        #expect(ContecV7Packet.command(.keepAlive) == Self.hex("7D 81 AF 80 80 80 80 80 80"))
        #expect(ContecV7Packet.command(.stopStorage) == Self.hex("7D 81 A7 80 80 80 80 80 80"))
        #expect(ContecV7Packet.command(.piSupport) == Self.hex("7D 81 AC 80 80 80 80 80 80"))
        #expect(ContecV7Packet.command(0xB2, arguments: [20, 25, 1, 15, 3]) == Self.hex("7D 81 B2 94 99 81 8F 83 80"))
        #expect(ContecV7Packet.command(0xB1, arguments: [10, 30, 5]) == Self.hex("7D 81 B1 8A 9E 85 80 80 80"))
    }

    @Test func realTimeExamplesEncodeToTheReferenceBytes() {
        let a = ContecV7RealTime(signalStrength: 5, beep: true, pleth: 51, bar: 6, piInvalid: false, pulseRaw: 72, spo2Raw: 97, piRaw: 235)
        #expect(a.bytes == Self.hex("01 A0 C5 B3 86 C8 E1 EB 80"))
        let b = ContecV7RealTime(signalStrength: 5, pleth: 64, bar: 6, piInvalid: true, pulseRaw: 130, spo2Raw: 95, piRaw: 0xFFFF)
        #expect(b.bytes == Self.hex("01 E8 85 C0 96 82 DF FF FF"))
        let c = ContecV7RealTime(signalStrength: 0, probeError: true, pleth: 0x40, searchingPulse: true, bar: 0, piInvalid: true,
                                 pulseRaw: 0xFF, spo2Raw: 0x7F, piRaw: 0xFFFF)
        #expect(c.bytes == Self.hex("01 EB 80 C0 90 FF FF FF FF"))
    }

    /// `packet` repeated for one second (60 packages).
    static func second(_ packet: String) -> [UInt8] { Array([[UInt8]](repeating: hex(packet), count: 60).joined()) }

    @Test func workedExampleValues() {
        var d = ContecV7Decoder()
        let e = d.decode(Self.second("01 A0 C5 B3 86 C8 E1 EB 80"))
        #expect(Support.values(e).map { "\($0.0.name)=\($0.1)" } == ["spo2=97.0", "pulse=72.0", "pi=2.35"])
        var d2 = ContecV7Decoder()
        // Pulse 130 keeps its high bit (130, never 2).
        #expect(Support.values(d2.decode(Self.second("01 E8 85 C0 96 82 DF FF FF"))).map(\.1) == [95, 130])
        var d3 = ContecV7Decoder()
        #expect(Support.values(d3.decode(Self.second("01 E0 85 B3 96 C1 E1 FF FF"))).map(\.1) == [97, 65])
        var d4 = ContecV7Decoder()
        let out = d4.decode(Self.second("01 EB 80 C0 90 FF FF FF FF"))
        #expect(Support.readings(out).isEmpty)
        let kinds = Support.statuses(out).map(\.kind)
        #expect(kinds == [.sensorOff, .valueMissing, .valueMissing])
    }

    @Test func repliesBecomeStatuses() {
        var d = ContecV7Decoder()
        let s = Support.statuses(d.decode(Self.hex("0C 80 0E 80 81 04 80 F5 F3 E5 F2 A0 A0 A0 06 80 80 87 0B 81 B3 85 0D 80 81")))
        #expect(s.map(\.kind) == [.commandAccepted, .info, .info, .info, .commandRejected, .associationDropped])
        #expect(s[2].detail == "device identifier \"user   \"")
        #expect(s[4].detail == "command B3: not supported")
        #expect(d.statistics.badFrames == 0)
    }

    @Test func damagedPackagesNeverGiveAnotherValue() {
        let good = Array(Self.second("01 A0 C5 B3 86 C8 E1 EB 80").prefix(9 * 60) + Self.second("01 A0 C5 B3 86 C8 E1 EB 80"))
        for index in stride(from: 0, to: good.count, by: 7) {
            for damage in Support.Damage.allCases {
                for bit in [0, 3, 7] {
                    var d = ContecV7Decoder()
                    let e = d.decode(Support.damaged(good, damage, at: index, bit: bit, byte: 0x01))
                    for (m, v) in Support.values(e) {
                        #expect([97, 72, 2.35].contains(v), "phantom \(m.name)=\(v) after \(damage) at \(index)")
                    }
                }
            }
        }
    }

    @Test func garbageThenResync() {
        var d = ContecV7Decoder()
        var bytes = Self.second("01 A0 C5 B3 86 C8 E1 EB 80")
        bytes.insert(contentsOf: [0x01, 0x85, 0x33], at: 90)
        bytes += Self.second("01 A0 C5 B3 86 C8 E1 EB 80")
        let e = d.decode(bytes)
        let sync: [DeviceStatus.Kind] = Support.statuses(e).map(\.kind).filter { (k: DeviceStatus.Kind) in k == .syncLost || k == .syncAcquired }
        #expect(sync == [.syncLost, .syncAcquired])
        #expect(d.statistics.badFrames == 1)
        #expect(Support.values(e).count == 6)
    }

    @Test func dialogueStartsKeepsAliveAndStops() {
        var dialogue = ContecV7Dialogue()
        #expect(dialogue.opened(at: RunTime(milliseconds: 0)).map(\.bytes) == [ContecV7Packet.command(.startRealTime)])
        #expect(dialogue.nextDeadline == RunTime(milliseconds: 5000))
        _ = dialogue.received([.waveform(Waveform(sampleRate: 60, samples: [1]))], at: RunTime(milliseconds: 4900))
        #expect(dialogue.tick(at: RunTime(milliseconds: 4999)).isEmpty)
        #expect(dialogue.tick(at: RunTime(milliseconds: 5000)).map(\.bytes) == [ContecV7Packet.command(.keepAlive)])
        #expect(dialogue.closing(at: RunTime(milliseconds: 6000)).map(\.bytes) == [ContecV7Packet.command(.stopRealTime)])
        #expect(dialogue.nextDeadline == nil)
    }

    @Test func sessionStreamsPastTheDevicesTimeoutWithKeepAlives() {
        var session = SessionSimulation(profile: ContecCMS50V7.self)
        session.run(until: .seconds(70)) { _ in VitalSnapshot(spo2: 96, pulse: 70, perfusionIndex: 3.1) }
        session.close()
        let writes = session.writes
        #expect(writes.first?.write.bytes == ContecV7Packet.command(.startRealTime))
        let keepAlives = writes.filter { $0.write.bytes == ContecV7Packet.command(.keepAlive) }.map(\.time.milliseconds)
        #expect(keepAlives.count == 14)
        #expect(zip(keepAlives, keepAlives.dropFirst()).allSatisfy { $1 - $0 == 5000 })
        #expect(writes.last?.write.bytes == ContecV7Packet.command(.stopRealTime))
        let spo2 = session.events.compactMap { if case .reading(let r) = $0, r.metric == .spo2 { r.value } else { nil } }
        #expect(spo2.count >= 68 && spo2.allSatisfy { $0 == 96 })
        #expect(Support.statuses(session.events).last?.kind == .commandAccepted)  // free feedback to A2
    }

    @Test func withoutKeepAlivesTheDeviceStopsAndTheDialogueRestartsIt() {
        var session = SessionSimulation(profile: ContecCMS50V7.self,
                                        dialogue: ContecV7Dialogue(keepAliveInterval: .seconds(3600)))
        session.run(until: .seconds(60)) { _ in VitalSnapshot(spo2: 96, pulse: 70) }
        let starts = session.writes.filter { $0.write.bytes == ContecV7Packet.command(.startRealTime) }.map(\.time.milliseconds)
        // The device stops after 30 s without AF; 5 s of silence later the dialogue starts it again.
        #expect(starts.count >= 2, "\(starts)")
        #expect(starts.dropFirst().first.map { (34_000...37_000).contains($0) } == true, "\(starts)")
    }
}
