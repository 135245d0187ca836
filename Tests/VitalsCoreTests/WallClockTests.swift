import Testing
import VitalsCore

/// Labels come from the wall clock at the event; rule time from the monotonic clock; a step of
/// the wall clock is reported once, with its size.
@Suite struct WallClockTests {
    let start: Int64 = 1_780_000_000_000
    let hour: Int64 = 3_600_000

    @Test func labelsFollowTheWallClockAtTheEventAndRuleTimeDoesNot() {
        let wall = ManualWallClock(milliseconds: start)
        let mono = ManualMonotonicSource()
        let clock = MonotonicRunClock(wall: wall, monotonic: mono)
        mono.advance(milliseconds: 10_000)
        wall.advance(by: 10_000)
        let before = clock.now()
        let labelBefore = clock.wallClock(at: before)
        #expect(labelBefore == start + 10_000)

        // The clock is corrected back an hour: rule time goes on, later labels move, an earlier
        // label already given is not recomputed by anyone.
        wall.advance(by: -hour)
        mono.advance(milliseconds: 1000)
        wall.advance(by: 1000)
        let after = clock.now()
        #expect(after.milliseconds == before.milliseconds + 1000)
        #expect(clock.wallClock(at: after) == start + 11_000 - hour)
        // A label for a moment in the past is the wall clock now less its age on the monotonic clock.
        #expect(clock.wallClock(at: before) == start + 10_000 - hour)
        #expect(clock.runTime(atWallClock: start + 11_000 - hour) == after)
    }

    @Test func aStepOfAnHourIsReportedOnceWithItsSize() {
        let wall = ManualWallClock(milliseconds: start)
        let mono = ManualMonotonicSource()
        let clock = MonotonicRunClock(wall: wall, monotonic: mono)
        #expect(clock.detectStep() == nil)
        mono.advance(milliseconds: 5000)
        wall.advance(by: 5000)
        #expect(clock.detectStep() == nil)

        wall.advance(by: hour)
        #expect(clock.detectStep() == hour)
        #expect(clock.detectStep() == nil, "a step is reported once")
        // A copy of the clock (as the daemon hands to its pipeline) shares the tracker.
        let copy = clock
        #expect(copy.detectStep() == nil)

        wall.advance(by: -hour)
        #expect(copy.detectStep() == -hour)
        #expect(clock.detectStep() == nil)
    }

    @Test func driftWithinTheThresholdIsNotAStep() {
        let wall = ManualWallClock(milliseconds: start)
        let mono = ManualMonotonicSource()
        let clock = MonotonicRunClock(wall: wall, monotonic: mono)
        // NTP slewing moves the wall clock slowly: 1.5 s over a quarter of an hour is no step.
        for minute in 0..<15 {
            mono.advance(milliseconds: 60_000)
            wall.advance(by: 60_100)
            #expect(clock.detectStep() == nil, "minute \(minute)")
        }
        // The threshold is exclusive: 2 s is no step, 2.001 s is.
        let fresh = MonotonicRunClock(wall: wall, monotonic: mono)
        wall.advance(by: MonotonicRunClock.stepThresholdMilliseconds)
        #expect(fresh.detectStep() == nil)
        wall.advance(by: 1)
        #expect(fresh.detectStep() == MonotonicRunClock.stepThresholdMilliseconds + 1)
    }

    @Test func aCompressedClockLabelsByRunTime() {
        let wall = ManualWallClock(milliseconds: start)
        let mono = ManualMonotonicSource()
        let clock = MonotonicRunClock(speed: 120, wall: wall, monotonic: mono)
        mono.advance(milliseconds: 1000)
        wall.advance(by: hour)
        #expect(clock.now().milliseconds == 120_000)
        #expect(clock.wallClock(at: clock.now()) == start + 120_000)
    }

    @Test func theSystemClocksRead() {
        let w = SystemWallClock().nowMilliseconds()
        #expect(w > 1_600_000_000_000)
        let a = SystemMonotonicSource().nowNanoseconds()
        let b = SystemMonotonicSource().nowNanoseconds()
        #expect(b >= a)
    }
}
