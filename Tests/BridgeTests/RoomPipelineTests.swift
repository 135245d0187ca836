import Bridge
import Testing
import VitalsCore

@Suite struct RoomPipelineTests {
    func reading(_ v: Double, at ms: Int64) -> TimedInput {
        TimedInput(time: RunTime(milliseconds: ms), device: "ox", input: .decoded(.reading(Reading(metric: .spo2, value: v))))
    }

    @Test func stampsReadingsWithRunTimeAndWallClockLabel() {
        let clock = VirtualClock()
        let out = RecordingOutput()
        let p = RoomPipeline(clock: clock, evaluator: nil, outputs: [out])
        p.handle(reading(97, at: 1500))
        p.finish()
        #expect(out.readings.count == 1)
        #expect(out.readings[0].time == RunTime(milliseconds: 1500))
        #expect(out.readings[0].hostTime == VirtualClock.defaultEpoch + 1500)
        #expect(out.readings[0].device == "ox")
        #expect(out.finished)
    }

    @Test func ticksEverySecondBeforeAnInputAndAlertsReachEveryOutput() {
        let e = ScriptedEvaluator()
        let a = RecordingOutput(), b = RecordingOutput()
        let p = RoomPipeline(clock: VirtualClock(), evaluator: e, outputs: [a, b])
        p.handle(reading(97, at: 3500))
        #expect(e.ticks == [1000, 2000, 3000].map { RunTime(milliseconds: $0) })
        p.handle(reading(85, at: 3500))
        #expect(a.alerts.count == 1 && b.alerts.count == 1)
        p.advance(to: RunTime(milliseconds: 5000))
        #expect(e.ticks.last == RunTime(milliseconds: 5000))
    }

    @Test func ticksExactlyAtDeadlinesBetweenSeconds() {
        let e = ScriptedEvaluator(deadlines: [RunTime(milliseconds: 2250)])
        let out = RecordingOutput()
        let p = RoomPipeline(clock: VirtualClock(), evaluator: e, outputs: [out])
        p.advance(to: RunTime(milliseconds: 4000))
        #expect(e.ticks.contains(RunTime(milliseconds: 2250)))
        #expect(out.alerts.map(\.time) == [RunTime(milliseconds: 2250)])
    }

    @Test func aTickAtAnInputsTimeComesAfterTheInput() {
        let e = ScriptedEvaluator()
        let p = RoomPipeline(clock: VirtualClock(), evaluator: e, outputs: [])
        p.handle(reading(97, at: 2000))
        #expect(e.ticks == [RunTime(milliseconds: 1000)])
        #expect(e.observed == [RunTime(milliseconds: 2000)])
    }

    @Test func aDeadlineThatAnInputCreatesIsTickedAtAfterTheCachedOneWasRead() {
        let e = ScriptedEvaluator()
        let out = RecordingOutput()
        let p = RoomPipeline(clock: VirtualClock(), evaluator: e, outputs: [out])
        p.advance(to: RunTime(milliseconds: 1500))    // the pipeline has asked: no deadline
        e.deadlines = [RunTime(milliseconds: 2700)]   // the evaluator's state changes with an input
        p.handle(reading(97, at: 1600))
        p.advance(to: RunTime(milliseconds: 3000))
        #expect(e.ticks.contains(RunTime(milliseconds: 2700)), "\(e.ticks)")
        #expect(out.alerts.map(\.rule) == ["deadline"])
    }

    @Test func evaluatorChangedMakesThePipelineAskAgain() {
        let e = ScriptedEvaluator()
        let p = RoomPipeline(clock: VirtualClock(), evaluator: e, outputs: [])
        p.advance(to: RunTime(milliseconds: 1200))
        e.deadlines = [RunTime(milliseconds: 1400)]   // changed behind the pipeline's back (a reload)
        p.evaluatorChanged()
        p.advance(to: RunTime(milliseconds: 1900))
        #expect(e.ticks.contains(RunTime(milliseconds: 1400)), "\(e.ticks)")
    }
}
