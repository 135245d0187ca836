import VitalsCore

/// One room's session pipeline: device inputs in, stamped observations and alert events out to
/// every output, rules evaluated on the run's clock.
///
/// Confined to one thread or task (the caller serialises inputs); it never reads a clock except
/// through `clock` for wall-clock labels. Ticks happen at every whole second of run time and at
/// the evaluator's deadlines, so holds and stale-data rules fire on time even with no input.
public final class RoomPipeline {
    private let clock: any RunClock
    private let evaluator: (any AlertEvaluator)?
    private var outputs: [any PipelineOutput]
    private var lastTick: RunTime = .zero
    /// `evaluator.nextDeadline` as last asked, or `nil` when it must be asked again. The deadline
    /// is a function of the evaluator's state, which changes only through the calls this
    /// pipeline makes (each of which drops the cached value) or through `evaluatorChanged()`.
    /// Asking walks every rule; the daemon's 100 ms ticks and the waveform inputs between two
    /// evaluator calls would otherwise ask it every time.
    private var cachedDeadline: RunTime??

    /// Tick resolution when no deadline is nearer.
    public static let tickInterval: Int64 = 1000

    /// A pipeline labelling times with `clock`, evaluating with `evaluator` (none: readings only).
    public init(clock: any RunClock, evaluator: (any AlertEvaluator)?, outputs: [any PipelineOutput]) {
        self.clock = clock
        self.evaluator = evaluator
        self.outputs = outputs
    }

    /// Adds an output.
    public func add(output: any PipelineOutput) { outputs.append(output) }

    /// Handles one input at its time: ticks first up to that time, then stamps and forwards it.
    public func handle(_ input: TimedInput) {
        advance(to: input.time, inclusive: false)
        let host = clock.wallClock(at: input.time)
        switch input.input {
        case .decoded(.reading(let r)):
            let o = Observation(reading: r, device: input.device, time: input.time, hostTime: host)
            for out in outputs { out.reading(o) }
            if let evaluator { emit(changing(evaluator.observe(o))) }
        case .decoded(.waveform(let w)):
            for out in outputs { out.waveform(w, device: input.device, time: input.time, hostTime: host) }
        case .decoded(.status(let s)):
            for out in outputs { out.status(s, device: input.device, time: input.time, hostTime: host) }
            if let evaluator { emit(changing(evaluator.deviceStatus(s, device: input.device, at: input.time))) }
        case .connection(let state):
            for out in outputs { out.deviceEvent(input.input, device: input.device, time: input.time, hostTime: host) }
            if let evaluator { emit(changing(evaluator.connection(state, device: input.device, at: input.time))) }
        case .commandSent:
            for out in outputs { out.deviceEvent(input.input, device: input.device, time: input.time, hostTime: host) }
        }
    }

    /// Records the dose at `time`.
    public func doseGiven(at time: RunTime) {
        advance(to: time, inclusive: false)
        if let evaluator { emit(changing(evaluator.doseGiven(at: time))) }
    }

    /// Tells the evaluator a device providing `metrics` is attached.
    public func attach(device: String, provides metrics: [Metric]) {
        evaluator?.attach(device: device, provides: metrics)
        cachedDeadline = nil
    }

    /// Says the evaluator's state was changed by someone other than this pipeline (the daemon
    /// reloading the rules), so its next deadline must be asked again.
    public func evaluatorChanged() { cachedDeadline = nil }

    /// Acknowledges one occurrence; returns the events it produced (none when it is no longer
    /// raised), which also went to every output.
    @discardableResult
    public func acknowledge(occurrence: Int, by: String, at time: RunTime) -> [AlertEvent] {
        advance(to: time, inclusive: false)
        guard let evaluator else { return [] }
        let events = changing(evaluator.acknowledge(occurrence: occurrence, by: by, at: time))
        emit(events)
        return events
    }

    /// Evaluates time-driven conditions up to and including `time`.
    public func advance(to time: RunTime) { advance(to: time, inclusive: true) }

    private func advance(to time: RunTime, inclusive: Bool) {
        guard let evaluator else { return }
        while true {
            var next = RunTime(milliseconds: (lastTick.milliseconds / Self.tickInterval + 1) * Self.tickInterval)
            if let d = deadline(of: evaluator), d > lastTick, d < next { next = d }
            guard inclusive ? next <= time : next < time else { break }
            lastTick = next
            emit(changing(evaluator.tick(at: next)))
        }
    }

    /// When the rules' clock next needs a tick: the next whole second of run time, or the
    /// evaluator's deadline when nearer; `nil` without an evaluator.
    public var nextDeadline: RunTime? {
        guard let evaluator else { return nil }
        let next = RunTime(milliseconds: (lastTick.milliseconds / Self.tickInterval + 1) * Self.tickInterval)
        if let d = deadline(of: evaluator), d > lastTick, d < next { return d }
        return next
    }

    /// Flushes every output.
    public func finish() {
        for out in outputs { out.finish() }
    }

    /// The evaluator's next deadline, asked only when its state may have changed.
    private func deadline(of evaluator: any AlertEvaluator) -> RunTime? {
        if let known = cachedDeadline { return known }
        let d = evaluator.nextDeadline
        cachedDeadline = .some(d)
        return d
    }

    /// Passes on what an evaluator call returned; the call may have changed its state, so the
    /// cached deadline goes.
    private func changing(_ events: [AlertEvent]) -> [AlertEvent] {
        cachedDeadline = nil
        return events
    }

    private func emit(_ events: [AlertEvent]) {
        for e in events {
            for out in outputs { out.alert(e) }
        }
    }
}
