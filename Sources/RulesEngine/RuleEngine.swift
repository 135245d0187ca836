import Foundation
import VitalsCore

/// The real-time alert engine: observations, device statuses, connection changes and clock
/// ticks in; alert events out.
///
/// It never reads a clock: every call carries its run time, and time only moves forward (a call
/// with an earlier time is treated as happening now). The same calls in the same order give the
/// same events, so a replay runs at machine speed. The pipeline calls `tick(at:)` at least every
/// second and at `nextDeadline`, so holds, escalations, re-alarms and stale-data rules change
/// state on time even when no reading arrives.
public struct RuleEngine: Sendable {
    /// The rules in force.
    public private(set) var rules: RuleSet
    /// The limit values in force (defaults with the session's overrides), by name.
    public var limitValues: [String: Double] {
        Dictionary(uniqueKeysWithValues: zip(rules.limits.map(\.name), limitTable))
    }
    /// The session's overrides, kept for `reload(rules:)`.
    public private(set) var overrides: [String: Double]
    /// The time of the latest call.
    public private(set) var now: RunTime = .zero
    /// When the dose was given, if it was.
    public private(set) var doseTime: RunTime?

    let hostTime: @Sendable (RunTime) -> Int64
    var limitTable: [Double]
    var states: [AlertState]
    var histories: [MetricHistory]
    var satseconds: [SatSecondsAccumulator]
    var satsecondsLimits: [Double]
    /// Readings counted in each dose window, and the windows' bounds in milliseconds.
    var doseWindowCounts: [Int] = []
    var doseWindowBounds: [(from: Int64, to: Int64)] = []
    var baselines: [Metric: Double] = [:]
    var explicitBaselines: Set<Metric> = []
    var deviceStates: [String: ConnectionState] = [:]
    var nextOccurrence = 1
    /// Whether rule `i` reads a metric, by `Metric.storageCode` then rule index.
    var rulesByMetric: [[Bool]]

    /// An engine for `rules`, with the session's limit overrides (numbers in the limit's unit,
    /// durations in seconds) and a function giving the host wall-clock label for a run time.
    ///
    /// - Throws: `UnknownLimitError` when an override names no declared limit.
    public init(
        rules: RuleSet, limits: [String: Double] = [:],
        hostTime: @escaping @Sendable (RunTime) -> Int64 = { $0.milliseconds }
    ) throws(UnknownLimitError) {
        self.rules = rules
        self.overrides = limits
        self.hostTime = hostTime
        self.limitTable = try Self.resolve(rules, limits)
        self.states = rules.rules.map { AlertState(priority: $0.priority) }
        self.histories = Array(repeating: MetricHistory(), count: Self.metricSlots)
        self.satseconds = Array(repeating: SatSecondsAccumulator(), count: rules.satseconds.count)
        self.satsecondsLimits = []
        self.rulesByMetric = []
        index()
    }

    static let metricSlots = (Metric.allCases.map(\.storageCode).max() ?? 0) + 1

    static func resolve(_ rules: RuleSet, _ overrides: [String: Double]) throws(UnknownLimitError) -> [Double] {
        for name in overrides.keys.sorted() where rules.limit(named: name) == nil {
            throw UnknownLimitError(name: name, suggestion: Suggestion.nearest(to: name, in: rules.limits.map(\.name)))
        }
        return rules.limits.map { overrides[$0.name] ?? $0.defaultValue }
    }

    mutating func index() {
        rulesByMetric = Array(repeating: Array(repeating: false, count: rules.rules.count), count: Self.metricSlots)
        for (i, r) in rules.rules.enumerated() {
            for m in r.metrics { rulesByMetric[m.storageCode][i] = true }
        }
        doseWindowBounds = rules.doseWindows.map { spec in
            (Int64(((constant(spec.from) ?? 0) * 1000).rounded()), Int64(((constant(spec.to) ?? 0) * 1000).rounded()))
        }
        recountDoseWindows()
        satsecondsLimits = rules.satseconds.map { spec in
            switch spec.limit {
            case .limit(let slot): limitTable[slot]
            case .number(let v): v
            default: 0
            }
        }
    }

    // MARK: Inputs

    /// A reading arrived. A reading flagged artifact, sensor off, held or out of track
    /// (`QualityFlags.isPhysiologicallyValid` false) never feeds windows, baselines or the metric's
    /// value; only the quality functions (`artifact`, `sensor_off`) see it.
    public mutating func observe(_ o: Observation) -> [AlertEvent] {
        advance(to: o.time)
        let slot = o.metric.storageCode
        let t = now.milliseconds
        histories[slot].device = o.device
        histories[slot].lastFlags = o.flags
        histories[slot].sensorOff = o.flags.contains(.sensorOff)
        if o.flags.isPhysiologicallyValid && o.value.isFinite {
            histories[slot].append(time: t, value: o.value)
            histories[slot].trim(now: t, horizon: rules.historyMilliseconds, keep: rules.historyCount)
            if let d = doseTime?.milliseconds {
                for (i, spec) in rules.doseWindows.enumerated() where spec.metric == o.metric
                    && t - d >= doseWindowBounds[i].from && t - d <= doseWindowBounds[i].to {
                    doseWindowCounts[i] += 1
                }
            }
            for (i, spec) in rules.satseconds.enumerated() where spec.metric == o.metric {
                satseconds[i].add(value: o.value, at: t, limit: satsecondsLimits[i])
            }
        }
        var events: [AlertEvent] = []
        let dependent = rulesByMetric[slot]
        let count = rules.rules.count
        for i in 0..<count where dependent[i] || isDue(i) {
            step(i, into: &events)
        }
        return events
    }

    /// A device said something about itself. `sensor-off` and `sensor-on` change `sensor_off(m)`
    /// for the status's metric, or for every metric the device provides when it names none.
    public mutating func deviceStatus(_ s: DeviceStatus, device: String, at time: RunTime) -> [AlertEvent] {
        advance(to: time)
        if s.kind == .sensorOff || s.kind == .sensorOn {
            for m in Metric.allCases where s.metric == m || (s.metric == nil && histories[m.storageCode].device == device) {
                histories[m.storageCode].sensorOff = s.kind == .sensorOff
                if histories[m.storageCode].device == nil { histories[m.storageCode].device = device }
            }
        }
        return evaluateAll()
    }

    /// A device's connection changed state.
    public mutating func connection(_ state: ConnectionState, device: String, at time: RunTime) -> [AlertEvent] {
        advance(to: time)
        deviceStates[device] = state
        return evaluateAll()
    }

    /// Tells the engine which metrics a device provides before it has sent any reading, so
    /// `connected(m)`/`disconnected(m)` know the device from the start.
    public mutating func attach(device: String, provides metrics: [Metric]) {
        for m in metrics where histories[m.storageCode].device == nil { histories[m.storageCode].device = device }
    }

    /// Time passed with no other input: holds, clears, escalations, re-alarms and time-based
    /// conditions (stale data, `since_dose`, windows) are evaluated.
    public mutating func tick(at time: RunTime) -> [AlertEvent] {
        advance(to: time)
        return evaluateAll()
    }

    /// The dose was given at `time`: `since_dose` starts, and each metric without an explicit
    /// baseline gets one derived from the readings before it (see `Baseline`). Rules are
    /// evaluated at once (a pre-dose rule ends here).
    @discardableResult
    public mutating func doseGiven(at time: RunTime) -> [AlertEvent] {
        advance(to: time)
        doseTime = time
        recountDoseWindows()
        let d = time.milliseconds
        for m in Metric.allCases where !explicitBaselines.contains(m) {
            let h = histories[m.storageCode]
            if m.isBloodPressure {
                var value: Double?
                if let lt = h.lastValidTime, lt <= d {
                    value = d - lt <= Baseline.bloodPressureMaxAge ? h.lastValidValue : nil
                } else {
                    let end = h.firstIndex(from: d + 1)
                    if end > h.head, d - h.times[end - 1] <= Baseline.bloodPressureMaxAge { value = h.values[end - 1] }
                }
                baselines[m] = value
            } else {
                let from = h.firstIndex(from: d - Baseline.windowMilliseconds)
                let to = h.firstIndex(from: d + 1)
                baselines[m] = from < to ? Baseline.median(Array(h.values[from..<to])) : nil
            }
        }
        return evaluateAll()
    }

    /// Sets a metric's baseline explicitly (a clinician's entry); `nil` removes it. An explicit
    /// baseline is kept when the dose is recorded.
    public mutating func setBaseline(_ value: Double?, for metric: Metric) {
        baselines[metric] = value
        if value != nil { explicitBaselines.insert(metric) } else { explicitBaselines.remove(metric) }
    }

    /// The baseline in force for `metric`, if any.
    public func baseline(_ metric: Metric) -> Double? { baselines[metric] }

    /// Acknowledges the current occurrence of `rule`. A firing alert is silenced (re-alarmed
    /// after the rule's `realarm` if its condition still holds); a latched one clears.
    /// Acknowledging an alert that is not raised gives no event.
    public mutating func acknowledge(rule id: String, by: String, at time: RunTime) -> [AlertEvent] {
        advance(to: time)
        var events: [AlertEvent] = []
        for i in rules.rules.indices where isDue(i) { step(i, into: &events) }
        guard let i = rules.rules.firstIndex(where: { $0.id == id }) else { return events }
        acknowledge(i, by: by, into: &events)
        return events
    }

    /// Acknowledges the alert occurrence `occurrence` (the id in its events), if it is raised.
    public mutating func acknowledge(occurrence: Int, by: String, at time: RunTime) -> [AlertEvent] {
        guard let i = states.firstIndex(where: { $0.occurrence == occurrence && ($0.phase == .firing || $0.phase == .latched) }) else {
            advance(to: time)
            return []
        }
        return acknowledge(rule: rules.rules[i].id, by: by, at: time)
    }

    /// Replaces the rules. Alert state is kept for every rule id present in both sets; a raised
    /// alert whose rule is gone is cleared (events returned). Readings and baselines are kept.
    ///
    /// - Throws: `UnknownLimitError` when a session override names no limit of the new set;
    ///   the engine is then unchanged.
    @discardableResult
    public mutating func reload(rules new: RuleSet) throws(UnknownLimitError) -> [AlertEvent] {
        let table = try Self.resolve(new, overrides)
        var events: [AlertEvent] = []
        var newStates: [AlertState] = []
        for r in new.rules {
            if let old = rules.rules.firstIndex(where: { $0.id == r.id }) {
                var s = states[old]
                if !s.escalated { s.priority = r.priority }
                newStates.append(s)
            } else {
                newStates.append(AlertState(priority: r.priority))
            }
        }
        for (i, r) in rules.rules.enumerated() where new.rule(id: r.id) == nil {
            if states[i].phase == .firing || states[i].phase == .latched {
                events.append(event(.cleared, i, value: currentValue(i)))
            }
        }
        var newAccumulators: [SatSecondsAccumulator] = []
        let oldSpecs = rules.satseconds
        let oldLimits = satsecondsLimits
        let oldAccumulators = satseconds
        let oldWindows = zip(zip(rules.doseWindows, doseWindowBounds), doseWindowCounts).map { ($0.0.metric, $0.1.from, $0.1.to, $1) }
        rules = new
        limitTable = table
        states = newStates
        index()
        for (i, spec) in new.satseconds.enumerated() {
            let keep = oldSpecs.indices.first { oldSpecs[$0].metric == spec.metric && oldLimits[$0] == satsecondsLimits[i] }
            newAccumulators.append(keep.map { oldAccumulators[$0] } ?? SatSecondsAccumulator())
        }
        satseconds = newAccumulators
        // Counts survive a reload (older readings may no longer be kept to recount them).
        for (i, spec) in new.doseWindows.enumerated() {
            if let old = oldWindows.first(where: { $0.0 == spec.metric && $0.1 == doseWindowBounds[i].from && $0.2 == doseWindowBounds[i].to }) {
                doseWindowCounts[i] = old.3
            }
        }
        return events
    }

    /// The phase of `rule`'s alert.
    public func phase(of rule: String) -> AlertPhase? {
        rules.rules.firstIndex { $0.id == rule }.map { states[$0].phase }
    }

    /// Counts the kept readings that fall in each dose window (after the dose is recorded, or
    /// a reload); later readings are counted as they arrive.
    mutating func recountDoseWindows() {
        doseWindowCounts = rules.doseWindows.enumerated().map { i, spec in
            guard let d = doseTime?.milliseconds else { return 0 }
            let h = histories[spec.metric.storageCode]
            return h.times[h.head...].filter { $0 - d >= doseWindowBounds[i].from && $0 - d <= doseWindowBounds[i].to }.count
        }
    }

    // MARK: Evaluation

    mutating func advance(to time: RunTime) {
        if time > now { now = time }
    }

    mutating func evaluateAll() -> [AlertEvent] {
        var events: [AlertEvent] = []
        for i in rules.rules.indices { step(i, into: &events) }
        return events
    }

    /// True when a timer of rule `i` (hold, clear hold, escalation, re-alarm) has run out.
    func isDue(_ i: Int) -> Bool {
        guard let d = timerDeadline(i) else { return false }
        return d <= now.milliseconds
    }

    func timerDeadline(_ i: Int) -> Int64? {
        let r = rules.rules[i]
        let s = states[i]
        switch s.phase {
        case .inactive: return nil
        case .pending: return s.activeSince + r.holdMilliseconds
        case .firing, .latched:
            var d: Int64?
            func consider(_ x: Int64) { if d == nil || x < d! { d = x } }
            if let c = s.clearingSince { consider(c + r.clearHoldMilliseconds) }
            if let e = r.escalation, !s.escalated, s.acknowledgedAt == nil { consider(s.raisedAt + e.afterMilliseconds) }
            if let a = s.acknowledgedAt, let re = r.realarmMilliseconds, s.phase == .firing { consider(a + re) }
            return d
        }
    }

    /// Moves rule `i`'s alert through its states at `now`.
    mutating func step(_ i: Int, into events: inout [AlertEvent]) {
        let r = rules.rules[i]
        let t = now.milliseconds
        let holds = bool(r.when) == true
        switch states[i].phase {
        case .inactive:
            guard holds else { return }
            if r.holdMilliseconds == 0 {
                raise(i, into: &events)
            } else {
                states[i].phase = .pending
                states[i].activeSince = t
            }
        case .pending:
            if !holds {
                states[i].phase = .inactive
            } else if t - states[i].activeSince >= r.holdMilliseconds {
                raise(i, into: &events)
            }
        case .firing:
            if holds {
                states[i].clearingSince = nil
            } else {
                let clearing = r.clear.map { bool($0) == true } ?? (bool(r.when) == false)
                if !clearing {
                    states[i].clearingSince = nil
                } else {
                    if states[i].clearingSince == nil { states[i].clearingSince = t }
                    if t - states[i].clearingSince! >= r.clearHoldMilliseconds {
                        states[i].clearingSince = nil
                        if r.latching && states[i].acknowledgedAt == nil {
                            states[i].phase = .latched
                        } else {
                            events.append(event(.cleared, i, value: currentValue(i)))
                            states[i].phase = .inactive
                            return
                        }
                    }
                }
            }
            timers(i, into: &events)
        case .latched:
            if holds {
                states[i].phase = .firing
                states[i].clearingSince = nil
            }
            timers(i, into: &events)
        }
    }

    /// Escalation of an unacknowledged alert; re-alarm of an acknowledged one still firing.
    mutating func timers(_ i: Int, into events: inout [AlertEvent]) {
        let r = rules.rules[i]
        let t = now.milliseconds
        if let e = r.escalation, !states[i].escalated, states[i].acknowledgedAt == nil,
           t - states[i].raisedAt >= e.afterMilliseconds, e.to > states[i].priority {
            states[i].escalated = true
            states[i].priority = e.to
            events.append(event(.escalated, i, value: currentValue(i)))
        }
        if states[i].phase == .firing, let a = states[i].acknowledgedAt, let re = r.realarmMilliseconds, t - a >= re {
            // Re-alarm: the same occurrence is raised again, unacknowledged.
            states[i].acknowledgedAt = nil
            states[i].raisedAt = t
            events.append(event(.raised, i, value: currentValue(i)))
        }
    }

    mutating func raise(_ i: Int, into events: inout [AlertEvent]) {
        states[i].phase = .firing
        states[i].occurrence = nextOccurrence
        nextOccurrence += 1
        states[i].raisedAt = now.milliseconds
        states[i].priority = rules.rules[i].priority
        states[i].acknowledgedAt = nil
        states[i].escalated = false
        states[i].clearingSince = nil
        states[i].raisedValue = currentValue(i)
        events.append(event(.raised, i, value: states[i].raisedValue))
    }

    mutating func acknowledge(_ i: Int, by: String, into events: inout [AlertEvent]) {
        switch states[i].phase {
        case .firing where states[i].acknowledgedAt == nil:
            states[i].acknowledgedAt = now.milliseconds
            events.append(event(.acknowledged, i, value: currentValue(i), by: by))
        case .latched:
            events.append(event(.acknowledged, i, value: currentValue(i), by: by))
            events.append(event(.cleared, i, value: currentValue(i)))
            states[i].phase = .inactive
            states[i].acknowledgedAt = nil
        default:
            break
        }
    }

    func currentValue(_ i: Int) -> Double? { rules.rules[i].value.flatMap { number($0) } }

    func event(_ kind: AlertEventKind, _ i: Int, value: Double?, by: String? = nil) -> AlertEvent {
        let r = rules.rules[i]
        let limit = r.limit.flatMap { number($0) }
        // A cleared event names what was raised, then the value now.
        let message = kind == .cleared
            ? "Cleared: " + Self.interpolate(r.title, value: states[i].raisedValue, limit: limit, metric: r.metric)
                + (value.map { " (now \(Self.format($0)))" } ?? "")
            : Self.interpolate(r.title, value: value, limit: limit, metric: r.metric)
        return AlertEvent(
            time: now, hostTime: hostTime(now), rule: r.id, priority: states[i].priority, kind: r.kind,
            event: kind, metric: r.metric, value: value,
            message: message,
            device: r.metric.flatMap { histories[$0.storageCode].device }, by: by,
            occurrence: states[i].occurrence)
    }

    /// The title with `{value}`, `{limit}` and `{metric}` filled in; an undefined value prints `?`.
    static func interpolate(_ title: String, value: Double?, limit: Double?, metric: Metric?) -> String {
        guard title.contains("{") else { return title }
        return title
            .replacingOccurrences(of: "{value}", with: format(value))
            .replacingOccurrences(of: "{limit}", with: format(limit))
            .replacingOccurrences(of: "{metric}", with: metric?.name ?? "?")
    }

    /// Whole numbers without a decimal point, others with one decimal.
    static func format(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "?" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String((v * 10).rounded() / 10)
    }
}
