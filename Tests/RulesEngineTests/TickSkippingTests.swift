import Testing
@testable import RulesEngine
import VitalsCore

/// A tick evaluates a time-reading rule only when one of its compiled crossings has passed, a
/// timer ran out or an input it reads changed; these check the cases that must still be seen.
@Suite struct TickSkippingTests {
    func t(_ s: Double) -> RunTime { RunTime(seconds: s) }

    @Test func aCrossingBetweenTicksIsSeenAtTheNextTick() throws {
        let e = try TestSupport.engine(TestSupport.rule("age(spo2) >= 30s", "value: age(spo2)", kind: "technical"))
        _ = e.observe(TestSupport.reading(.spo2, 97, at: 0.5))
        for s in 1...30 { #expect(e.tick(at: t(Double(s))).isEmpty) }
        // The crossing is at 30.5 s; a pipeline ticking only on whole seconds sees it at 31 s.
        #expect(e.tick(at: t(31)).map(\.event) == [.raised])
    }

    @Test func timeReadNotAgainstAConstantIsEvaluatedAtEveryTick() throws {
        // `age(spo2) * 2` is not compared directly with a constant: no crossing is compiled for
        // it, so the rule must not be skipped.
        let e = try TestSupport.engine(TestSupport.rule("age(spo2) * 2 > 30s", "value: age(spo2)", kind: "technical"))
        #expect(e.code.timeCovered == [false])
        _ = e.observe(TestSupport.reading(.spo2, 97, at: 0))
        var raisedAt: RunTime?
        for s in 1...40 where e.tick(at: t(Double(s))).contains(where: { $0.event == .raised }) {
            raisedAt = raisedAt ?? t(Double(s))
        }
        #expect(raisedAt == t(16))
    }

    @Test func aDoseWindowCountChangedByAnotherMetricIsSeenAtTheNextTick() throws {
        // The rule reads time (since_dose) and a dose-window count of nibp.sys, but not nibp.sys
        // itself: a reading does not evaluate it, the next tick must.
        let yaml = """
            rules:
              - id: r
                title: "t"
                priority: low
                kind: technical
                metric: spo2
                when: since_dose >= 1m and count_after_dose(nibp.sys, 0s, 1h) == 0
            """
        let e = try TestSupport.engine(yaml)
        e.doseGiven(at: t(0))
        #expect(e.tick(at: t(60)).map(\.event) == [.raised])
        // Both crossings (60 s and 60.001 s) have passed: nothing in time can change it now.
        #expect(e.tick(at: t(61)).isEmpty)
        _ = e.observe(TestSupport.reading(.nibpSystolic, 120, at: 61.5, device: "cuff"))
        #expect(e.tick(at: t(62)).map(\.event) == [.cleared])
    }
}
