import Bridge
import DeviceProtocols
import Foundation
import RulesEngine
import Store
import Testing
import VitalsCore

/// `Backtest` against a real SQLite file: a session stored the way `vitals replay --db` stores it
/// (Replay + StoreOutput + ReadingWriter), then re-run through rule sets.
@Suite struct BacktestTests {
    /// This test's folder, removed with the suite instance (issue 19: tests left `backtest-*`
    /// folders behind).
    let scratch = ScratchDirectory(prefix: "backtest")

    static let rulesPath: String = {
        var url = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent("Rules/ketamine.yaml").path
    }()

    /// A 15-minute desaturation session (SpO2 about 84 % from 11 to 13 minutes) stored in a new
    /// database; returns the database, the session and the alert events the live run gave.
    func storedSession() throws -> (VitalsDatabase, SessionRecord, [AlertEvent]) {
        let dir = scratch.url
        let database = try VitalsDatabase(path: dir.appendingPathComponent("vitals.sqlite").path)
        var device = SimulatedDevice(profile: NoninDF8.self, scenario: .desaturation, dose: nil)
        let script = ScenarioRecorder.record(&device, duration: .seconds(900))
        let source = ReplaySource(profile: NoninDF8.self, script: script, device: "nonin-df8", path: "desaturation")
        let epoch = VirtualClock.defaultEpoch
        let writer = ReadingWriter(database: database, configuration: WriterConfiguration(room: "replay"), now: { epoch })
        writer.register(DeviceIdentity(profile: NoninDF8.id, name: "nonin-df8", port: "desaturation"), at: epoch)
        let live = RecordingOutput()
        let rules = try RuleSet.load(path: Self.rulesPath)
        try Replay(sources: [source], rules: rules, epochMilliseconds: epoch).run(outputs: [live, StoreOutput(writer: writer)])
        let session = try #require(try database.sessions(limit: 1).first)
        return (database, session, live.alerts)
    }

    @Test func theSameRulesGiveTheCountsRecordedLive() throws {
        let (database, session, live) = try storedSession()
        let rules = try RuleSet.load(path: Self.rulesPath)
        let report = try Backtest(rules: rules).run(database: database, sessions: [session.id])
        let result = try #require(report.sessions.first)
        // The live run raised SpO2 alarms; the store folded them into alert rows.
        let liveRaised = Set(live.filter { $0.event == .raised }.map { "\($0.rule)#\($0.occurrence)" })
        #expect(liveRaised.contains { $0.hasPrefix("spo2-low#") })
        #expect(liveRaised.contains { $0.hasPrefix("spo2-severe#") })
        let recordedTotal = result.rules.reduce(0) { $0 + $1.recorded }
        #expect(recordedTotal == liveRaised.count)
        for load in result.rules {
            #expect(load.backtest == load.recorded, "\(load.rule): backtest \(load.backtest), recorded \(load.recorded)")
        }
        // The backtest gives the live run's alert events at the same host times (its run time
        // counts from the session's start, which the writer set at the first data).
        #expect(result.events.map { "\($0.hostTime) \($0.rule) \($0.event) \($0.value ?? -1)" }
            == live.map { "\($0.hostTime) \($0.rule) \($0.event) \($0.value ?? -1)" })
        // Monitored: the oximeter streamed from its first reading to the end, about 15 minutes.
        #expect(result.monitoredMilliseconds > 14 * 60_000 && result.monitoredMilliseconds <= 15 * 60_000)
        let spo2 = try #require(report.totals.first { $0.rule == "spo2-low" })
        #expect(spo2.recorded == 1 && spo2.backtestPerHour == spo2.recordedPerHour)
        #expect(abs((spo2.recordedPerHour ?? 0) - 3_600_000 / Double(result.monitoredMilliseconds)) < 1e-9)
    }

    @Test func aStricterLimitGivesMoreAlerts() throws {
        let (database, session, _) = try storedSession()
        // The shipped range of pulse_high (90-180) refuses 60: this test widens it in its copy.
        let text = try String(contentsOfFile: Self.rulesPath, encoding: .utf8)
        let widened = text.replacingOccurrences(of: "pulse_high: {default: 120, unit: \"/min\", range: [90, 180]}",
                                                with: "pulse_high: {default: 120, unit: \"/min\", range: [50, 180]}")
        #expect(widened != text)
        let rules = try RuleSet.parse(yaml: widened)
        #expect(throws: LimitRefusal.self) { try Backtest(rules: try RuleSet.load(path: Self.rulesPath), limits: ["pulse_high": 60]) }
        // A pulse of about 72 is above 60 the whole session: pulse-high after its 5-minute hold.
        let report = try Backtest(rules: rules, limits: ["pulse_high": 60]).run(database: database)
        #expect(report.sessions.map(\.sessionID) == [session.id])
        let pulse = try #require(report.totals.first { $0.rule == "pulse-high" })
        #expect(pulse.recorded == 0 && pulse.backtest == 1)
        let backtest = report.totals.reduce(0) { $0 + $1.backtest }
        let recorded = report.totals.reduce(0) { $0 + $1.recorded }
        #expect(backtest > recorded)
    }

    /// Sessions run on several threads give the report one thread gives, in the order asked.
    @Test func parallelSessionsGiveTheSameReportInOrder() throws {
        let (database, first, _) = try storedSession()
        // Two more sessions, holding copies of the first one's readings an hour and two later.
        let readings = try database.readings(session: first.id)
        var ids = [first.id]
        for k in 1...2 {
            let shift = Int64(k) * 3_600_000
            let s = try database.startSession(SessionPlan(room: "replay"), at: first.startedAt + shift)
            let writer = ReadingWriter(database: database, configuration: WriterConfiguration(room: "replay"), onError: { _ in })
            writer.register(DeviceIdentity(profile: NoninDF8.id, name: "nonin-df8"), at: first.startedAt + shift)
            for r in readings {
                writer.append(Observation(
                    reading: Reading(metric: r.metric, value: r.value, flags: r.flags), device: r.device,
                    time: RunTime(milliseconds: 0), hostTime: r.hostTime + shift))
            }
            writer.close()
            try database.endSession(s.id, at: first.startedAt + shift + 900_000, reason: nil)
            ids.append(s.id)
        }
        let rules = try RuleSet.load(path: Self.rulesPath)
        let order = [ids[2], ids[0], ids[1]]
        let one = try Backtest(rules: rules).run(database: database, sessions: order, workers: 1)
        let two = try Backtest(rules: rules).run(database: database, sessions: order, workers: 2)
        #expect(two.sessions.map(\.sessionID) == order)
        func text(_ r: BacktestReport) -> [String] {
            r.sessions.flatMap { s in s.events.map { "\(s.sessionID) \($0.hostTime) \($0.rule) \($0.event)" } }
        }
        #expect(text(one) == text(two))
        #expect(!text(one).isEmpty)
        #expect(one.totals.map(\.backtest) == two.totals.map(\.backtest))
    }

    @Test func anOverrideTheRulesLackIsRefused() throws {
        let rules = try RuleSet.load(path: Self.rulesPath)
        #expect(throws: LimitRefusal.self) { try Backtest(rules: rules, limits: ["spo2_lo": 88]) }
    }

    @Test func aStoredSessionLimitTheRulesRefuseRunsOnTheDefault() throws {
        let (database, _, _) = try storedSession()
        // A session stored before limits were validated: an absurd value and a typo.
        let start = VirtualClock.defaultEpoch + 3_600_000
        let bad = try database.startSession(
            SessionPlan(room: "replay", patientRef: "P", limits: ["stale_spo2": 1e300, "spo2_lo": 88, "spo2_low": 88]), at: start)
        try database.endSession(bad.id, at: start + 60_000, reason: nil)
        let rules = try RuleSet.load(path: Self.rulesPath)
        let result = try Backtest(rules: rules).run(database: database, session: try database.session(id: bad.id))
        #expect(result.ignoredLimits == ["spo2_lo", "stale_spo2"])
    }
}

/// A folder under the temporary directory, removed when the last reference goes.
final class ScratchDirectory: Sendable {
    let url: URL

    init(prefix: String) {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
