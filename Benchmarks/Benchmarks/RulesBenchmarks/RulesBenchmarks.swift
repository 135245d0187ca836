import Benchmark
import Foundation
import RulesEngine
import VitalsCore

/// Observations through `Rules/ketamine.yaml` (issue 4's figure: goal 5 million a second on one
/// core). Synthetic room: SpO2 and pulse at 1 Hz with a 10-point desaturation for 100 s every
/// 30 min, NIBP (4 metrics) every 5 minutes with systolic 120-190, 2 % of oximeter readings
/// flagged artifact, dose at 10 min. One engine runs on across iterations, so windows stay warm.
final class RoomFeed {
    let engine: RuleEngine
    var second = 0
    var pending: [Observation] = []
    var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
    var lastTick = RunTime.zero
    let pipelineTicks: Bool

    init(pipelineTicks: Bool) throws {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        engine = try RuleEngine(rules: RuleSet.load(path: url.appendingPathComponent("Rules/ketamine.yaml").path))
        engine.attach(device: "ox", provides: [.spo2, .pulse, .pi])
        engine.attach(device: "cuff", provides: [.nibpSystolic, .nibpDiastolic, .nibpMean, .nibpPulse])
        self.pipelineTicks = pipelineTicks
        for _ in 0..<4000 { step() }
    }

    func random() -> UInt64 {
        rng ^= rng << 13
        rng ^= rng >> 7
        rng ^= rng << 17
        return rng
    }

    func refill() {
        let t = RunTime(milliseconds: Int64(second) * 1000)
        let flags: QualityFlags = random() % 50 == 0 ? [.artifact] : []
        let dip = second % 1800 > 1700 ? 10.0 : 0
        pending.append(Observation(reading: Reading(metric: .spo2, value: 97 - dip + Double(random() % 3), flags: flags), device: "ox", time: t, hostTime: t.milliseconds))
        pending.append(Observation(reading: Reading(metric: .pulse, value: 70 + Double(random() % 10), flags: flags), device: "ox", time: t, hostTime: t.milliseconds))
        if second % 300 == 150 {
            let sys = 120 + Double(random() % 70)
            for (m, v) in [(Metric.nibpSystolic, sys), (.nibpDiastolic, 80), (.nibpMean, 93), (.nibpPulse, 75)] {
                pending.append(Observation(reading: Reading(metric: m, value: v), device: "cuff", time: t, hostTime: t.milliseconds))
            }
        }
        if second == 600 { blackHole(engine.doseGiven(at: t)) }
        second += 1
    }

    /// One observation, with the ticks due before it: at every second, or (pipelineTicks) as
    /// `RoomPipeline` ticks, at every second and at `nextDeadline`.
    func step() {
        if pending.isEmpty { refill() }
        let o = pending.removeFirst()
        if pipelineTicks {
            while true {
                var next = RunTime(milliseconds: (lastTick.milliseconds / 1000 + 1) * 1000)
                if let d = engine.nextDeadline, d > lastTick, d < next { next = d }
                guard next < o.time else { break }
                lastTick = next
                blackHole(engine.tick(at: next))
            }
        } else if o.time > lastTick {
            lastTick = o.time
            blackHole(engine.tick(at: o.time))
        }
        blackHole(engine.observe(o))
    }
}

nonisolated(unsafe) let benchmarks = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal], scalingFactor: .kilo,
        maxDuration: .seconds(2), maxIterations: 2_000)

    Benchmark("ketamine.yaml observe + tick per second") { benchmark in
        let feed = try RoomFeed(pipelineTicks: false)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { feed.step() }
    }
    Benchmark("ketamine.yaml as RoomPipeline ticks (every second and nextDeadline)") { benchmark in
        let feed = try RoomFeed(pipelineTicks: true)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { feed.step() }
    }
}
