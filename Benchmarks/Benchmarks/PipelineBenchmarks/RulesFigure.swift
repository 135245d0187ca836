import Bridge
import RulesEngine
import VitalsCore

/// Figure 2: observations a second through `RuleEngine.observe` with Rules/ketamine.yaml.
///
/// The stream is the ketamine session's (SessionObservations), repeated on a time line that only
/// moves forward. The first hour (dose at 10 minutes) warms the windows and baselines untimed;
/// then three equal segments are timed and the median segment is the figure. Only `observe`
/// is timed (the pipeline's once-a-second `tick` is not an observation).
enum RulesFigure {
    static func measure(rulesPath: String, segmentSeconds: Int) throws -> Figure {
        let rules = try RuleSet.load(path: rulesPath)
        let epoch = SessionObservations.epoch
        let engine = try RuleEngine(rules: rules, hostTime: { epoch + $0.milliseconds })
        engine.attach(device: SessionObservations.oximeter, provides: [.spo2, .pulse, .pi])
        engine.attach(device: SessionObservations.cuff, provides: [.nibpSystolic, .nibpDiastolic, .nibpMean, .nibpPulse])

        let warmSeconds = 3600
        let warm = SessionObservations.make(seconds: warmSeconds)
        var alerts = 0
        var doseGiven = false
        for o in warm {
            if !doseGiven, o.time >= RunTime(milliseconds: SessionObservations.dose.milliseconds) {
                alerts += engine.doseGiven(at: RunTime(milliseconds: SessionObservations.dose.milliseconds)).count
                doseGiven = true
            }
            alerts += engine.observe(o).count
        }
        var rates: [Double] = []
        var cpuRates: [Double] = []
        var timed = 0
        for segment in 0..<3 {
            let batch = SessionObservations.make(seconds: segmentSeconds, offset: warmSeconds + segment * segmentSeconds)
            var raised = 0
            let (seconds, cpu) = Stopwatch.wallAndCPU {
                for o in batch { raised &+= engine.observe(o).count }
            }
            alerts += raised
            timed += batch.count
            rates.append(Double(batch.count) / seconds)
            cpuRates.append(Double(batch.count) / cpu)
        }
        let rate = Stopwatch.median(rates)
        let cpuRate = Stopwatch.median(cpuRates)
        return Figure(
            id: "2.rules", section: 2, figure: "Rules evaluation, Rules/ketamine.yaml (\(rules.rules.count) rules)",
            measured: Quantity(value: rate, unit: "observations/s"),
            baseline: nil,
            checks: [
                Check(goal: ">= 5 million observations/s", quantity: "observations/s", value: rate, atLeast: 5_000_000),
                Check(goal: ">= 5 million observations per CPU-second (a core, issue 18)", quantity: "observations/CPU-s",
                      value: cpuRate, atLeast: 5_000_000),
            ],
            note: "RuleEngine.observe only, windows warm (1 h untimed first); median of 3 segments of \(timed / 3) observations; \(alerts) alert events; wall clock, and the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), which on a shared machine leaves out the time other processes had the core")
    }
}
