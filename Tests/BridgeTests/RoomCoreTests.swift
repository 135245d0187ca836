import Bridge
import DeviceIO
import DeviceProtocols
import Foundation
import RulesEngine
import Store
import Testing
import VitalsCore

/// The room core on a virtual clock: no pty, no thread, no file descriptor.
@Suite struct RoomCoreTests {
    static let epoch: Int64 = 1_767_258_000_000
    static var rules: RuleSet {
        get throws {
            try RuleSet.load(path: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../Rules/ketamine.yaml").standardized.path)
        }
    }

    /// A room and a transcript of what it asked, driven at explicit times.
    final class Harness {
        let room: RoomCore
        var effects: [RoomEffect] = []
        var handles: [String: PortHandle] = [:]
        var time = RunTime.zero
        /// Answer every open at once (a port that opens).
        var opensSucceed = true

        init(rules: RuleSet?, configure: (inout RoomCore.Configuration) -> Void = { _ in }) {
            var c = RoomCore.Configuration(room: "test")
            configure(&c)
            room = RoomCore(configuration: c, rules: rules)
        }

        func feed(_ input: RoomInput, at ms: Int64) {
            time = RunTime(milliseconds: ms)
            perform(room.handle(input, at: time, wall: RoomCoreTests.epoch + ms))
        }

        func perform(_ new: [RoomEffect]) {
            for e in new {
                effects.append(e)
                if case .open(let h, _, _) = e {
                    handles[h.device] = h
                    perform(room.handle(opensSucceed ? .opened(h) : .openFailed(h, reason: "busy"), at: time, wall: RoomCoreTests.epoch + time.milliseconds))
                }
            }
        }

        /// Ticks at every deadline up to `ms`.
        func run(to ms: Int64) {
            while let d = room.nextDeadline, d.milliseconds <= ms { feed(.tick, at: d.milliseconds) }
            time = RunTime(milliseconds: ms)
        }

        func attach(_ profile: any DeviceProfile.Type, name: String, at ms: Int64 = 0) {
            feed(.attach(DeviceIdentity(profile: profile.id, name: name, port: "/dev/\(name)"), profile: profile, path: "/dev/\(name)", why: "test"), at: ms)
        }

        var alerts: [AlertEvent] { effects.compactMap { if case .emit(.alert(let a)) = $0 { a } else { nil } } }
        var readings: [Observation] { effects.compactMap { if case .emit(.reading(let o)) = $0 { o } else { nil } } }
        var connections: [(ConnectionState, RunTime)] {
            effects.compactMap { if case .emit(.deviceEvent(.connection(let s), _, let t, _)) = $0 { (s, t) } else { nil } }
        }
        var writes: [[UInt8]] { effects.compactMap { if case .write(_, let b) = $0 { b } else { nil } } }
        var opens: [PortHandle] { effects.compactMap { if case .open(let h, _, _) = $0 { h } else { nil } } }
    }

    @Test func aSilentDeviceGoesQuietAndRaisesTheStaleAlertWithoutEverSendingAReading() throws {
        let h = Harness(rules: try Self.rules)
        h.attach(ContecCMS50.self, name: "ox")
        h.run(to: 60_000)
        let quiet = try #require(h.connections.first { $0.0 == .quiet })
        #expect(quiet.1.milliseconds <= Int64(ContecCMS50.expectedGap.milliseconds) + 1000)
        let stale = try #require(h.alerts.first { $0.rule == "spo2-stale" && $0.event == .raised })
        #expect(stale.kind == .technical)
        #expect(stale.time.milliseconds <= 35_000)
    }

    @Test func aStreamThatStopsMidSessionGoesQuietAndStale() throws {
        let h = Harness(rules: try Self.rules)
        h.attach(NoninDF7.self, name: "ox")
        var encoder = NoninDF7.makeEncoder()
        var ms: Int64 = 0
        while ms < 20_000 {
            h.run(to: ms)
            var snap = VitalSnapshot(deviceTime: DeviceTime(milliseconds: ms, kind: .counter))
            snap.spo2 = 97
            snap.pulse = 70
            h.feed(.bytes(h.handles["ox"]!, encoder.encodeBytes(snap)), at: ms)
            ms += encoder.period.milliseconds
        }
        #expect(h.readings.contains { $0.metric == .spo2 && $0.value == 97 })
        #expect(h.connections.contains { $0.0 == .streaming })
        h.run(to: 80_000)
        let quiet = try #require(h.connections.last { $0.0 == .quiet })
        #expect(quiet.1.milliseconds > 20_000 && quiet.1.milliseconds < 25_000)
        #expect(h.alerts.contains { $0.rule == "spo2-stale" && $0.event == .raised })
    }

    @Test(arguments: ["contec-cms50", "berrymed", "nonin-ascii", "masimo-ascii", "nonin-df7"])
    func aBurstOfGarbageCostsABoundedNumberOfStatusesPerSecond(_ profileID: String) throws {
        let profile = try #require(ProfileCatalog.profile(named: profileID))
        let h = Harness(rules: nil)
        h.attach(profile, name: "dev")
        var rng = SystemRandomNumberGenerator()
        // 2 MiB in 4 KiB reads, 10 ms apart: about 5 s of a fast line's worth of garbage.
        for i in 0..<512 {
            let chunk = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }
            h.feed(.bytes(h.handles["dev"]!, chunk), at: Int64(i) * 10)
        }
        let statuses = h.effects.filter { if case .emit(.status) = $0 { true } else { false } }.count
        // At most one per line-noise kind (five) and metric a second, plus the device's own words.
        #expect(statuses <= 6 * 30, "\(statuses) statuses from 2 MiB of garbage")
    }

    @Test func aCommandDrivenCuffIsAskedForItsBaselineAndItsResultOnComplete() throws {
        let h = Harness(rules: nil) { $0.nibpInterval = .seconds(300) }
        h.attach(SunTechAdvantage.self, name: "cuff")
        // On connect: the version request only.
        #expect(h.writes == [SunTechAdvantage.bytes(for: .requestVersion)!])
        h.run(to: 1000)
        #expect(h.writes.last == SunTechAdvantage.bytes(for: .startMeasurement))
        // The module says the measurement is complete: the room asks for the result.
        h.feed(.bytes(h.handles["cuff"]!, SunTechEncoder.statusFrame(.complete)), at: 40_000)
        #expect(h.writes.last == SunTechAdvantage.bytes(for: .requestResult))
        let starts = { h.writes.filter { $0 == SunTechAdvantage.bytes(for: .startMeasurement) }.count }
        h.run(to: 299_000)
        #expect(starts() == 1)
        h.run(to: 301_000)
        #expect(starts() == 2)
    }

    @Test func nibpStartIsAppliedOnlyWithADrivableCuff() throws {
        let h = Harness(rules: nil)
        let command = DaemonCommand.startBloodPressure(room: "test", at: Self.epoch)
        h.feed(.command(command), at: 0)
        guard case .completeCommand(_, let refused) = try #require(h.effects.last) else { Issue.record("no result"); return }
        #expect(refused.outcome == .failed)
        h.attach(SunTechAdvantage.self, name: "cuff")
        h.run(to: 2000)
        h.feed(.bytes(h.handles["cuff"]!, SunTechEncoder.statusFrame(.complete)), at: 3000)
        h.feed(.command(command), at: 4000)
        guard case .completeCommand(_, let applied) = h.effects.last! else { Issue.record("no result"); return }
        #expect(applied.outcome == .applied)
        let before = h.writes.count
        h.run(to: 5000)
        #expect(h.writes.count == before + 1 && h.writes.last == SunTechAdvantage.bytes(for: .startMeasurement))
    }

    @Test func aGonePortIsReopenedAfterItsBackoffAndOldBytesAreDropped() throws {
        let h = Harness(rules: nil)
        h.attach(NoninDF7.self, name: "ox")
        let first = try #require(h.handles["ox"])
        h.feed(.portGone(first, reason: "EIO"), at: 1000)
        #expect(h.connections.last?.0 == .disconnected)
        #expect(h.effects.contains { if case .close(let c) = $0 { c == first } else { false } })
        h.run(to: 30_000)
        let second = try #require(h.handles["ox"])
        #expect(second.generation > first.generation)
        // Bytes a reader of the first open delivers late are not decoded.
        var encoder = NoninDF7.makeEncoder()
        var snap = VitalSnapshot(deviceTime: DeviceTime(milliseconds: 0, kind: .counter))
        snap.spo2 = 88
        h.feed(.bytes(first, encoder.encodeBytes(snap)), at: 30_100)
        #expect(!h.readings.contains { $0.value == 88 })
    }

    @Test func anUnpluggedDeviceWaitsForUdevInsteadOfReopening() throws {
        let info = SerialDeviceInfo(devnode: "/dev/ttyUSB0")
        let devices = DevicesFile(
            path: "/etc/vitals/devices.yaml", entries: [.init(key: .port("/dev/ttyUSB0"), profileID: NoninDF7.id, label: "ox")])
        let room = Harness(rules: nil) { $0.devicesFile = devices }
        room.feed(.deviceAdded(info, why: "present at start"), at: 0)
        #expect(room.opens.count == 1)
        room.feed(.deviceRemoved(devnode: "/dev/ttyUSB0"), at: 1000)
        room.run(to: 120_000)
        #expect(room.opens.count == 1, "reopened a removed device")
        room.feed(.deviceAdded(info, why: "plugged in"), at: 121_000)
        #expect(room.opens.count == 2)
    }

    @Test func theDoseOfTheSessionReachesTheRulesOnceAndStopClosesPolitely() throws {
        let h = Harness(rules: try Self.rules)
        let record = SessionRecord(id: 7, plan: SessionPlan(room: "test"), startedAt: Self.epoch)
        h.feed(.session(RoomSession(record: record)), at: 0)
        h.attach(NoninDF7.self, name: "ox")
        var dosed = record
        dosed.doseAt = Self.epoch + 5000
        h.feed(.session(RoomSession(record: dosed)), at: 6000)
        h.feed(.session(RoomSession(record: dosed)), at: 7000)
        #expect(h.effects.filter { if case .log(_, let m) = $0 { m.hasPrefix("dose recorded") } else { false } }.count == 1)
        h.feed(.stop, at: 8000)
        #expect(h.effects.contains { if case .close = $0 { true } else { false } })
        #expect(h.effects.contains { if case .emit(.finished) = $0 { true } else { false } })
        #expect(h.room.nextDeadline == nil)
        h.feed(.tick, at: 9000)
        #expect(!h.effects.suffix(1).contains { if case .emit(.finished) = $0 { false } else { true } })
    }

    @Test func alertsOfAnEarlierRunAreEndedOnceWhenTheSessionIsFirstSeen() throws {
        let h = Harness(rules: try Self.rules)
        let record = SessionRecord(id: 3, plan: SessionPlan(room: "test"), startedAt: Self.epoch)
        let earlier = StoredAlert(
            id: 1, sessionID: 3, rule: "spo2-low", kind: .physiological, metric: .spo2, priority: .medium,
            message: "SpO2 low", raisedAt: Self.epoch - 1000, escalatedAt: nil, acknowledgedAt: nil, acknowledgedBy: nil,
            clearedAt: nil, occurrence: 4)
        h.feed(.session(RoomSession(record: record, storedMaxOccurrence: 4, activeFromEarlierRun: [earlier])), at: 0)
        h.feed(.session(RoomSession(record: record, storedMaxOccurrence: 4, activeFromEarlierRun: [earlier])), at: 500)
        let cleared = h.alerts.filter { $0.event == .cleared && $0.rule == "spo2-low" }
        #expect(cleared.count == 1 && cleared.first?.occurrence == 4)
        // This run numbers its own occurrences above the stored ones.
        h.attach(NoninDF7.self, name: "ox")
        h.run(to: 60_000)
        #expect(h.alerts.filter { $0.event == .raised }.allSatisfy { $0.occurrence > 4 })
    }

    /// A stored session limit the rules refuse (a typo, a value out of range) is not used, and
    /// the room raises a technical alert for as long as the session runs with it (issue 10).
    @Test func aRefusedSessionLimitRaisesATechnicalAlertAndTheRestStillApply() throws {
        let h = Harness(rules: try Self.rules)
        let plan = SessionPlan(room: "test", limits: ["spo2_lo": 88, "stale_spo2": 1e300, "spo2_low": 92])
        h.feed(.session(RoomSession(record: SessionRecord(id: 1, plan: plan, startedAt: Self.epoch))), at: 0)
        let raised = h.alerts.filter { $0.rule == RoomFault.sessionParameterRefused.rawValue && $0.event == .raised }
        #expect(raised.count == 1)
        let message = try #require(raised.first?.message)
        #expect(message.contains("spo2_lo=88") && message.contains("did you mean `spo2_low`"), "\(message)")
        #expect(message.contains("stale_spo2=") && message.contains("running on the rule default"), "\(message)")
        #expect(raised.first?.kind == .technical)
        // The next session has valid limits: the alert clears.
        let fine = SessionPlan(room: "test", limits: ["spo2_low": 92])
        h.feed(.session(RoomSession(record: SessionRecord(id: 2, plan: fine, startedAt: Self.epoch + 1000))), at: 1000)
        #expect(h.alerts.contains { $0.rule == RoomFault.sessionParameterRefused.rawValue && $0.event == .cleared })
    }
}

/// Recordings of field faults replay with the alarms they raised live.
@Suite struct FieldFaultReplayTests {
    @Test func aSilentLegacyContecReplaysQuietThenStale() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
        let sources = try ReplaySource.load(specs: ["contec-cms50=" + root.appendingPathComponent("Fixtures/contec-cms50/silent-60s-newer-firmware.script").path])
        let out = RecordingOutput()
        try Replay(sources: sources, rules: try RoomCoreTests.rules).run(outputs: [out])
        let quiet = try #require(out.deviceEvents.first { if case .connection(.quiet) = $0.0 { true } else { false } })
        _ = quiet
        let stale = try #require(out.alerts.first { $0.rule == "spo2-stale" && $0.event == .raised })
        #expect(stale.kind == .technical)
        #expect(stale.time.milliseconds <= 35_000)
        #expect(out.readings.isEmpty)
    }
}
