import DeviceProtocols
import RulesEngine
import Store
import VitalsCore

/// A replay run: recorded device streams through the room core on a virtual clock, with an
/// optional rule set, limit overrides and dose time. The same input always gives the same output,
/// and the same output `vitals run` gave live on the same bytes: the core runs each port's
/// connection state machine, so a silent recording goes quiet after its profile's expected gap and
/// raises the stale-data alert, and a recording that stops mid-session does the same.
///
/// Each recording is a port that opens at time 0; its `r` lines arrive at the sum of the script's
/// delays. What the core writes to the device is not sent anywhere (the recording already holds
/// the device's answers). The run ends at the end of the longest recording.
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

    /// Runs the replay to the end of the longest recording, sending everything to `outputs`, and
    /// returns that end on the virtual clock. Throws when a limit override names no limit of the
    /// rule set.
    @discardableResult
    public func run(outputs: [any PipelineOutput]) throws(LimitRefusal) -> RunTime {
        if let rules { _ = try rules.validate(limits: limits).get() }
        var configuration = RoomCore.Configuration(room: "replay")
        configuration.limits = limits
        let room = RoomCore(configuration: configuration, rules: rules)
        let epoch = epochMilliseconds
        var handles: [PortHandle?] = Array(repeating: nil, count: sources.count)

        func perform(_ effects: [RoomEffect], at time: RunTime) {
            for effect in effects {
                switch effect {
                case .open(let handle, _, _):
                    if let i = sources.firstIndex(where: { $0.device == handle.device }) { handles[i] = handle }
                    perform(room.handle(.opened(handle), at: time, wall: epoch + time.milliseconds), at: time)
                case .emit(let event):
                    for out in outputs { event.deliver(to: out) }
                case .write, .close, .probe, .completeCommand, .log:
                    break
                }
            }
        }
        func feed(_ input: RoomInput, at time: RunTime) {
            perform(room.handle(input, at: time, wall: epoch + time.milliseconds), at: time)
        }
        /// Ticks at every deadline before `time` (or at it, when `inclusive`).
        func advance(to time: RunTime, inclusive: Bool) {
            while let d = room.nextDeadline, inclusive ? d <= time : d < time { feed(.tick, at: d) }
        }

        // The replay's session: its limits from the start, its dose when the dose time comes
        // (the same record, so the engine keeps its state across it, as live).
        let session = { (dose: RunTime?) -> RoomSession in
            RoomSession(record: SessionRecord(
                id: 0, plan: SessionPlan(room: "replay", limits: limits), startedAt: epoch,
                doseAt: dose.map { epoch + $0.milliseconds }))
        }
        feed(.session(session(nil)), at: .zero)
        for source in sources {
            let identity = DeviceIdentity(profile: source.profile.id, name: source.device, port: source.path)
            feed(.attach(identity, profile: source.profile, path: source.path, why: "recording \(source.path)"), at: .zero)
        }
        var dose = doseAt.map { RunTime(milliseconds: $0.milliseconds) }
        var end = RunTime.zero
        for (index, time, bytes) in Self.reads(of: sources) {
            if let d = dose, time >= d {
                advance(to: d, inclusive: false)
                feed(.session(session(d)), at: d)
                dose = nil
            }
            advance(to: time, inclusive: false)
            if let handle = handles[index] { feed(.bytes(handle, bytes), at: time) }
            end = max(end, time)
        }
        end = sources.reduce(end) { max($0, RunTime(milliseconds: $1.script.duration.milliseconds)) }
        if let d = dose, d <= end {
            advance(to: d, inclusive: false)
            feed(.session(session(d)), at: d)
        }
        advance(to: end, inclusive: true)
        feed(.stop, at: end)
        return end
    }

    /// Every `r` line of every recording with its source and virtual time, ordered by time; ties
    /// keep source order, then script order.
    static func reads(of sources: [ReplaySource]) -> [(source: Int, time: RunTime, bytes: [UInt8])] {
        var all: [(source: Int, time: RunTime, bytes: [UInt8])] = []
        for (i, source) in sources.enumerated() {
            var clock = RunTime.zero
            for step in source.script.steps {
                switch step.operation {
                case .read(let delay, let bytes):
                    clock = clock.advanced(by: delay)
                    all.append((i, clock, bytes))
                case .write(let delay, _):
                    clock = clock.advanced(by: delay)
                case .fuzz:
                    break
                }
            }
        }
        return all.enumerated().sorted { a, b in
            a.element.time != b.element.time ? a.element.time < b.element.time : a.offset < b.offset
        }.map(\.element)
    }
}
