import DeviceProtocols
import Dispatch
import Foundation
import RulesEngine
import Store
import Synchronization
import VitalsCore

/// Re-runs stored sessions through a rule set, to show a clinic what a change of rules or limits
/// would do to its alarm load before it makes it (`vitals rules backtest`).
///
/// Each session's readings and device events (connection changes, sensor off/on) go through a
/// `RoomPipeline` with a fresh `RuleEngine` on a `VirtualClock`, in time order, with the session's
/// own limit overrides (then `limits` on top), the attached devices' metrics announced, and the
/// dose at its recorded time. Run time 0 is the session's start. The run ends at the latest of
/// the session's end, its last reading, device event or recorded alert event.
///
/// What cannot be reproduced exactly: other device statuses (device alarms, missing values...)
/// are not fed, since the store keeps only some of them; they change no condition but made the
/// live engine evaluate every rule at that instant, so an event can move by less than a second.
/// Acknowledgements are not replayed (the store keeps them per alert, not as engine input), so
/// re-alarms and escalations may differ from the live run; occurrences, which are what is
/// counted, do not depend on them except through latching.
///
/// Monitored time is the time with at least one device streaming, from the stored connection
/// events (`connected`/`streaming` start it, `quiet`/`disconnected` end it; the session's end
/// ends it). A session with no connection events counts its whole duration.
public struct Backtest: Sendable {
    /// The rule set to try.
    public var rules: RuleSet
    /// Limit overrides applied to every session, over the session's own.
    public var limits: [String: Double]

    /// A backtest of `rules`, with `limits` overriding every session's own.
    ///
    /// - Throws: `LimitRefusal` when an override in `limits` is refused by `rules` (`RuleSet.validate(limits:)`).
    public init(rules: RuleSet, limits: [String: Double] = [:]) throws(LimitRefusal) {
        _ = try RuleEngine(rules: rules, limits: limits)
        self.rules = rules
        self.limits = limits
    }

    /// Backtests the sessions `ids` (every stored session when `nil`, oldest first), on up to
    /// `workers` threads (default: one a core), each session on one thread; the report lists the
    /// sessions in the order asked, whatever order they finished in.
    public func run(database: VitalsDatabase, sessions ids: [Int64]? = nil, workers: Int? = nil) throws -> BacktestReport {
        let records = try ids.map { list throws(StoreError) in try list.map { id throws(StoreError) in try database.session(id: id) } }
            ?? database.sessions(limit: Int(Int32.max)).reversed()
        let threads = max(1, min(workers ?? ProcessInfo.processInfo.activeProcessorCount, records.count))
        if threads == 1 {
            var buffer: [SessionReadingRow] = []
            return BacktestReport(sessions: try records.map { try run(database: database, session: $0, buffer: &buffer) })
        }
        // Sessions are independent (a fresh engine and pipeline each): hand them out one at a
        // time from a shared index, so a long session does not leave a thread idle.
        let shared = Mutex(BacktestWork(count: records.count))
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            var buffer: [SessionReadingRow] = []
            while true {
                guard let i = shared.withLock({ $0.take() }) else { return }
                let outcome = Result { try self.run(database: database, session: records[i], buffer: &buffer) }
                shared.withLock { $0.results[i] = outcome }
            }
        }
        return BacktestReport(sessions: try shared.withLock { w in try w.results.map { try $0!.get() } })
    }

    /// Backtests one session.
    public func run(database: VitalsDatabase, session: SessionRecord) throws -> BacktestSessionResult {
        var buffer: [SessionReadingRow] = []
        return try run(database: database, session: session, buffer: &buffer)
    }

    /// Backtests one session, reading its readings into `buffer` (reused between sessions).
    func run(database: VitalsDatabase, session: SessionRecord, buffer readings: inout [SessionReadingRow]) throws -> BacktestSessionResult {
        let start = session.startedAt
        try database.loadReadings(session: session.id, into: &readings)
        let deviceEvents = try database.deviceEvents(session: session.id)
        let recordedAlerts = try database.alerts(session: session.id)
        let recordedEvents = try database.alertEvents(session: session.id)
        let dose = try session.doseAt ?? database.events(session: session.id).first { $0.kind == .dose }?.at

        var end = session.endedAt ?? start
        end = max(end, readings.last?.hostTime ?? start, deviceEvents.last?.at ?? start,
                  recordedEvents.map(\.event.hostTime).max() ?? start)

        // The session's overrides that this set accepts (a stored value it refuses runs on the
        // rule default, as in the room), then the backtest's own.
        let stored = rules.validate(limits: session.plan.limits)
        var overrides = stored.accepted
        let ignored = stored.refusals.map(\.name)
        overrides.merge(limits) { _, backtest in backtest }

        let clock = VirtualClock(epochMilliseconds: start)
        let engine = try RuleEngine(rules: rules, limits: overrides, hostTime: { start + $0.milliseconds })
        let collector = BacktestCollector()
        let pipeline = RoomPipeline(clock: clock, evaluator: engine, outputs: [collector])
        for d in try database.devices(session: session.id) {
            if let profile = ProfileCatalog.profile(named: d.profile) {
                pipeline.attach(device: d.name, provides: profile.metrics)
            }
        }
        var pendingDose = dose.map { RunTime(milliseconds: max(0, $0 - start)) }
        func feed(_ input: TimedInput) {
            if let d = pendingDose, input.time >= d {
                clock.advance(to: d)
                pipeline.doseGiven(at: d)
                pendingDose = nil
            }
            clock.advance(to: input.time)
            pipeline.handle(input)
        }
        // Merge the device events (few, sorted) into the readings (sorted) without building the
        // whole input list: at equal times a device event comes first, as in `inputs(...)`.
        let events = Self.inputs(deviceEvents: deviceEvents, start: start)
        var nextEvent = 0
        for r in readings {
            let time = RunTime(milliseconds: max(0, r.hostTime - start))
            while nextEvent < events.count, events[nextEvent].time <= time {
                feed(events[nextEvent])
                nextEvent += 1
            }
            feed(TimedInput(
                time: time, device: r.device,
                input: .decoded(.reading(Reading(metric: r.metric, value: r.value, flags: r.flags)))))
        }
        while nextEvent < events.count {
            feed(events[nextEvent])
            nextEvent += 1
        }
        let last = RunTime(milliseconds: end - start)
        if let d = pendingDose, d <= last {
            clock.advance(to: d)
            pipeline.doseGiven(at: d)
        }
        clock.advance(to: last)
        pipeline.advance(to: last)
        pipeline.finish()

        let monitored = Self.monitoredMilliseconds(deviceEvents: deviceEvents, start: start, end: end)
        var raised: [String: Set<Int>] = [:]
        for e in collector.events where e.event == .raised { raised[e.rule, default: []].insert(e.occurrence) }
        var recorded: [String: Int] = [:]
        for a in recordedAlerts { recorded[a.rule, default: 0] += 1 }
        var loads = rules.rules.map { r in
            BacktestRuleLoad(
                rule: r.id, priority: r.priority, kind: r.kind, backtest: raised[r.id]?.count ?? 0,
                recorded: recorded[r.id] ?? 0, monitoredMilliseconds: monitored)
        }
        for rule in recorded.keys.sorted() where rules.rule(id: rule) == nil {
            loads.append(BacktestRuleLoad(
                rule: rule, priority: nil, kind: nil, backtest: 0, recorded: recorded[rule] ?? 0,
                monitoredMilliseconds: monitored))
        }
        return BacktestSessionResult(
            sessionID: session.id, room: session.room, monitoredMilliseconds: monitored, rules: loads,
            events: collector.events, ignoredLimits: ignored)
    }

    /// The stored device events as the pipeline takes them, in time order (stable: the store's
    /// order at equal times).
    static func inputs(deviceEvents: [DeviceEvent], start: Int64) -> [TimedInput] {
        inputs(readings: [], deviceEvents: deviceEvents, start: start)
    }

    /// The stored inputs as the pipeline takes them, in time order; at equal times, device
    /// events come before readings (a device is connected before its first reading).
    static func inputs(readings: [StoredReading], deviceEvents: [DeviceEvent], start: Int64) -> [TimedInput] {
        var all: [TimedInput] = []
        all.reserveCapacity(readings.count + deviceEvents.count)
        func at(_ t: Int64) -> RunTime { RunTime(milliseconds: max(0, t - start)) }
        for e in deviceEvents {
            let input: DeviceInput
            switch e.kind {
            case .connected, .streaming: input = .connection(.streaming)
            case .quiet: input = .connection(.quiet)
            case .disconnected: input = .connection(.disconnected)
            case .sensorOff: input = .decoded(.status(DeviceStatus(.sensorOff, metric: e.metric, detail: e.detail)))
            case .sensorOn: input = .decoded(.status(DeviceStatus(.sensorOn, metric: e.metric, detail: e.detail)))
            case .resync, .commandSent, .status, .clockStep: continue
            }
            all.append(TimedInput(time: at(e.at), device: e.device, input: input))
        }
        for r in readings {
            all.append(TimedInput(
                time: at(r.hostTime), device: r.device,
                input: .decoded(.reading(Reading(metric: r.metric, value: r.value, flags: r.flags)))))
        }
        return all.enumerated().sorted { a, b in
            a.element.time != b.element.time ? a.element.time < b.element.time : a.offset < b.offset
        }.map(\.element)
    }

    /// Time from `start` to `end` with at least one device streaming; the whole span when the
    /// events say nothing about connections.
    static func monitoredMilliseconds(deviceEvents: [DeviceEvent], start: Int64, end: Int64) -> Int64 {
        var streaming: Set<String> = []
        var since: Int64?
        var total: Int64 = 0
        var sawConnection = false
        for e in deviceEvents {
            let t = min(max(e.at, start), end)
            switch e.kind {
            case .connected, .streaming:
                sawConnection = true
                if streaming.isEmpty { since = t }
                streaming.insert(e.device)
            case .quiet, .disconnected:
                sawConnection = true
                streaming.remove(e.device)
                if streaming.isEmpty, let s = since {
                    total += t - s
                    since = nil
                }
            default:
                break
            }
        }
        if let s = since { total += end - s }
        return sawConnection ? total : max(0, end - start)
    }
}

/// The sessions not yet handed out and the results so far, shared by the backtest's threads.
struct BacktestWork: ~Copyable {
    private var next = 0
    var results: [Result<BacktestSessionResult, any Error>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    mutating func take() -> Int? {
        guard next < results.count else { return nil }
        defer { next += 1 }
        return next
    }
}
