import Testing
@testable import RulesEngine
import VitalsCore

/// Each function and operator of the expression language, evaluated against engine state.
@Suite struct ExpressionFunctionTests {
    /// An engine with every function in use (so windows are kept long enough).
    func engine() throws -> RuleEngine {
        try TestSupport.engine("""
        limits:
          low: {default: 90, unit: "%"}
          stale: 30s
        rules:
          - {id: w, title: t, priority: low, kind: physiological, when: "min(spo2, 10m) < 0 and count(nibp.sys >= 180, 10m) > 99"}
          - {id: s, title: t, priority: low, kind: physiological, when: "satseconds(spo2, low) > 50"}
          - {id: d, title: t, priority: low, kind: physiological, when: "count_after_dose(nibp.sys, 30m, 50m) > 0"}
        """)
    }

    @Test func metricIsTheLatestValidReading() throws {
        let e = try engine()
        #expect(try e.evaluate("spo2") == nil)
        _ = e.observe(TestSupport.reading(.spo2, 97, at: 1))
        _ = e.observe(TestSupport.reading(.spo2, 60, at: 2, flags: .artifact))
        _ = e.observe(TestSupport.reading(.spo2, 50, at: 3, flags: .sensorOff))
        _ = e.observe(TestSupport.reading(.spo2, 70, at: 4, flags: .held))
        _ = e.observe(TestSupport.reading(.spo2, 71, at: 5, flags: .outOfTrack))
        #expect(try e.evaluate("spo2") == 97)
        // Low perfusion does not invalidate a reading.
        _ = e.observe(TestSupport.reading(.spo2, 95, at: 6, flags: .lowPerfusion))
        #expect(try e.evaluate("spo2") == 95)
    }

    @Test func windowFunctions() throws {
        let e = try engine()
        for (t, v) in [(0.0, 96.0), (60, 94), (120, 90), (180, 92)] { _ = e.observe(TestSupport.reading(.spo2, v, at: t)) }
        _ = e.observe(TestSupport.reading(.spo2, 10, at: 200, flags: .artifact))
        #expect(try e.evaluate("min(spo2, 10m)") == 90)
        #expect(try e.evaluate("max(spo2, 10m)") == 96)
        #expect(try e.evaluate("mean(spo2, 10m)") == 93)
        #expect(try e.evaluate("change(spo2, 10m)") == -4)
        // A 90 s window at t=200 holds the readings at 120 and 180.
        #expect(try e.evaluate("min(spo2, 90s)") == 90)
        #expect(try e.evaluate("change(spo2, 90s)") == 2)
        // A window with one reading has no change; an empty one has no min.
        #expect(try e.evaluate("change(spo2, 30s)") == nil)
        _ = e.tick(at: RunTime(seconds: 1000))
        #expect(try e.evaluate("min(spo2, 1m)") == nil)
    }

    @Test func countsOverTimeAndOverTheLastReadings() throws {
        let e = try engine()
        for (t, v) in [(0.0, 185.0), (300, 170), (540, 182)] { _ = e.observe(TestSupport.reading(.nibpSystolic, v, at: t, device: "cuff")) }
        _ = e.observe(TestSupport.reading(.nibpSystolic, 250, at: 550, flags: .artifact, device: "cuff"))
        #expect(try e.evaluate("count(nibp.sys >= 180, 10m)") == 2)
        #expect(try e.evaluate("count(nibp.sys >= 180, 5m)") == 1)
        #expect(try e.evaluate("count_last(nibp.sys >= 180, 2)") == 1)
        #expect(try e.evaluate("count_last(nibp.sys >= 180, 3)") == 2)
        #expect(try e.evaluate("count_last(nibp.sys < 180, 10)") == 1)
    }

    @Test func sinceDoseAndDosed() throws {
        let e = try engine()
        _ = e.tick(at: RunTime(seconds: 100))
        #expect(try e.evaluate("since_dose") == nil)
        #expect(try e.condition("dosed") == false)
        #expect(try e.condition("since_dose > 1s") == nil)
        e.doseGiven(at: RunTime(seconds: 100))
        _ = e.tick(at: RunTime(seconds: 160))
        #expect(try e.evaluate("since_dose") == 60)
        #expect(try e.condition("since_dose >= 1m") == true)
        #expect(try e.condition("dosed") == true)
    }

    @Test func ageCountsFromTheLastValidReadingOrTheStart() throws {
        let e = try engine()
        _ = e.tick(at: RunTime(seconds: 12))
        #expect(try e.evaluate("age(spo2)") == 12)
        _ = e.observe(TestSupport.reading(.spo2, 97, at: 20))
        _ = e.observe(TestSupport.reading(.spo2, 97, at: 25, flags: .artifact))
        _ = e.tick(at: RunTime(seconds: 50))
        #expect(try e.evaluate("age(spo2)") == 30)
        #expect(try e.condition("age(spo2) >= stale") == true)
    }

    @Test func qualityFunctions() throws {
        let e = try engine()
        #expect(try e.condition("sensor_off(spo2)") == false)
        _ = e.observe(TestSupport.reading(.spo2, 0, at: 1, flags: .sensorOff))
        #expect(try e.condition("sensor_off(spo2)") == true)
        _ = e.observe(TestSupport.reading(.spo2, 97, at: 2))
        #expect(try e.condition("sensor_off(spo2)") == false)
        _ = e.deviceStatus(DeviceStatus(.sensorOff), device: "ox", at: RunTime(seconds: 3))
        #expect(try e.condition("sensor_off(spo2)") == true)
        _ = e.deviceStatus(DeviceStatus(.sensorOn, metric: .spo2), device: "ox", at: RunTime(seconds: 4))
        #expect(try e.condition("sensor_off(spo2)") == false)
        _ = e.observe(TestSupport.reading(.spo2, 97, at: 5, flags: .artifact))
        #expect(try e.condition("artifact(spo2)") == true)
        _ = e.observe(TestSupport.reading(.spo2, 97, at: 6, flags: .outOfTrack))
        #expect(try e.condition("artifact(spo2)") == true)
        _ = e.observe(TestSupport.reading(.spo2, 97, at: 7))
        #expect(try e.condition("artifact(spo2)") == false)
    }

    @Test func connectionFunctionsFollowTheDeviceThatProvidesTheMetric() throws {
        let e = try engine()
        #expect(try e.condition("connected(spo2)") == false)
        #expect(try e.condition("disconnected(spo2)") == false)
        e.attach(device: "ox", provides: [.spo2, .pulse])
        #expect(try e.condition("connected(spo2)") == true)
        _ = e.connection(.disconnected, device: "ox", at: RunTime(seconds: 1))
        #expect(try e.condition("disconnected(pulse)") == true)
        #expect(try e.condition("connected(pulse)") == false)
        _ = e.connection(.reconnecting, device: "ox", at: RunTime(seconds: 2))
        #expect(try e.condition("disconnected(spo2)") == true)
        _ = e.connection(.quiet, device: "ox", at: RunTime(seconds: 3))
        #expect(try e.condition("connected(spo2)") == true)
        #expect(try e.condition("disconnected(nibp.sys)") == false)
    }

    @Test func baselineIsTheMedianBeforeTheDoseOrTheLastPreDoseBP() throws {
        let e = try engine()
        // SpO2 readings 15 min before the dose are outside the 10-min baseline window.
        _ = e.observe(TestSupport.reading(.spo2, 80, at: 0))
        for (i, v) in [96.0, 98, 97, 99, 60].enumerated() {
            _ = e.observe(TestSupport.reading(.spo2, v, at: 400 + Double(i) * 60, flags: v == 60 ? .artifact : []))
        }
        _ = e.observe(TestSupport.reading(.nibpSystolic, 130, at: 100, device: "cuff"))
        _ = e.observe(TestSupport.reading(.nibpSystolic, 125, at: 800, device: "cuff"))
        e.doseGiven(at: RunTime(seconds: 900))
        #expect(e.baseline(.spo2) == 97.5)
        #expect(e.baseline(.nibpSystolic) == 125)
        #expect(e.baseline(.pulse) == nil)
        #expect(try e.evaluate("baseline(spo2)") == 97.5)
        e.setBaseline(120, for: .nibpSystolic)
        #expect(try e.evaluate("nibp.sys - baseline(nibp.sys)") == 5)
    }

    @Test func explicitBaselineSurvivesTheDose() throws {
        let e = try engine()
        e.setBaseline(118, for: .nibpSystolic)
        _ = e.observe(TestSupport.reading(.nibpSystolic, 140, at: 10, device: "cuff"))
        e.doseGiven(at: RunTime(seconds: 20))
        #expect(e.baseline(.nibpSystolic) == 118)
    }

    /// Reference D fact 46, the Nellcor worked example: limit 90, 88 % for 2 s, 86 % for 3 s,
    /// 84 % for 6 s gives 4 + 12 + 36 = 52, past a setting of 50 during the 84 % stretch.
    @Test func satSecondsFollowsTheNellcorExample() throws {
        let e = try engine()
        let values: [Double] = [88, 88, 86, 86, 86, 84, 84, 84, 84, 84, 84]
        var index: [Double] = []
        for (i, v) in values.enumerated() {
            _ = e.observe(TestSupport.reading(.spo2, v, at: Double(i + 1)))
            index.append(try #require(try e.evaluate("satseconds(spo2, low)")))
        }
        #expect(index == [2, 4, 8, 12, 16, 22, 28, 34, 40, 46, 52])
        // Above the limit it counts down the same way, never below zero.
        _ = e.observe(TestSupport.reading(.spo2, 97, at: 12))
        #expect(try e.evaluate("satseconds(spo2, low)") == 45)
        for t in 13...30 { _ = e.observe(TestSupport.reading(.spo2, 97, at: Double(t))) }
        #expect(try e.evaluate("satseconds(spo2, low)") == 0)
    }

    @Test func satSecondsIgnoresFlaggedReadingsAndGaps() throws {
        let e = try engine()
        _ = e.observe(TestSupport.reading(.spo2, 80, at: 1, flags: .artifact))
        #expect(try e.evaluate("satseconds(spo2, low)") == 0)
        _ = e.observe(TestSupport.reading(.spo2, 85, at: 2))
        // After a 60 s gap the next reading counts for one second, not sixty.
        _ = e.observe(TestSupport.reading(.spo2, 85, at: 62))
        #expect(try e.evaluate("satseconds(spo2, low)") == 10)
    }

    @Test func countAfterDose() throws {
        let e = try engine()
        #expect(try e.evaluate("count_after_dose(nibp.sys, 30m, 50m)") == nil)
        e.doseGiven(at: .zero)
        for m in [10.0, 35, 45, 55] { _ = e.observe(TestSupport.reading(.nibpSystolic, 120, at: m * 60, device: "cuff")) }
        #expect(try e.evaluate("count_after_dose(nibp.sys, 30m, 50m)") == 2)
    }

    @Test func arithmeticAndThreeValuedLogic() throws {
        let e = try engine()
        #expect(try e.evaluate("2 + 3 * 4 - -1") == 15)
        #expect(try e.evaluate("(2 + 3) * 4 / 2") == 10)
        #expect(try e.evaluate("1 / 0") == nil)
        #expect(try e.evaluate("low + 2") == 92)
        #expect(try e.evaluate("stale * 2") == 60)
        #expect(try e.evaluate("1m30s + 500ms") == 90.5)
        // spo2 is undefined: comparisons with it are undefined, `and false` is false, `or true` is true.
        #expect(try e.condition("spo2 < 90") == nil)
        #expect(try e.condition("not (spo2 < 90)") == nil)
        #expect(try e.condition("spo2 < 90 and false") == false)
        #expect(try e.condition("spo2 < 90 or true") == true)
        #expect(try e.condition("spo2 < 90 or false") == nil)
        _ = e.observe(TestSupport.reading(.spo2, 88, at: 1))
        #expect(try e.condition("spo2 < 90 and not (spo2 == 80) and spo2 != 89 and spo2 <= 88 and spo2 >= 88 and spo2 > 87") == true)
    }

    @Test func durationLiterals() {
        #expect(DurationLiteral.milliseconds("30s") == 30_000)
        #expect(DurationLiteral.milliseconds("10m") == 600_000)
        #expect(DurationLiteral.milliseconds("2h") == 7_200_000)
        #expect(DurationLiteral.milliseconds("500ms") == 500)
        #expect(DurationLiteral.milliseconds("1m30s") == 90_000)
        #expect(DurationLiteral.milliseconds("1.5m") == 90_000)
        #expect(DurationLiteral.milliseconds("0") == 0)
        #expect(DurationLiteral.milliseconds("15") == nil)
        #expect(DurationLiteral.milliseconds("5min") == nil)
        #expect(DurationLiteral.milliseconds("") == nil)
    }

    @Test func titleInterpolation() {
        #expect(RuleEngine.interpolate("SpO2 {value}% below {limit}% ({metric})", value: 87, limit: 90, metric: .spo2)
                == "SpO2 87% below 90% (spo2)")
        #expect(RuleEngine.interpolate("{value}", value: 87.25, limit: nil, metric: nil) == "87.3")
        #expect(RuleEngine.interpolate("{value} {limit}", value: nil, limit: nil, metric: nil) == "? ?")
    }
}
