import DeviceProtocols
import RulesEngine
import VitalsCore

/// A replay run: recorded device streams through the room pipeline on a virtual clock, with an
/// optional rule set, limit overrides and dose time. The same input always gives the same output.
public struct Replay {
    /// The recorded devices.
    public var sources: [ReplaySource]
    /// The rules to evaluate, or `nil` for readings only.
    public var rules: RuleSet?
    /// Session limit overrides (`spo2_low=88`).
    public var limits: [String: Double]
    /// When the dose event falls, from the start of the run.
    public var doseAt: Duration?
    /// Wall-clock label of t=0, ms since 1970 UTC.
    public var epochMilliseconds: Int64

    /// A replay.
    public init(
        sources: [ReplaySource], rules: RuleSet? = nil, limits: [String: Double] = [:], doseAt: Duration? = nil,
        epochMilliseconds: Int64 = VirtualClock.defaultEpoch
    ) {
        self.sources = sources
        self.rules = rules
        self.limits = limits
        self.doseAt = doseAt
        self.epochMilliseconds = epochMilliseconds
    }

    /// Runs the replay to the end of the longest recording, sending everything to `outputs`.
    /// Throws when a limit override names no limit of the rule set.
    public func run(outputs: [any PipelineOutput]) throws(LimitRefusal) {
        let clock = VirtualClock(epochMilliseconds: epochMilliseconds)
        let epoch = epochMilliseconds
        let engine = try rules.map { r throws(LimitRefusal) in
            try RuleEngine(rules: r, limits: limits, hostTime: { epoch + $0.milliseconds })
        }
        let pipeline = RoomPipeline(clock: clock, evaluator: engine, outputs: outputs)
        for source in sources {
            pipeline.attach(device: source.device, provides: source.profile.metrics)
        }
        var dose = doseAt.map { RunTime(milliseconds: $0.milliseconds) }
        var end = RunTime.zero
        for input in ReplayTimeline.inputs(of: sources) {
            if let d = dose, input.time >= d {
                clock.advance(to: d)
                pipeline.doseGiven(at: d)
                dose = nil
            }
            clock.advance(to: input.time)
            pipeline.handle(input)
            end = max(end, input.time)
        }
        end = sources.reduce(end) { max($0, $1.script.duration) }
        if let d = dose, d <= end {
            clock.advance(to: d)
            pipeline.doseGiven(at: d)
        }
        clock.advance(to: end)
        pipeline.advance(to: end)
        pipeline.finish()
    }
}
