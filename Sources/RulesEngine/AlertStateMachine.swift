import VitalsCore

/// The life of one rule's alert, as a pure value: the engine evaluates the rule's conditions and
/// feeds the truths, the data's freshness and the time; the machine answers with the event to
/// emit. Everything that changes an alert's state lives in `step` and `acknowledge` (in the
/// manner of Prometheus' `rules/alerting.go` and h11's `_state.py`). No clock, no expressions.
///
/// States and their IEC 60601-1-8 meaning (diagram in docs/RULES.md):
/// - `inactive`: no alarm condition.
/// - `pending`: the condition holds but not yet for the rule's `for` (the alarm condition delay).
/// - `active`: an alarm condition with its alarm signal annunciating (raised, unacknowledged).
/// - `acknowledged`: audio paused by the clinician; the alarm condition is still present; after
///   `realarm` it annunciates again (same occurrence, "re-alarmed").
/// - `latched`: a latching alarm signal whose condition has ended; it continues until acknowledged.
///
/// Invariants (tested in `AlertStateMachineInvariantTests`): never raised, re-raised or escalated
/// while `clear` holds; an acknowledged alert clears as soon as its clear holds (for `clear_for`);
/// a re-alarm continues its occurrence; a hold completes only on fresh data, on a reading taken at
/// or after its end; silence (data not fresh) never clears an alert and cancels a hold.
public struct AlertStateMachine: Sendable, Hashable {
    /// Where the alert is; times are run milliseconds.
    public enum State: Sendable, Hashable {
        case inactive
        /// Holding since the given time.
        case pending(since: Int64)
        /// Raised and annunciating, unacknowledged.
        case active
        /// Acknowledged at the given time; the condition has not cleared.
        case acknowledged(at: Int64)
        /// Latching alert whose condition cleared, waiting for an acknowledgement.
        case latched
    }

    /// The timing and annunciation of one rule (from its `for`, `clear_for`, `escalate`,
    /// `realarm`, `latching` and `priority`).
    public struct Timing: Sendable, Hashable {
        /// `for`, ms (0: raise at once).
        public var hold: Int64
        /// `clear_for`, ms.
        public var clearHold: Int64
        public var escalation: Escalation?
        /// `realarm`, ms; `nil` for never.
        public var realarm: Int64?
        public var latching: Bool
        /// The rule's own priority (a new occurrence starts at it).
        public var priority: AlertPriority
        /// A hold completes only on a reading of the rule's data taken at or after its end
        /// (physiological rules about a metric; technical rules also fire on silence).
        public var holdNeedsReadings: Bool

        public init(hold: Int64 = 0, clearHold: Int64 = 0, escalation: Escalation? = nil, realarm: Int64? = nil,
                    latching: Bool = false, priority: AlertPriority = .medium, holdNeedsReadings: Bool = false) {
            self.hold = hold
            self.clearHold = clearHold
            self.escalation = escalation
            self.realarm = realarm
            self.latching = latching
            self.priority = priority
            self.holdNeedsReadings = holdNeedsReadings
        }
    }

    /// What the engine observed at one instant.
    public struct Input: Sendable, Hashable {
        /// Run milliseconds (never earlier than the previous input's).
        public var time: Int64
        /// The rule's `when` holds (false when undefined).
        public var condition: Bool
        /// The rule's clear condition holds on the current data: its `clear`, or `when` false
        /// (not undefined) for a rule without one.
        public var clear: Bool
        /// The data source is connected and its latest reading is current (always true for
        /// technical rules, which are about the data itself).
        public var fresh: Bool
        /// When the latest valid reading of the rule's data was taken, if any.
        public var lastReading: Int64?

        public init(time: Int64, condition: Bool, clear: Bool, fresh: Bool = true, lastReading: Int64? = nil) {
            self.time = time
            self.condition = condition
            self.clear = clear
            self.fresh = fresh
            self.lastReading = lastReading
        }
    }

    /// An event the engine emits for a transition.
    public enum Output: Sendable, Hashable {
        /// A new occurrence (`continuing` false) or a re-alarm of the current one (true).
        case raised(continuing: Bool)
        case escalated
        case acknowledged
        case cleared
    }

    public private(set) var state: State = .inactive
    /// The current occurrence (0 before the first raise).
    public private(set) var occurrence = 0
    /// When the occurrence was raised or last re-alarmed (escalation counts from here).
    public private(set) var raisedAt: Int64 = 0
    /// When the clear condition started holding on fresh data, while raised.
    public private(set) var clearingSince: Int64?
    /// The priority now (the rule's, or the escalated one).
    public internal(set) var priority: AlertPriority
    public private(set) var escalated = false
    /// A raised alert whose data source went away or went stale: it stays raised (silence never
    /// clears it) and its events say so.
    public private(set) var dataLost = false

    public init(priority: AlertPriority) { self.priority = priority }

    /// True when the alert is raised (active, acknowledged or latched).
    public var isRaised: Bool {
        switch state {
        case .active, .acknowledged, .latched: true
        case .inactive, .pending: false
        }
    }

    @inline(__always) public var isInactive: Bool {
        if case .inactive = state { true } else { false }
    }

    /// The one transition table: the next state for `x`, and the event to emit (at most one).
    public mutating func step(_ x: Input, _ timing: Timing, nextOccurrence: inout Int) -> Output? {
        // The alarm condition, with the rule's hysteresis: `when` holds and `clear` does not.
        let alarm = x.condition && !x.clear
        switch state {
        case .inactive:
            guard alarm && x.fresh else { return nil }
            if timing.hold > 0 {
                state = .pending(since: x.time)
                return nil
            }
            return raise(x, timing, &nextOccurrence)
        case .pending(let since):
            guard alarm && x.fresh else {
                state = .inactive
                return nil
            }
            guard x.time - since >= timing.hold else { return nil }
            // Evidence for the whole hold: readings up to its end. It completes on the first
            // reading at or after the end (the data's own rate), never on silence.
            if timing.holdNeedsReadings, (x.lastReading ?? .min) < since + timing.hold { return nil }
            return raise(x, timing, &nextOccurrence)
        case .active:
            dataLost = !x.fresh
            if let out = clearing(x, timing) { return out }
            if case .active = state, let e = timing.escalation, !escalated, !x.clear,
               x.time - raisedAt >= e.afterMilliseconds, e.to > priority {
                escalated = true
                priority = e.to
                return .escalated
            }
            return nil
        case .acknowledged(let at):
            dataLost = !x.fresh
            if let out = clearing(x, timing) { return out }
            if let re = timing.realarm, !x.clear, x.time - at >= re {
                // Re-alarm: the same occurrence annunciates again, unacknowledged.
                state = .active
                raisedAt = x.time
                return .raised(continuing: true)
            }
            return nil
        case .latched:
            if alarm && x.fresh {
                // The condition is back before anyone acknowledged: annunciating, same occurrence.
                state = .active
                clearingSince = nil
            }
            return nil
        }
    }

    /// A clinician acknowledged the alert at `time`: an active one is silenced; a latched one
    /// (its condition already cleared) ends. Anything else is unchanged and gives no event.
    public mutating func acknowledge(at time: Int64) -> [Output] {
        switch state {
        case .active:
            state = .acknowledged(at: time)
            return [.acknowledged]
        case .latched:
            state = .inactive
            clearingSince = nil
            return [.acknowledged, .cleared]
        case .inactive, .pending, .acknowledged:
            return []
        }
    }

    /// The rule was removed by a reload: a raised alert ends (the caller emits the event).
    public mutating func retire() -> Output? {
        defer { state = .inactive; clearingSince = nil; dataLost = false }
        return isRaised ? .cleared : nil
    }

    /// The earliest time a timer of the alert runs out (hold, clear hold, escalation, re-alarm);
    /// `nil` when none runs.
    public func deadline(_ timing: Timing) -> Int64? {
        switch state {
        case .inactive, .latched: return nil
        case .pending(let since): return since + timing.hold
        case .active:
            var d = clearingSince.map { $0 + timing.clearHold } ?? .max
            if let e = timing.escalation, !escalated { d = min(d, raisedAt + e.afterMilliseconds) }
            return d == .max ? nil : d
        case .acknowledged(let at):
            var d = clearingSince.map { $0 + timing.clearHold } ?? .max
            if let re = timing.realarm { d = min(d, at + re) }
            return d == .max ? nil : d
        }
    }

    /// While raised: the clear hold runs on fresh data only; when it completes the alert clears
    /// (or latches, if latching and unacknowledged). Returns the event, if any.
    private mutating func clearing(_ x: Input, _ timing: Timing) -> Output? {
        guard x.fresh && x.clear else {
            clearingSince = nil
            return nil
        }
        let since = clearingSince ?? x.time
        clearingSince = since
        guard x.time - since >= timing.clearHold else { return nil }
        clearingSince = nil
        if case .active = state, timing.latching {
            state = .latched
            return nil
        }
        state = .inactive
        dataLost = false
        return .cleared
    }

    private mutating func raise(_ x: Input, _ timing: Timing, _ next: inout Int) -> Output {
        state = .active
        occurrence = next
        next += 1
        raisedAt = x.time
        priority = timing.priority
        escalated = false
        clearingSince = nil
        dataLost = false
        return .raised(continuing: false)
    }
}
