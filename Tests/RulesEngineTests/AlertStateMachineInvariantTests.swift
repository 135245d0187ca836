import PropertyBased
import Testing
@testable import RulesEngine
import VitalsCore

/// The alert lifecycle tested on `AlertStateMachine` itself (no YAML, parser or VM): a table of
/// transitions, and issue 11's invariants over random sequences of readings, acknowledgements,
/// disconnects and ticks.
@Suite struct AlertStateMachineInvariantTests {
    typealias Machine = AlertStateMachine
    typealias Out = AlertStateMachine.Output

    /// One step of a table row: an input (or an acknowledgement), and what must come out.
    enum Step: Sendable {
        case feed(Int64, cond: Bool, clear: Bool, fresh: Bool = true, reading: Int64? = nil, expect: Out? = nil, state: Machine.State? = nil)
        case ack(Int64, expect: [Out], state: Machine.State? = nil)
    }

    struct Row: CustomTestStringConvertible, Sendable {
        var name: String
        var timing: Machine.Timing
        var steps: [Step]
        var testDescription: String { name }
    }

    static let t = Machine.Timing(hold: 0, clearHold: 0, escalation: nil, realarm: 60_000, latching: false, priority: .medium,
                                  holdNeedsReadings: true)
    static func timing(_ f: (inout Machine.Timing) -> Void) -> Machine.Timing { var x = t; f(&x); return x }

    static let rows: [Row] = [
        Row(name: "raised at once, cleared when clear holds", timing: t, steps: [
            .feed(0, cond: true, clear: false, reading: 0, expect: .raised(continuing: false), state: .active),
            .feed(1000, cond: false, clear: true, reading: 1000, expect: .cleared, state: .inactive),
        ]),
        Row(name: "when true but clear holds: never raised (hysteresis, windows)", timing: t, steps: [
            .feed(0, cond: true, clear: true, reading: 0, state: .inactive),
        ]),
        Row(name: "hold completes on a reading at its end", timing: timing { $0.hold = 10_000 }, steps: [
            .feed(0, cond: true, clear: false, reading: 0, state: .pending(since: 0)),
            .feed(10_000, cond: true, clear: false, reading: 9_000, state: .pending(since: 0)),
            .feed(10_000, cond: true, clear: false, reading: 10_000, expect: .raised(continuing: false), state: .active),
        ]),
        Row(name: "a disconnect during a hold cancels it", timing: timing { $0.hold = 10_000 }, steps: [
            .feed(0, cond: true, clear: false, reading: 0, state: .pending(since: 0)),
            .feed(5_000, cond: true, clear: false, fresh: false, reading: 4_000, state: .inactive),
            .feed(6_000, cond: true, clear: false, reading: 6_000, state: .pending(since: 6_000)),
        ]),
        Row(name: "a technical hold completes on time without readings", timing: timing { $0.hold = 5_000; $0.holdNeedsReadings = false }, steps: [
            .feed(0, cond: true, clear: false, state: .pending(since: 0)),
            .feed(5_000, cond: true, clear: false, expect: .raised(continuing: false), state: .active),
        ]),
        Row(name: "acknowledged, then clear holds: cleared at once", timing: t, steps: [
            .feed(0, cond: true, clear: false, reading: 0, expect: .raised(continuing: false)),
            .ack(1_000, expect: [.acknowledged], state: .acknowledged(at: 1_000)),
            // `when` still true (a window), but clear holds: the acknowledged alert ends.
            .feed(2_000, cond: true, clear: true, reading: 2_000, expect: .cleared, state: .inactive),
            .feed(400_000, cond: true, clear: true, reading: 400_000, state: .inactive),
        ]),
        Row(name: "acknowledged latching alert clears when clear holds", timing: timing { $0.latching = true }, steps: [
            .feed(0, cond: true, clear: false, reading: 0, expect: .raised(continuing: false)),
            .ack(1_000, expect: [.acknowledged]),
            .feed(2_000, cond: false, clear: true, reading: 2_000, expect: .cleared, state: .inactive),
        ]),
        Row(name: "unacknowledged latching alert latches, ack ends it", timing: timing { $0.latching = true }, steps: [
            .feed(0, cond: true, clear: false, reading: 0, expect: .raised(continuing: false)),
            .feed(1_000, cond: false, clear: true, reading: 1_000, state: .latched),
            .feed(2_000, cond: true, clear: true, reading: 2_000, state: .latched),
            .ack(3_000, expect: [.acknowledged, .cleared], state: .inactive),
        ]),
        Row(name: "latched alert whose condition returns fires again, same occurrence", timing: timing { $0.latching = true }, steps: [
            .feed(0, cond: true, clear: false, reading: 0, expect: .raised(continuing: false)),
            .feed(1_000, cond: false, clear: true, reading: 1_000, state: .latched),
            .feed(2_000, cond: true, clear: false, reading: 2_000, state: .active),
        ]),
        Row(name: "re-alarm continues the occurrence; not while clear holds", timing: timing { $0.clearHold = 10_000 }, steps: [
            .feed(0, cond: true, clear: false, reading: 0, expect: .raised(continuing: false)),
            .ack(1_000, expect: [.acknowledged]),
            .feed(60_000, cond: false, clear: true, reading: 60_000, state: .acknowledged(at: 1_000)),
            .feed(61_000, cond: false, clear: true, reading: 61_000, state: .acknowledged(at: 1_000)),
            .feed(65_000, cond: true, clear: false, reading: 65_000, expect: .raised(continuing: true), state: .active),
        ]),
        Row(name: "escalation waits while clear holds, fires when it stops", timing: timing {
            $0.clearHold = 30_000; $0.escalation = Escalation(to: .high, afterMilliseconds: 10_000)
        }, steps: [
            .feed(0, cond: true, clear: false, reading: 0, expect: .raised(continuing: false)),
            .feed(9_000, cond: false, clear: true, reading: 9_000),
            .feed(10_000, cond: false, clear: true, reading: 10_000, state: .active),
            .feed(11_000, cond: true, clear: false, reading: 11_000, expect: .escalated),
        ]),
        Row(name: "data lost while active: stays raised, silence never clears it", timing: t, steps: [
            .feed(0, cond: true, clear: false, reading: 0, expect: .raised(continuing: false)),
            .feed(5_000, cond: false, clear: true, fresh: false, reading: 0, state: .active),
            .feed(900_000, cond: false, clear: true, fresh: false, reading: 0, state: .active),
            .feed(901_000, cond: false, clear: true, reading: 901_000, expect: .cleared, state: .inactive),
        ]),
        Row(name: "a clear hold interrupted by lost data starts again", timing: timing { $0.clearHold = 10_000 }, steps: [
            .feed(0, cond: true, clear: false, reading: 0, expect: .raised(continuing: false)),
            .feed(1_000, cond: false, clear: true, reading: 1_000),
            .feed(5_000, cond: false, clear: true, fresh: false, reading: 1_000),
            .feed(11_000, cond: false, clear: true, reading: 11_000, state: .active),
            .feed(21_000, cond: false, clear: true, reading: 21_000, expect: .cleared),
        ]),
        Row(name: "acknowledging an inactive or pending alert does nothing", timing: timing { $0.hold = 5_000 }, steps: [
            .ack(0, expect: [], state: .inactive),
            .feed(1_000, cond: true, clear: false, reading: 1_000),
            .ack(2_000, expect: [], state: .pending(since: 1_000)),
        ]),
    ]

    @Test(arguments: rows)
    func transition(_ row: Row) {
        var m = Machine(priority: .medium)
        var next = 1
        for (i, step) in row.steps.enumerated() {
            switch step {
            case .feed(let time, let cond, let clear, let fresh, let reading, let expect, let state):
                let out = m.step(.init(time: time, condition: cond, clear: clear, fresh: fresh, lastReading: reading), row.timing, nextOccurrence: &next)
                #expect(out == expect, "step \(i)")
                if let state { #expect(m.state == state, "step \(i)") }
            case .ack(let time, let expect, let state):
                #expect(m.acknowledge(at: time) == expect, "step \(i)")
                if let state { #expect(m.state == state, "step \(i)") }
            }
        }
    }

    // MARK: Invariants over random sequences

    /// A simulated source: SpO2-like values with hysteresis (clear at 92 and above), a `when`
    /// that is a window (a reading below 90 in the last 20 s, so it stays true after the clear
    /// holds, as `count(...)` did in issue 11), a connection, readings, acknowledgements and
    /// ticks, each step 0-3.5 s later.
    struct World {
        var now: Int64 = 0
        var value = 97.0
        var connected = true
        var lastReading: Int64?
        var lastLow: Int64?
        static let staleAfter: Int64 = 10_000
        static let window: Int64 = 20_000

        var input: Machine.Input {
            let fresh = connected && lastReading.map { now - $0 <= Self.staleAfter } == true
            let condition = lastLow.map { now - $0 <= Self.window } == true
            return Machine.Input(time: now, condition: condition, clear: lastReading != nil && value >= 92,
                                 fresh: fresh, lastReading: lastReading)
        }
    }

    /// Decodes one random word into a step of the world: time passes, then a reading, an
    /// acknowledgement, a disconnect, a reconnect, or only a tick.
    static func apply(_ word: UInt64, to w: inout World) -> Bool {
        w.now += Int64(word % 4) * 1000 + Int64((word >> 2) % 2) * 500
        switch (word >> 8) % 10 {
        case 0...4:
            if w.connected {
                let values: [Double] = [80, 85, 89, 90, 91, 92, 93, 97]
                w.value = values[Int((word >> 16) % UInt64(values.count))]
                w.lastReading = w.now
                if w.value < 90 { w.lastLow = w.now }
            }
            return false
        case 5: return true // acknowledge
        case 6: w.connected = false; return false
        case 7: w.connected = true; return false
        default: return false // tick
        }
    }

    static let timings: [Machine.Timing] = [
        t,
        timing { $0.hold = 15_000; $0.clearHold = 10_000; $0.escalation = Escalation(to: .high, afterMilliseconds: 20_000); $0.realarm = 30_000 },
        timing { $0.hold = 5_000; $0.clearHold = 10_000; $0.latching = true; $0.priority = .high; $0.realarm = 20_000 },
        timing { $0.escalation = Escalation(to: .high, afterMilliseconds: 10_000); $0.realarm = nil; $0.latching = true },
    ]

    @Test(arguments: 0..<timings.count)
    func invariantsHoldOverRandomSequences(_ which: Int) async {
        let timing = Self.timings[which]
        await propertyCheck(count: 300, input: Gen.uint64().array(of: 1...250)) { words in
            Self.check(words, timing)
        }
    }

    /// Runs `words` through a machine and checks every invariant at every step.
    static func check(_ words: [UInt64], _ timing: Machine.Timing) {
        var m = Machine(priority: timing.priority)
        var w = World()
        var next = 1
        var clearedOccurrences: Set<Int> = []
        var raisedOccurrences: [Int] = []
        // Since when every input had the alarm condition on fresh data (for the hold's evidence).
        var alarmSince: Int64?
        // Since when the clear held on fresh data while raised.
        var clearSince: Int64?
        for (i, word) in words.enumerated() {
            let acknowledging = apply(word, to: &w)
            let before = m
            let x = w.input
            let alarmNow = x.condition && !x.clear && x.fresh
            if alarmNow { alarmSince = alarmSince ?? x.time } else { alarmSince = nil }
            // As the engine does: the alert sees the data at this instant, then the acknowledgement.
            var outs = m.step(x, timing, nextOccurrence: &next).map { [$0] } ?? []
            if acknowledging { outs += m.acknowledge(at: x.time) }
            let where_ = "step \(i) at \(x.time) ms, \(before.state) -> \(m.state), input \(x)"
            for out in outs {
                switch out {
                case .raised(let continuing):
                    // Never raised or re-raised while the clear holds.
                    #expect(!x.clear, "raised while clear holds: \(where_)")
                    if continuing {
                        #expect(m.occurrence == before.occurrence, "a re-alarm starts a new occurrence: \(where_)")
                        if case .acknowledged = before.state {} else {
                            Issue.record("re-alarm of an alert that was not acknowledged: \(where_)")
                        }
                    } else {
                        // One row per occurrence: a new occurrence is new.
                        #expect(!raisedOccurrences.contains(m.occurrence), "occurrence raised twice: \(where_)")
                        raisedOccurrences.append(m.occurrence)
                        // A hold completes only on fresh data with the condition held throughout
                        // it, on a reading at or after its end.
                        #expect(x.fresh && x.condition, "raised on stale or false data: \(where_)")
                        if case .pending(let since) = before.state {
                            #expect((alarmSince ?? .max) <= since, "hold completed though interrupted: \(where_)")
                            #expect((x.lastReading ?? .min) >= since + timing.hold, "hold completed without a reading at its end: \(where_)")
                        } else {
                            #expect(timing.hold == 0, "raised without a hold: \(where_)")
                        }
                    }
                case .escalated:
                    #expect(!x.clear, "escalated while clear holds: \(where_)")
                    #expect(before.state == .active, "escalation of an alert not active: \(where_)")
                case .acknowledged:
                    #expect(acknowledging)
                case .cleared:
                    clearedOccurrences.insert(m.occurrence)
                    // Never cleared by silence.
                    #expect(acknowledging || (x.fresh && x.clear), "cleared without fresh clear data: \(where_)")
                }
                // Timers never fire on a cleared or superseded occurrence.
                if out != .raised(continuing: false) {
                    #expect(before.isRaised || acknowledging, "event from an alert not raised: \(where_)")
                }
            }
            if outs.contains(.raised(continuing: true)) || outs.contains(.escalated) {
                #expect(!clearedOccurrences.contains(m.occurrence), "timer fired on a cleared occurrence: \(where_)")
            }
            // An acknowledged alert clears as soon as its clear holds (for clear_for) on fresh data.
            if before.isRaised && x.fresh && x.clear { clearSince = clearSince ?? x.time } else { clearSince = nil }
            if case .acknowledged = before.state, let c = clearSince, x.time - c >= timing.clearHold {
                #expect(m.state == .inactive && outs.first == .cleared, "acknowledged alert not cleared though clear held: \(where_)")
            }
            if !m.isRaised { clearSince = nil }
            // A raised alert whose data is lost stays raised and says so.
            if before.isRaised && !x.fresh && !(acknowledging && before.state == .latched) {
                #expect(m.isRaised, "raised alert ended on lost data: \(where_)")
                if m.state != .latched { #expect(m.dataLost, "lost data not marked: \(where_)") }
            }
        }
        // Every occurrence ended cleared, or is the one still raised at the end.
        for o in raisedOccurrences where !clearedOccurrences.contains(o) {
            #expect(m.isRaised && m.occurrence == o, "occurrence \(o) neither cleared nor still raised")
        }
    }
}
