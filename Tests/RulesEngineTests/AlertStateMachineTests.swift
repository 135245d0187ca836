import Testing
@testable import RulesEngine
import VitalsCore

/// Every transition of an alert: inactive, pending, firing, latched, cleared; acknowledgement,
/// re-alarm, escalation; with the events and values each one emits.
@Suite struct AlertStateMachineTests {
    func t(_ s: Double) -> RunTime { RunTime(seconds: s) }
    func spo2(_ e: RuleEngine, _ v: Double, _ s: Double, flags: QualityFlags = []) -> [AlertEvent] {
        e.observe(TestSupport.reading(.spo2, v, at: s, flags: flags))
    }

    @Test func withoutHoldTheAlertIsRaisedAtOnceAndClearsWhenTheConditionEnds() throws {
        let e = try TestSupport.engine(TestSupport.rule("spo2 < low"))
        #expect(spo2(e, 95, 0).isEmpty)
        let raised = spo2(e, 88, 1)
        #expect(raised.map(\.event) == [.raised])
        #expect(raised[0].value == 88 && raised[0].message == "v=88 l=90" && raised[0].priority == .medium)
        #expect(raised[0].metric == .spo2 && raised[0].kind == .physiological && raised[0].device == "ox")
        #expect(e.phase(of: "r") == .firing)
        let cleared = spo2(e, 91, 2)
        #expect(cleared.map(\.event) == [.cleared])
        #expect(cleared[0].value == 91 && cleared[0].occurrence == raised[0].occurrence)
        #expect(e.phase(of: "r") == .inactive)
    }

    @Test func pendingThatTurnsFalseResetsItsHold() throws {
        let e = try TestSupport.engine(TestSupport.rule("spo2 < low", "for: 10s"))
        _ = spo2(e, 88, 0)
        #expect(e.phase(of: "r") == .pending)
        _ = spo2(e, 95, 9)
        #expect(e.phase(of: "r") == .inactive)
        _ = spo2(e, 88, 10)
        #expect(spo2(e, 88, 19).isEmpty)
        // Issue 11: the hold completes on a reading taken at or after its end, not on a tick.
        #expect(e.tick(at: t(20)).isEmpty)
        let raised = spo2(e, 88, 20)
        #expect(raised.map(\.event) == [.raised])
        #expect(raised.first?.time == t(20))
    }

    @Test func undefinedDataResetsAPendingHoldButDoesNotClearAFiringAlert() throws {
        let e = try TestSupport.engine(TestSupport.rule("spo2 < low and age(spo2) < 5s", "for: 10s"))
        _ = spo2(e, 88, 0)
        _ = e.tick(at: t(6))
        #expect(e.phase(of: "r") == .inactive)
        let f = try TestSupport.engine(TestSupport.rule("spo2 < low"))
        _ = spo2(f, 88, 0)
        // Only artifact from now on: spo2 stays the last valid value; nothing clears.
        #expect(spo2(f, 99, 1, flags: .artifact).isEmpty)
        #expect(f.phase(of: "r") == .firing)
    }

    @Test func explicitClearGivesHysteresisAndItsHoldMustLast() throws {
        let e = try TestSupport.engine(TestSupport.rule("spo2 < low", "clear: spo2 >= low + 2\nclear_for: 5s"))
        _ = spo2(e, 88, 0)
        #expect(spo2(e, 91, 1).isEmpty)          // above the limit, below the clear level
        #expect(spo2(e, 93, 2).isEmpty)          // clear hold starts
        #expect(spo2(e, 91, 4).isEmpty)          // clear hold resets
        #expect(spo2(e, 93, 5).isEmpty)
        #expect(e.tick(at: t(9)).isEmpty)
        #expect(e.tick(at: t(10)).map(\.event) == [.cleared])
    }

    @Test func latchingAlertStaysUntilAcknowledged() throws {
        let e = try TestSupport.engine(TestSupport.rule("spo2 < low", "latching: true", priority: "high"))
        _ = spo2(e, 80, 0)
        #expect(spo2(e, 97, 1).isEmpty)
        #expect(e.phase(of: "r") == .latched)
        let ack = e.acknowledge(rule: "r", by: "nurse", at: t(5))
        #expect(ack.map(\.event) == [.acknowledged, .cleared])
        #expect(ack[0].by == "nurse" && ack[0].value == 97)
        #expect(e.phase(of: "r") == .inactive)
    }

    @Test func acknowledgedLatchingAlertClearsWhenTheConditionEnds() throws {
        let e = try TestSupport.engine(TestSupport.rule("spo2 < low", "latching: true", priority: "high"))
        _ = spo2(e, 80, 0)
        #expect(e.acknowledge(rule: "r", by: "n", at: t(1)).map(\.event) == [.acknowledged])
        #expect(spo2(e, 97, 2).map(\.event) == [.cleared])
    }

    @Test func acknowledgementSilencesAndReAlarmsAfterTheInterval() throws {
        let e = try TestSupport.engine(TestSupport.rule("spo2 < low", "realarm: 1m"))
        let raised = spo2(e, 85, 0)
        #expect(e.acknowledge(rule: "r", by: "n", at: t(10)).map(\.event) == [.acknowledged])
        // A second acknowledgement of the same silenced alert does nothing.
        #expect(e.acknowledge(rule: "r", by: "n", at: t(11)).isEmpty)
        #expect(e.nextDeadline == t(70))
        #expect(e.tick(at: t(69)).isEmpty)
        let again = e.tick(at: t(70))
        #expect(again.map(\.event) == [.raised])
        #expect(again[0].occurrence == raised[0].occurrence)
    }

    @Test func realarmNeverKeepsTheAlertSilent() throws {
        let e = try TestSupport.engine(TestSupport.rule("spo2 < low", "realarm: never"))
        _ = spo2(e, 85, 0)
        _ = e.acknowledge(rule: "r", by: "n", at: t(1))
        #expect(e.tick(at: t(3600)).isEmpty)
    }

    @Test func acknowledgingByOccurrence() throws {
        let e = try TestSupport.engine(TestSupport.rule("spo2 < low"))
        let raised = spo2(e, 85, 0)
        #expect(e.acknowledge(occurrence: raised[0].occurrence + 1, by: "n", at: t(1)).isEmpty)
        #expect(e.acknowledge(occurrence: raised[0].occurrence, by: "n", at: t(1)).map(\.event) == [.acknowledged])
        #expect(e.acknowledge(rule: "no-such-rule", by: "n", at: t(2)).isEmpty)
    }

    @Test func acknowledgingAnInactiveAlertDoesNothing() throws {
        let e = try TestSupport.engine(TestSupport.rule("spo2 < low"))
        #expect(e.acknowledge(rule: "r", by: "n", at: t(1)).isEmpty)
    }

    @Test func unacknowledgedAlertEscalatesOnce() throws {
        let e = try TestSupport.engine(TestSupport.rule("spo2 < low", "escalate: {to: high, after: 2m}"))
        _ = spo2(e, 85, 0)
        #expect(e.nextDeadline == t(120))
        let esc = e.tick(at: t(120))
        #expect(esc.map(\.event) == [.escalated])
        #expect(esc[0].priority == .high && esc[0].value == 85)
        #expect(e.tick(at: t(600)).isEmpty)
        #expect(spo2(e, 95, 601).map(\.priority) == [.high])
    }

    @Test func acknowledgedAlertDoesNotEscalate() throws {
        let e = try TestSupport.engine(TestSupport.rule("spo2 < low", "escalate: {to: high, after: 2m}\nrealarm: never"))
        _ = spo2(e, 85, 0)
        _ = e.acknowledge(rule: "r", by: "n", at: t(60))
        #expect(e.tick(at: t(600)).isEmpty)
    }

    @Test func aNewOccurrenceGetsANewIdAndTheRulePriority() throws {
        let e = try TestSupport.engine(TestSupport.rule("spo2 < low", "escalate: {to: high, after: 1m}"))
        let first = spo2(e, 85, 0)
        _ = e.tick(at: t(60))
        _ = spo2(e, 95, 61)
        let second = spo2(e, 85, 62)
        #expect(second[0].occurrence != first[0].occurrence)
        #expect(second[0].priority == .medium)
    }

    @Test func occurrencesStartAtTheGivenNumberAfterARestart() throws {
        // A daemon restarted within a session continues above the occurrences already stored.
        let e = try RuleEngine(rules: TestSupport.rules(TestSupport.rule("spo2 < low")), firstOccurrence: 8)
        let first = spo2(e, 85, 0)
        _ = spo2(e, 95, 1)
        let second = spo2(e, 85, 2)
        #expect(first.map(\.occurrence) == [8])
        #expect(second.map(\.occurrence) == [9])
        #expect(e.acknowledge(occurrence: 9, by: "n", at: t(3)).map(\.event) == [.acknowledged])
        // The default still starts at 1.
        let fresh = try TestSupport.engine(TestSupport.rule("spo2 < low"))
        #expect(spo2(fresh, 85, 0).map(\.occurrence) == [1])
    }

    @Test func staleDataFiresOnTimeWithNoReading() throws {
        let e = try TestSupport.engine(TestSupport.rule("age(spo2) >= 30s", "value: age(spo2)", kind: "technical"))
        _ = spo2(e, 97, 5)
        #expect(e.nextDeadline == t(35))
        let stale = e.tick(at: t(35))
        #expect(stale.map(\.event) == [.raised])
        #expect(stale[0].value == 30 && stale[0].kind == .technical)
    }

    @Test func aBaselineSetLaterIsSeenAtTheNextTick() throws {
        let e = try TestSupport.engine(TestSupport.rule("nibp.sys - baseline(nibp.sys) > 40"))
        #expect(e.observe(TestSupport.reading(.nibpSystolic, 170, at: 1, device: "cuff")).isEmpty)
        e.setBaseline(120, for: .nibpSystolic)
        #expect(e.tick(at: t(2)).map(\.event) == [.raised])
    }

    @Test func technicalRuleSeesFlaggedReadings() throws {
        let e = try TestSupport.engine(TestSupport.rule("sensor_off(spo2)", kind: "technical"))
        #expect(spo2(e, 0, 0, flags: .sensorOff).map(\.event) == [.raised])
    }

    @Test func timeNeverRunsBackwards() throws {
        let e = try TestSupport.engine(TestSupport.rule("spo2 < low", "for: 10s"))
        _ = spo2(e, 85, 100)
        _ = spo2(e, 85, 50)   // a late call is taken as happening now
        #expect(e.now == t(100))
        // The hold completes on the reading at its end (issue 11).
        #expect(spo2(e, 85, 110).map(\.event) == [.raised])
    }

    @Test func unknownLimitOverrideIsRejected() throws {
        #expect(throws: LimitRefusal(name: "lo", value: 88, reason: .unknown(suggestion: "low"), limit: nil)) {
            try TestSupport.engine(TestSupport.rule("spo2 < low"), limits: ["lo": 88])
        }
        let e = try TestSupport.engine(TestSupport.rule("spo2 < low"), limits: ["low": 88])
        #expect(e.limitValues["low"] == 88)
        #expect(spo2(e, 89, 0).isEmpty)
    }
}
