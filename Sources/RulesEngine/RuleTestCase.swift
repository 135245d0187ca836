import VitalsCore

/// One unit test of a rule file: timed inputs, optional dose, limits and baselines, and the
/// alert events expected, like a `promtool test rules` case.
public struct RuleTestCase: Sendable {
    /// The test's name.
    public var name: String
    /// Where it starts in its file.
    public var position: SourcePosition
    var limits: [String: Double]
    var baselines: [Metric: Double]
    var inputs: [(time: Int64, order: Int, input: RuleTestInput)]
    var until: Int64
    var expected: [RuleTestExpectation]

    /// Runs the case against `rules`: inputs in time order, with a tick at every whole second
    /// and at every `nextDeadline`, as the room pipeline does. Returns the failure text, or
    /// `nil` when the events match.
    public func run(_ rules: RuleSet) -> String? { run(rules, audit: nil) }

    /// `run(_:)`, calling `audit` with the engine and the events of each call as they come.
    func run(_ rules: RuleSet, audit: ((RuleEngine, [AlertEvent]) -> Void)?) -> String? {
        let engine: RuleEngine
        do {
            engine = try RuleEngine(rules: rules, limits: limits)
        } catch {
            return "\(position): \(error)"
        }
        for (m, v) in baselines.sorted(by: { $0.key < $1.key }) { engine.setBaseline(v, for: m) }
        var all: [AlertEvent] = []
        var events: [AlertEvent] {
            get { all }
            set {
                audit?(engine, Array(newValue[all.count...]))
                all = newValue
            }
        }
        var clock: Int64 = 0
        events += engine.tick(at: .zero)
        func tickUntil(_ t: Int64) {
            while true {
                let second = (clock / 1000 + 1) * 1000
                let next = min(engine.nextDeadline?.milliseconds ?? second, second)
                guard next <= t else { return }
                events += engine.tick(at: RunTime(milliseconds: next))
                clock = next
            }
        }
        let ordered = inputs.sorted { ($0.time, $0.order) < ($1.time, $1.order) }
        for item in ordered {
            tickUntil(item.time)
            clock = max(clock, item.time)
            let at = RunTime(milliseconds: item.time)
            switch item.input {
            case .reading(let m, let v, let f, let device):
                events += engine.observe(Observation(reading: Reading(metric: m, value: v, flags: f), device: device, time: at, hostTime: item.time))
            case .status(let s, let device): events += engine.deviceStatus(s, device: device, at: at)
            case .connection(let c, let device): events += engine.connection(c, device: device, at: at)
            case .acknowledge(let rule, let by): events += engine.acknowledge(rule: rule, by: by, at: at)
            case .dose: events += engine.doseGiven(at: at)
            }
        }
        tickUntil(until)
        var ok = events.count == expected.count
        if ok { for (e, x) in zip(events, expected) where !x.matches(e) { ok = false } }
        if ok { return nil }
        var out = "\(position): test \"\(name)\" failed\n  expected:\n"
        out += expected.isEmpty ? "    (no events)\n" : expected.map { "    \($0.line)\n" }.joined()
        out += "  got:\n"
        out += events.isEmpty ? "    (no events)\n" : events.enumerated().map { i, e in
            let mark = i < expected.count && expected[i].matches(e) ? " " : "!"
            return "  \(mark) \(Self.line(e))\n"
        }.joined()
        return out
    }

    static func line(_ e: AlertEvent) -> String {
        "\(format(e.time.milliseconds)) \(e.rule) \(e.event.rawValue) priority=\(e.priority.rawValue) value=\(RuleEngine.format(e.value)) message=\"\(e.message)\""
    }

    static func format(_ ms: Int64) -> String {
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(Double(ms) / 1000)s"
    }
}

