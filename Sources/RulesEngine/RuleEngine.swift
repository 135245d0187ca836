import Foundation
import VitalsCore

/// The real-time alert engine: observations, device statuses, connection changes and clock
/// ticks in; alert events out.
///
/// A class, not a value: evaluation walks expression trees against a lot of state, and a struct's
/// `self` was copied (with every reference counted) on each rule evaluated. Own it from one task
/// or actor; it is not `Sendable`.
///
/// It never reads a clock: every call carries its run time, and time only moves forward (a call
/// with an earlier time is treated as happening now). The same calls in the same order give the
/// same events, so a replay runs at machine speed. The pipeline calls `tick(at:)` at least every
/// second and at `nextDeadline`, so holds, escalations, re-alarms and stale-data rules change
/// state on time even when no reading arrives.
public final class RuleEngine {
    /// The rules in force.
    public private(set) var rules: RuleSet
    /// The limit values in force (defaults with the session's overrides), by name.
    public var limitValues: [String: Double] {
        Dictionary(uniqueKeysWithValues: zip(rules.limits.map(\.name), memory.limitTable))
    }
    /// The session's overrides, kept for `reload(rules:)`.
    public private(set) var overrides: [String: Double]
    /// The time of the latest call.
    public var now: RunTime { memory.now }
    /// When the dose was given, if it was.
    public var doseTime: RunTime? { memory.doseTime }

    let hostTime: @Sendable (RunTime) -> Int64
    // The hot-path properties below skip dynamic exclusivity checks: the engine is used from one
    // task at a time (it is not Sendable) and none of them is mutated while being read.

    /// Everything expressions read (readings, limits, dose, baselines, devices), at a fixed heap
    /// address for the engine's life. Reached through addressors, so evaluation reads it in place
    /// and readings update it in place: a stored struct property was copied (each of its arrays
    /// retained and released) on every call that evaluated rules.
    private let memoryStorage: UnsafeMutablePointer<EngineMemory>
    var memory: EngineMemory {
        unsafeAddress { UnsafePointer(memoryStorage) }
        unsafeMutableAddress { memoryStorage }
    }
    /// Each rule's alert, in rule order.
    @exclusivity(unchecked)
    var machines: [AlertStateMachine]
    /// The value each rule's current occurrence was raised at (cleared events name it).
    var raisedValues: [Double?]
    var explicitBaselines: Set<Metric> = []
    var nextOccurrence = 1
    /// A baseline, a device's metrics or the rules changed without evaluating: the next tick
    /// evaluates every rule.
    var inputsChangedSinceTick = false
    /// Per-rule timing and expressions, in rule order.
    @exclusivity(unchecked)
    var timing: [RuleTiming] = []
    /// Every rule's compiled `when` and `clear`, in one flat array (one buffer for the hot path).
    @exclusivity(unchecked)
    var code = CompiledRules()
    /// The metric slot of each dose window and SatSeconds accumulator, and the history bounds
    /// (copied out of `rules` for the hot path).
    var doseWindowSlots: [Int] = []
    var satsecondsSlots: [Int] = []
    var historyMilliseconds: Int64 = 0
    var historyCount = 0
    /// `QualityFlags.invalidating` and `.sensorOff` as raw masks, read once: the cross-module
    /// properties were calls (with a lazy-global check) on every reading.
    let invalidMask = QualityFlags.invalidating.rawValue
    let sensorOffMask = QualityFlags.sensorOff.rawValue
    /// The compiled programs' value stack (`code.depth` values), reused by every evaluation.
    var valueStack = UnsafeMutablePointer<Double>.allocate(capacity: 1)
    /// Whether rule `i` reads a metric, at `Metric.storageCode * rules.count + i`.
    @exclusivity(unchecked)
    var rulesByMetric: [Bool] = []
    /// Per rule that reads time: before this run time (ms) a tick cannot change its conditions
    /// (no crossing falls earlier and no input it reads changed since it was last evaluated), so
    /// a tick skips it unless a timer of its ran out. `Int64.min`: evaluate at the next tick.
    @exclusivity(unchecked)
    var unchangedUntil: [Int64] = []

    /// An engine for `rules`, with the session's limit overrides (numbers in the limit's unit,
    /// durations in seconds) and a function giving the host wall-clock label for a run time.
    ///
    /// `firstOccurrence` is the id the first raised alert gets (later ones count up from it).
    /// A room daemon that restarts within a session passes one more than the highest occurrence
    /// already stored for the session, because the store folds events into alert rows by
    /// (session, rule, occurrence) and a restarted count would merge new alerts into old rows.
    ///
    /// - Throws: `LimitRefusal` for the first override `RuleSet.validate(limits:)` refuses (an
    ///   unknown name, NaN, infinity or a value outside the limit's range): no value reaches the
    ///   engine that it could not turn into milliseconds or compare.
    public init(
        rules: RuleSet, limits: [String: Double] = [:],
        hostTime: @escaping @Sendable (RunTime) -> Int64 = { $0.milliseconds },
        firstOccurrence: Int = 1
    ) throws(LimitRefusal) {
        let table = try Self.resolve(rules, limits)
        self.rules = rules
        self.nextOccurrence = max(1, firstOccurrence)
        self.overrides = limits
        self.hostTime = hostTime
        self.memoryStorage = .allocate(capacity: 1)
        self.memoryStorage.initialize(to: EngineMemory(
            limitTable: table,
            histories: Array(repeating: MetricHistory(), count: Self.metricSlots),
            satseconds: Array(repeating: SatSecondsAccumulator(), count: rules.satseconds.count)))
        self.machines = rules.rules.map { AlertStateMachine(priority: $0.priority) }
        self.raisedValues = Array(repeating: nil, count: rules.rules.count)
        index()
    }

    deinit {
        memoryStorage.deinitialize(count: 1)
        memoryStorage.deallocate()
        valueStack.deallocate()
    }

    static let metricSlots = (Metric.allCases.map(\.storageCode).max() ?? 0) + 1

    static func resolve(_ rules: RuleSet, _ overrides: [String: Double]) throws(LimitRefusal) -> [Double] {
        let overrides = try rules.validate(limits: overrides).get()
        return rules.limits.map { overrides[$0.name] ?? $0.defaultValue }
    }

    func index() {
        timing = rules.rules.map(RuleTiming.init)
        code = CompiledRules(rules.rules)
        valueStack.deallocate()
        valueStack = .allocate(capacity: code.depth)
        let count = rules.rules.count
        rulesByMetric = Array(repeating: false, count: count * Self.metricSlots)
        for (i, r) in rules.rules.enumerated() {
            for m in r.metrics { rulesByMetric[m.storageCode * count + i] = true }
        }
        unchangedUntil = Array(repeating: .min, count: count)
        doseWindowSlots = rules.doseWindows.map(\.metric.storageCode)
        satsecondsSlots = rules.satseconds.map(\.metric.storageCode)
        historyMilliseconds = rules.historyMilliseconds
        historyCount = rules.historyCount
        memory.doseWindowBounds = rules.doseWindows.map { spec in
            (DurationLiteral.saturatedMilliseconds(seconds: memory.constant(spec.from) ?? 0), DurationLiteral.saturatedMilliseconds(seconds: memory.constant(spec.to) ?? 0))
        }
        recountDoseWindows()
        memory.satsecondsLimits = rules.satseconds.map { spec in
            switch spec.limit {
            case .limit(let slot): memory.limitTable[slot]
            case .number(let v): v
            // The parser gives a satseconds limit as a limit or a number only.
            case .duration, .boolean, .metric, .sinceDose, .dosed, .baseline, .window, .count, .countLast, .age, .sensorOff,
                 .artifact, .connected, .disconnected, .doseWindowCount, .satseconds, .negate, .arithmetic, .compare,
                 .and, .or, .not:
                0
            }
        }
        code.compileCrossings(rules.rules, memory)
    }

    // MARK: Inputs

    /// A reading arrived. A reading flagged artifact, sensor off, held or out of track
    /// (`QualityFlags.isPhysiologicallyValid` false) never feeds windows, baselines or the metric's
    /// value; only the quality functions (`artifact`, `sensor_off`) see it.
    public func observe(_ o: Observation) -> [AlertEvent] {
        advance(to: o.time)
        let slot = o.metric.storageCode
        let t = memory.now.milliseconds
        if memory.histories[slot].device != o.device {
            memory.histories[slot].device = o.device
            memory.histories[slot].deviceState = memory.deviceStates[o.device]
        }
        let flags = o.flags.rawValue
        memory.histories[slot].lastFlags = o.flags
        memory.histories[slot].sensorOff = flags & sensorOffMask != 0
        // `QualityFlags.isPhysiologicallyValid`, on masks read once (see `invalidMask`).
        if flags & invalidMask == 0 && o.value.isFinite {
            memory.histories[slot].append(time: t, value: o.value)
            memory.histories[slot].trim(now: t, horizon: historyMilliseconds, keep: historyCount)
            // Slots of the specs, not the specs: iterating those copied (retained) expressions.
            var accumulated = false
            if let d = memory.doseTime?.milliseconds {
                for i in doseWindowSlots.indices where doseWindowSlots[i] == slot {
                    accumulated = true
                    if t - d >= memory.doseWindowBounds[i].from && t - d <= memory.doseWindowBounds[i].to {
                        memory.doseWindowCounts[i] += 1
                    }
                }
            }
            for i in satsecondsSlots.indices where satsecondsSlots[i] == slot {
                memory.satseconds[i].add(value: o.value, at: t, limit: memory.satsecondsLimits[i])
                accumulated = true
            }
            // A SatSeconds index or a dose-window count may have changed: a rule reading it need
            // not read this metric and so is not evaluated now; the next tick evaluates every
            // rule that reads time, as it did before ticks skipped unchanged rules.
            if accumulated {
                for i in unchangedUntil.indices { unchangedUntil[i] = .min }
            }
        }
        var events: [AlertEvent] = []
        let count = rules.rules.count
        let base = slot * count
        rulesByMetric.withUnsafeBufferPointer { dependent in
            code.instructions.withUnsafeBufferPointer { program in
                for i in 0..<count where dependent[base + i] || isDue(i) {
                    evaluate(i, program, into: &events)
                }
            }
        }
        return events
    }

    /// A device said something about itself. `sensor-off` and `sensor-on` change `sensor_off(m)`
    /// for the status's metric, or for every metric the device provides when it names none.
    public func deviceStatus(_ s: DeviceStatus, device: String, at time: RunTime) -> [AlertEvent] {
        advance(to: time)
        if s.kind == .sensorOff || s.kind == .sensorOn {
            for m in Metric.allCases where s.metric == m || (s.metric == nil && memory.histories[m.storageCode].device == device) {
                memory.histories[m.storageCode].sensorOff = s.kind == .sensorOff
                if memory.histories[m.storageCode].device == nil {
                    memory.histories[m.storageCode].device = device
                    memory.histories[m.storageCode].deviceState = memory.deviceStates[device]
                }
            }
        }
        return evaluateAll()
    }

    /// A device's connection changed state.
    public func connection(_ state: ConnectionState, device: String, at time: RunTime) -> [AlertEvent] {
        advance(to: time)
        memory.deviceStates[device] = state
        for slot in memory.histories.indices where memory.histories[slot].device == device {
            memory.histories[slot].deviceState = state
        }
        return evaluateAll()
    }

    /// Tells the engine which metrics a device provides before it has sent any reading, so
    /// `connected(m)`/`disconnected(m)` know the device from the start.
    public func attach(device: String, provides metrics: [Metric]) {
        inputsChangedSinceTick = true
        for m in metrics where memory.histories[m.storageCode].device == nil {
            memory.histories[m.storageCode].device = device
            memory.histories[m.storageCode].deviceState = memory.deviceStates[device]
        }
    }

    /// Time passed with no other input: holds, clears, escalations, re-alarms and time-based
    /// conditions (stale data, `since_dose`, windows) are evaluated.
    public func tick(at time: RunTime) -> [AlertEvent] {
        advance(to: time)
        if inputsChangedSinceTick {
            inputsChangedSinceTick = false
            return evaluateAll()
        }
        // Only rules whose conditions read time, or whose timers ran out, can change now: the
        // others were evaluated when their inputs last changed.
        // A rule whose conditions have no crossing before now, and whose inputs did not change,
        // gives the same values as when last evaluated: only a timer can move it.
        var events: [AlertEvent] = []
        let t = memory.now.milliseconds
        code.instructions.withUnsafeBufferPointer { program in
            for i in 0..<timing.count where (timing[i].dependsOnTime && t >= unchangedUntil[i]) || isDue(i) {
                evaluate(i, program, into: &events)
            }
        }
        return events
    }

    /// The dose was given at `time`: `since_dose` starts, and each metric without an explicit
    /// baseline gets one derived from the readings before it (see `Baseline`). Rules are
    /// evaluated at once (a pre-dose rule ends here).
    @discardableResult
    public func doseGiven(at time: RunTime) -> [AlertEvent] {
        advance(to: time)
        memory.doseTime = time
        recountDoseWindows()
        let d = time.milliseconds
        for m in Metric.allCases where !explicitBaselines.contains(m) {
            let h = memory.histories[m.storageCode]
            if m.isBloodPressure {
                var value: Double?
                if let lt = h.lastValidTime, lt <= d {
                    value = d - lt <= Baseline.bloodPressureMaxAge ? h.lastValidValue : nil
                } else {
                    let end = h.firstIndex(from: d + 1)
                    if end > h.head, d - h.times[end - 1] <= Baseline.bloodPressureMaxAge { value = h.values[end - 1] }
                }
                memory.baselines[m] = value
            } else {
                let from = h.firstIndex(from: d - Baseline.windowMilliseconds)
                let to = h.firstIndex(from: d + 1)
                memory.baselines[m] = from < to ? Baseline.median(Array(h.values[from..<to])) : nil
            }
        }
        return evaluateAll()
    }

    /// Sets a metric's baseline explicitly (a clinician's entry); `nil` removes it. An explicit
    /// baseline is kept when the dose is recorded.
    public func setBaseline(_ value: Double?, for metric: Metric) {
        memory.baselines[metric] = value
        inputsChangedSinceTick = true
        if value != nil { explicitBaselines.insert(metric) } else { explicitBaselines.remove(metric) }
    }

    /// The baseline in force for `metric`, if any.
    public func baseline(_ metric: Metric) -> Double? { memory.baselines[metric] }

    /// Acknowledges the current occurrence of `rule`. An active alert is silenced: it clears as
    /// soon as its clear holds, and is re-alarmed after the rule's `realarm` if the clear does
    /// not hold then; a latched one clears. Acknowledging an alert that is not raised gives no
    /// event. (The transitions are `AlertStateMachine`'s.)
    public func acknowledge(rule id: String, by: String, at time: RunTime) -> [AlertEvent] {
        advance(to: time)
        var events: [AlertEvent] = []
        code.instructions.withUnsafeBufferPointer { program in
            for i in rules.rules.indices where isDue(i) { evaluate(i, program, into: &events) }
        }
        guard let i = rules.rules.firstIndex(where: { $0.id == id }) else { return events }
        acknowledge(i, by: by, into: &events)
        return events
    }

    /// Acknowledges the alert occurrence `occurrence` (the id in its events), if it is raised.
    public func acknowledge(occurrence: Int, by: String, at time: RunTime) -> [AlertEvent] {
        guard let i = machines.firstIndex(where: { $0.occurrence == occurrence && $0.isRaised }) else {
            advance(to: time)
            return []
        }
        return acknowledge(rule: rules.rules[i].id, by: by, at: time)
    }

    /// Replaces the rules. Alert state is kept for every rule id present in both sets; a raised
    /// alert whose rule is gone is cleared (events returned). Readings and baselines are kept.
    ///
    /// - Throws: `LimitRefusal` when the new set refuses a session override;
    ///   the engine is then unchanged.
    @discardableResult
    public func reload(rules new: RuleSet) throws(LimitRefusal) -> [AlertEvent] {
        let table = try Self.resolve(new, overrides)
        var events: [AlertEvent] = []
        var newMachines: [AlertStateMachine] = []
        var newRaisedValues: [Double?] = []
        for r in new.rules {
            if let old = rules.rules.firstIndex(where: { $0.id == r.id }) {
                var m = machines[old]
                if !m.escalated { m.priority = r.priority }
                newMachines.append(m)
                newRaisedValues.append(raisedValues[old])
            } else {
                newMachines.append(AlertStateMachine(priority: r.priority))
                newRaisedValues.append(nil)
            }
        }
        for (i, r) in rules.rules.enumerated() where new.rule(id: r.id) == nil {
            if let out = machines[i].retire() { emit(out, i, into: &events) }
        }
        var newAccumulators: [SatSecondsAccumulator] = []
        let oldSpecs = rules.satseconds
        let oldLimits = memory.satsecondsLimits
        let oldAccumulators = memory.satseconds
        let oldWindows = zip(zip(rules.doseWindows, memory.doseWindowBounds), memory.doseWindowCounts).map { ($0.0.metric, $0.1.from, $0.1.to, $1) }
        rules = new
        inputsChangedSinceTick = true
        memory.limitTable = table
        machines = newMachines
        raisedValues = newRaisedValues
        index()
        for (i, spec) in new.satseconds.enumerated() {
            let keep = oldSpecs.indices.first { oldSpecs[$0].metric == spec.metric && oldLimits[$0] == memory.satsecondsLimits[i] }
            newAccumulators.append(keep.map { oldAccumulators[$0] } ?? SatSecondsAccumulator())
        }
        memory.satseconds = newAccumulators
        // Counts survive a reload (older readings may no longer be kept to recount them).
        for (i, spec) in new.doseWindows.enumerated() {
            if let old = oldWindows.first(where: { $0.0 == spec.metric && $0.1 == memory.doseWindowBounds[i].from && $0.2 == memory.doseWindowBounds[i].to }) {
                memory.doseWindowCounts[i] = old.3
            }
        }
        return events
    }

    /// The phase of `rule`'s alert.
    public func phase(of rule: String) -> AlertPhase? {
        rules.rules.firstIndex { $0.id == rule }.map { AlertPhase(machines[$0].state) }
    }

    /// Whether `rule`'s clear condition holds on the current data: its `clear`, or its `when`
    /// false for a rule without one; `nil` for an unknown rule. Audits use it: no alert may be
    /// raised or escalated while this is true.
    public func clearHolds(rule id: String) -> Bool? {
        guard let i = rules.rules.firstIndex(where: { $0.id == id }) else { return nil }
        return code.instructions.withUnsafeBufferPointer { program in
            timing[i].hasClear
                ? memory.bool(program, code.clear[i], stack: valueStack) == true
                : memory.bool(program, code.when[i], stack: valueStack) == false
        }
    }

    /// The state machine of `rule`'s alert (for `status` and tests).
    public func alert(of rule: String) -> AlertStateMachine? {
        rules.rules.firstIndex { $0.id == rule }.map { machines[$0] }
    }

    /// Counts the kept readings that fall in each dose window (after the dose is recorded, or
    /// a reload); later readings are counted as they arrive.
    func recountDoseWindows() {
        memory.doseWindowCounts = rules.doseWindows.enumerated().map { i, spec in
            guard let d = memory.doseTime?.milliseconds else { return 0 }
            let h = memory.histories[spec.metric.storageCode]
            return h.times[h.head...].filter { $0 - d >= memory.doseWindowBounds[i].from && $0 - d <= memory.doseWindowBounds[i].to }.count
        }
    }

    // MARK: Evaluation

    func advance(to time: RunTime) {
        if time > memory.now { memory.now = time }
    }

    func evaluateAll() -> [AlertEvent] {
        var events: [AlertEvent] = []
        code.instructions.withUnsafeBufferPointer { program in
            for i in rules.rules.indices { evaluate(i, program, into: &events) }
        }
        return events
    }

    /// Steps rule `i` and notes until when a tick need not evaluate it again.
    func evaluate(_ i: Int, _ program: UnsafeBufferPointer<Instruction>, into events: inout [AlertEvent]) {
        step(i, program, into: &events)
        if timing[i].dependsOnTime {
            unchangedUntil[i] = code.timeCovered[i]
                ? code.crossings.withUnsafeBufferPointer { c in
                    memory.earliestCrossing(UnsafeBufferPointer(rebasing: c[code.crossingRanges[i]]), after: memory.now.milliseconds)
                } ?? .max
                : .min
        }
    }

    /// True when a timer of rule `i` (hold, clear hold, escalation, re-alarm, freshness during
    /// a hold) has run out.
    @inline(__always)
    func isDue(_ i: Int) -> Bool {
        // Most rules are inactive most of the time: answer those without the full deadline.
        if machines[i].isInactive { return false }
        guard let d = timerDeadline(i) else { return false }
        return d <= memory.now.milliseconds
    }

    func timerDeadline(_ i: Int) -> Int64? {
        let m = machines[i]
        var d = m.deadline(timing[i].machine)
        // A hold is cancelled the moment its data goes stale.
        if case .pending = m.state, let slot = timing[i].dataSlot, let bound = timing[i].staleAfter,
           let last = memory.histories[slot].lastValidTime {
            d = min(d ?? .max, last + bound + 1)
        }
        return d
    }

    /// Whether rule `i`'s data is current: its metric's device connected (or never reported)
    /// and, for a continuous metric, its latest valid reading no older than `staleAfter`.
    @inline(__always)
    func isFresh(_ i: Int) -> Bool {
        guard let slot = timing[i].dataSlot else { return true }
        switch memory.histories[slot].deviceState {
        case .streaming?, .quiet?, nil: break
        case .connecting?, .disconnected?, .reconnecting?: return false
        }
        guard let bound = timing[i].staleAfter else { return true }
        guard let last = memory.histories[slot].lastValidTime else { return false }
        return memory.now.milliseconds - last <= bound
    }

    /// Evaluates rule `i`'s conditions and feeds its state machine; emits what it answers.
    func step(_ i: Int, _ program: UnsafeBufferPointer<Instruction>, into events: inout [AlertEvent]) {
        let when = memory.bool(program, code.when[i], stack: valueStack)
        let condition = when == true
        // The common case, answered without building the machine's input: an inactive alert
        // whose condition does not hold stays inactive whatever else is true.
        if !condition && machines[i].isInactive { return }
        let r = timing[i]
        // The clear condition is only needed when it can change something: an inactive alert
        // whose `when` is false stays inactive whatever `clear` says.
        let clear: Bool
        if !r.hasClear {
            clear = when == false
        } else if condition || !machines[i].isInactive {
            clear = memory.bool(program, code.clear[i], stack: valueStack) == true
        } else {
            clear = false
        }
        let input = AlertStateMachine.Input(
            time: memory.now.milliseconds, condition: condition, clear: clear, fresh: isFresh(i),
            lastReading: r.dataSlot.flatMap { memory.histories[$0].lastValidTime })
        guard let out = machines[i].step(input, r.machine, nextOccurrence: &nextOccurrence) else { return }
        emit(out, i, into: &events)
    }

    func emit(_ out: AlertStateMachine.Output, _ i: Int, by: String? = nil, into events: inout [AlertEvent]) {
        let value = currentValue(i)
        switch out {
        case .raised(let continuing):
            if !continuing { raisedValues[i] = value }
            events.append(event(.raised, i, value: value))
        case .escalated: events.append(event(.escalated, i, value: value))
        case .acknowledged: events.append(event(.acknowledged, i, value: value, by: by))
        case .cleared: events.append(event(.cleared, i, value: value))
        }
    }

    func acknowledge(_ i: Int, by: String, into events: inout [AlertEvent]) {
        for out in machines[i].acknowledge(at: memory.now.milliseconds) { emit(out, i, by: by, into: &events) }
    }

    func currentValue(_ i: Int) -> Double? { rules.rules[i].value.flatMap { memory.number($0) } }

    func event(_ kind: AlertEventKind, _ i: Int, value: Double?, by: String? = nil) -> AlertEvent {
        let r = rules.rules[i]
        let limit = r.limit.flatMap { memory.number($0) }
        // A cleared event names what was raised, then the value now; a technical alert's value
        // is not what its message is about (a disconnect carries the last SpO2), so it has none.
        let valueNow = r.kind == .physiological ? value.map { " (now \(Self.format($0)))" } : nil
        let message = kind == .cleared
            ? "Cleared: " + Self.interpolate(r.title, value: raisedValues[i], limit: limit, metric: r.metric)
                + (valueNow ?? "")
            : Self.interpolate(r.title, value: value, limit: limit, metric: r.metric)
        return AlertEvent(
            time: memory.now, hostTime: hostTime(memory.now), rule: r.id, priority: machines[i].priority, kind: r.kind,
            event: kind, metric: r.metric, value: value,
            message: message,
            device: r.metric.flatMap { memory.histories[$0.storageCode].device }, by: by,
            occurrence: machines[i].occurrence, dataLost: kind != .cleared && machines[i].dataLost)
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
