import DeviceIO
import DeviceProtocols
import Foundation
import Testing
import VitalsCore

/// The sans-IO probe on a virtual clock: every streaming profile's encoder bytes, started
/// mid-frame, through a passive probe of the whole catalog.
@Suite struct ProbeSessionTests {
    static let streaming: [any DeviceProfile.Type] = ProfileCatalog.all.filter {
        if case .streams = $0.probeBehaviour { true } else { false }
    }

    /// The V7 start command (A1), as the profile's dialogue sends it.
    static var v7Start: [UInt8] {
        var dialogue = ContecCMS50V7.makeDialogue()
        return dialogue.opened(at: .zero).flatMap(\.bytes)
    }

    @Test func everyStreamingProfileIsIdentifiedWithinThreeSecondsOfItsFirstBytes() throws {
        #expect(Self.streaming.map { $0.id } == [
            "nonin-df2", "nonin-df7", "nonin-df8", "nonin-ascii", "masimo-ascii", "contec-cms50", "berrymed",
        ])
        var figures: [String] = []
        for profile in Self.streaming {
            let (outcome, writes) = VirtualLine(profile: profile).probe(ProbePlan(candidates: ProfileCatalog.all))
            #expect(outcome.profile?.id == profile.id, "\(profile.id): \(outcome.summary)")
            #expect(writes.isEmpty, "a passive probe wrote to the device")
            let since = try #require(outcome.sinceFirstByte, "\(profile.id)")
            #expect(since <= .seconds(3), "\(profile.id) identified \(since) after its first bytes: \(outcome.summary)")
            #expect(outcome.settings == profile.serial)
            figures.append("probe-time \(profile.id): \(since.milliseconds) ms after the first bytes, \(outcome.elapsed?.milliseconds ?? -1) ms in all")
        }
        // The figures the note reports (virtual clock: no wall-clock assertion).
        print(figures.joined(separator: "\n"))
    }

    @Test func aDecisionComesAsSoonAsEveryOtherCandidateIsRuledOut() throws {
        let (outcome, _) = VirtualLine(profile: NoninDF7.self).probe(ProbePlan(candidates: ProfileCatalog.all))
        // 9600 8N1 is tried first (most candidates) and DF7 is decided well before the setting's window.
        let elapsed = try #require(outcome.elapsed)
        #expect(elapsed < .milliseconds(500), "\(outcome.summary)")
        #expect(outcome.summary.hasPrefix("only nonin-df7 at 9600 8N1"))
        #expect(outcome.summary.contains("ruled out at 9600 8N1: nonin-df2"), "\(outcome.summary)")
    }

    @Test func settingsSeenOnThePortBeforeAndUSBStringsComeFirst() {
        let plain = ProbePlan(candidates: ProfileCatalog.all)
        #expect(plain.steps.first?.settings.sameLine(as: NoninDF7.serial) == true, "most candidates first: \(plain)")
        #expect(plain.steps.count == 3, "\(plain)")
        let seen = ProbePlan(candidates: ProfileCatalog.all, hints: .init(seenBefore: ["berrymed"]))
        #expect(seen.steps.first?.settings.sameLine(as: BerryMed.serial) == true, "\(seen)")
        #expect(seen.steps.first?.why.contains("berrymed seen on this port before") == true)
        let nonin = USBDeviceInfo(vendorID: 0x0403, productID: 0x6001, manufacturer: "Nonin Medical", product: "Xpod", source: .udevProperties)
        let byUSB = ProbePlan(candidates: [ContecCMS50.self, NoninDF2.self], hints: .init(usb: nonin))
        #expect(byUSB.steps.first?.settings == NoninDF2.serial, "\(byUSB)")
        #expect(byUSB.steps.first?.why.contains("strings match nonin-df2") == true, "\(byUSB.steps.first?.why ?? "")")
    }

    @Test func aPassivePlanLeavesOutDevicesThatOnlyAnswerAndSaysWhy() {
        let plan = ProbePlan(candidates: ProfileCatalog.all)
        let ids = plan.steps.flatMap { $0.candidates.map { $0.id } }
        for silent in ["suntech-advantage", "and-ua767", "contec-cms50-v7", "philips-intellivue", "ge-s5"] {
            #expect(!ids.contains(silent))
            #expect(plan.notProbed.contains { $0.hasPrefix(silent + ":") }, "\(plan.notProbed)")
        }
        #expect(plan.notProbed.contains { $0.hasPrefix("suntech-advantage:") && $0.contains("--probe-active") })
        let active = ProbePlan(candidates: ProfileCatalog.all, active: true)
        let activeIDs = active.steps.flatMap { $0.candidates.map { $0.id } }
        #expect(activeIDs.contains("suntech-advantage") && activeIDs.contains("contec-cms50-v7"))
        #expect(!activeIDs.contains("and-ua767") && !activeIDs.contains("philips-intellivue"))
    }

    @Test func activeProbingAsksASilentLineAndJudgesTheReply() throws {
        let plan = ProbePlan(candidates: ProfileCatalog.all, active: true)
        let (outcome, writes) = VirtualLine(profile: SunTechAdvantage.self, streams: false).probe(plan)
        #expect(outcome.profile?.id == "suntech-advantage", "\(outcome.summary)")
        #expect(writes.contains(SunTechAdvantage.bytes(for: .requestVersion)!), "\(writes)")
        // Never a measurement start to an unknown device.
        #expect(!writes.contains(SunTechAdvantage.bytes(for: .startMeasurement)!))
    }

    @Test func aPassiveProbeOfASilentDeviceWritesNothingAndSaysWhatItCouldNotTry() {
        let (outcome, writes) = VirtualLine(profile: SunTechAdvantage.self, streams: false).probe(ProbePlan(candidates: ProfileCatalog.all))
        #expect(outcome.profile == nil)
        #expect(writes.isEmpty)
        #expect(outcome.summary.hasPrefix("no bytes received"), "\(outcome.summary)")
        #expect(outcome.summary.contains("not probed: suntech-advantage"), "\(outcome.summary)")
    }

    @Test func contecV7BytesAreNamedWhenNoCandidateDecodesThem() throws {
        // A V7 device a previous host left streaming, probed passively (V7 is not a passive
        // candidate): the bytes at 115200 are reported by their shape.
        let (outcome, _) = VirtualLine(profile: ContecCMS50V7.self, startedBy: Self.v7Start).probe(ProbePlan(candidates: ProfileCatalog.all))
        #expect(outcome.profile == nil, "\(outcome.summary)")
        #expect(outcome.summary.contains("bytes at 115200 8N1 look like the newer Contec protocol"), "\(outcome.summary) \(outcome.candidates)")
    }

    @Test func twoProfilesThatDecodeTheSameBytesAreAmbiguous() {
        let plan = ProbePlan(candidates: [FakeA5.self, FakeA5Twin.self])
        var session = ProbeSession(plan: plan)
        _ = session.start(at: .zero)
        var t: Int64 = 0
        var finished: ProbeOutcome?
        while finished == nil, t < 20_000 {
            t += 50
            for a in session.received(FakeA5.frames(4), at: RunTime(milliseconds: t)) + session.tick(at: RunTime(milliseconds: t)) {
                if case .finished(let o) = a { finished = o }
            }
        }
        #expect(finished?.profile == nil)
        #expect(finished?.summary.hasPrefix("ambiguous: fake-a5, fake-a5-twin") == true, "\(finished?.summary ?? "")")
    }

    @Test func noiseAtEverySettingIsNoIdentification() {
        var noise = NoiseSource()
        var session = ProbeSession(plan: ProbePlan(candidates: ProfileCatalog.all))
        _ = session.start(at: .zero)
        var t: Int64 = 0
        var finished: ProbeOutcome?
        while finished == nil, t < 60_000 {
            t += 20
            for a in session.received(noise.bytes(8), at: RunTime(milliseconds: t)) + session.tick(at: RunTime(milliseconds: t)) {
                if case .finished(let o) = a { finished = o }
            }
        }
        #expect(finished?.profile == nil)
        #expect(finished?.summary.contains("look like noise typical of a line read at the wrong speed") == true, "\(finished?.summary ?? "")")
    }
}

@Suite struct ByteShapeTests {
    @Test func recognisesEachFramingByItsStructure() throws {
        var v7 = ContecCMS50V7.makeEncoder()
        _ = v7.receive(ProbeSessionTests.v7Start)
        var legacy = ContecCMS50.makeEncoder()
        var df2 = NoninDF2.makeEncoder()
        let snap = VitalSnapshot(spo2: 97, pulse: 64, pleth: Array(repeating: 40, count: 60))
        let v7Bytes = Array((0..<4).flatMap { _ in v7.encodeBytes(snap) }.dropFirst(3))
        #expect(ByteShape.recognise(v7Bytes) == .contecV7)
        #expect(ByteShape.recognise(Array((0..<4).flatMap { _ in legacy.encodeBytes(snap) }.dropFirst(2))) == .bit7Sync5)
        #expect(ByteShape.recognise(Array((0..<4).flatMap { _ in df2.encodeBytes(VitalSnapshot(spo2: 97, pulse: 64, pleth: Array(repeating: 100, count: 25))) })) == .noninFrames)
        // Radical-7 lines with the NUL it sends before each (issue 13).
        let text = "\0" + "03/19/16 13:37:12 SPO2=097% BPM=064 PI=02.10% ALARM=0000 EXC=000800\r\n\0"
            + "03/19/16 13:37:13 SPO2=097% BPM=064 PI=02.10% ALARM=0000 EXC=000800\r\n"
        let radical = Array(text.utf8)
        guard case .textLines(let sample)? = ByteShape.recognise(radical) else {
            Issue.record("not text: \(String(describing: ByteShape.recognise(radical)))")
            return
        }
        #expect(sample.hasPrefix("^@03/19/16 13:37:13 SPO2=097%"), "\(sample)")
        var noise = NoiseSource()
        #expect(ByteShape.recognise(noise.bytes(300)) == .wrongSpeed)
        #expect(ByteShape.recognise([1, 2, 3]) == nil)
        #expect(ByteShape.contecV7.description.hasPrefix("the newer Contec protocol"))
    }
}
