import Testing
@testable import RulesEngine
import VitalsCore

/// `nextDeadline`: the earliest time an alert could change with no new input.
@Suite struct NextDeadlineTests {
    func t(_ s: Double) -> RunTime { RunTime(seconds: s) }

    @Test func nothingPendingMeansNoDeadline() throws {
        let e = try TestSupport.engine(TestSupport.rule("spo2 < low"))
        #expect(e.nextDeadline == nil)
    }

    @Test func pendingHoldEnds() throws {
        let e = try TestSupport.engine(TestSupport.rule("spo2 < low", "for: 15s"))
        _ = e.observe(TestSupport.reading(.spo2, 85, at: 3))
        // Issue 11: a physiological hold is cancelled when its data goes stale (10 s after the
        // last reading), so that comes first while readings do not arrive...
        #expect(e.nextDeadline == RunTime(milliseconds: 13_001))
        // ...and the hold's end, once they do.
        _ = e.observe(TestSupport.reading(.spo2, 85, at: 12))
        #expect(e.nextDeadline == t(18))
    }

    @Test func clearHoldEnds() throws {
        let e = try TestSupport.engine(TestSupport.rule("spo2 < low", "clear: spo2 > 92\nclear_for: 10s\nrealarm: never"))
        _ = e.observe(TestSupport.reading(.spo2, 85, at: 0))
        _ = e.observe(TestSupport.reading(.spo2, 95, at: 4))
        #expect(e.nextDeadline == t(14))
    }

    @Test func sinceDoseCrossing() throws {
        let e = try TestSupport.engine(TestSupport.rule("since_dose >= 40m", kind: "technical"))
        #expect(e.nextDeadline == nil)
        e.doseGiven(at: t(100))
        #expect(e.nextDeadline == t(100 + 2400))
        #expect(e.tick(at: t(2500)).map(\.event) == [.raised])
    }

    @Test func readingLeavingAWindow() throws {
        let e = try TestSupport.engine(TestSupport.rule("count(nibp.sys >= 180, 10m) >= 2", "clear: nibp.sys < 100"))
        _ = e.observe(TestSupport.reading(.nibpSystolic, 185, at: 0, device: "cuff"))
        #expect(e.nextDeadline == RunTime(milliseconds: 600_001))
    }

    @Test func tickingAtEachDeadlineGivesTheSameEventsAsTickingEveryMillisecondWould() throws {
        // A coarse driver that only ticks at deadlines reaches the same events as one that ticks
        // every second, with the same times.
        // Technical: its hold completes on time without readings (a physiological one waits for
        // a reading at the hold's end, issue 11).
        let yaml = TestSupport.rule("spo2 < low", "for: 7500ms\nescalate: {to: high, after: 61s}", kind: "technical")
        let a = try TestSupport.engine(yaml)
        let b = try TestSupport.engine(yaml)
        var ea = a.observe(TestSupport.reading(.spo2, 85, at: 0.25))
        var eb = b.observe(TestSupport.reading(.spo2, 85, at: 0.25))
        while let d = a.nextDeadline, d < t(200) { ea += a.tick(at: d) }
        var ms: Int64 = 250
        while ms < 200_000 {
            ms += 250
            eb += b.tick(at: RunTime(milliseconds: ms))
        }
        #expect(ea.map(\.time) == [RunTime(milliseconds: 7750), RunTime(milliseconds: 68750)])
        #expect(ea == eb)
    }
}
