import Foundation
import Reports
import RulesEngine
import Store
import Testing
import VitalsCore

/// Golden values of the REMS form's computed fields on scenario sessions in real SQLite files.
@Suite struct REMSFormTests {
    let t0 = ScenarioSession.t0
    let minute = ScenarioSession.minute

    @Test func completeSession() throws {
        let dir = try TempDir()
        // Dose (device 1) at 10 min; BP 5 min before it, 40 min after, and 15 min before the end at 145.
        let s = try ScenarioSession(directory: dir.path, bp: [(5, 122, 78), (50, 138, 88), (130, 126, 80)], endMinute: 145)
        let f = try s.model().form
        #expect(f.dose == .mg56)
        #expect(f.lot == "LOT-7781")
        #expect(f.administrationStart == t0 + 10 * minute)
        #expect(f.monitoringEnd == t0 + 145 * minute)
        #expect(f.totalMinutes == 135)
        #expect(f.atLeastTwoHours == true)
        #expect(f.bloodPressures.map { $0.measurement?.text } == ["122/78", "138/88", "126/80"])
        #expect(f.bloodPressures.map(\.minuteFromDose) == [-5, 40, 120])
        #expect(f.vitalsBeforeAdministration.answer == true)
        #expect(f.vitalsBeforeCompletion.answer == true)
        #expect(f.vitalsBeforeCompletion.checks.map(\.limitValue) == [90, 40, 120, 140, 90, 90])
        // Nothing ever left the range: back in range from the start of administration.
        #expect(f.readySuggestion.minute == 0)
        #expect(f.concomitant == ConcomitantMedications(benzodiazepine: false, sedativeHypnotic: false, psychostimulant: true, maoi: nil))
        #expect(f.effects.map(\.occurred) == [nil, nil, nil])
    }

    @Test func preDoseBloodPressureMissing() throws {
        let dir = try TempDir()
        let s = try ScenarioSession(directory: dir.path, bp: [(50, 138, 88), (130, 126, 80)], endMinute: 145)
        let f = try s.model().form
        #expect(f.bloodPressures[0].measurement == nil && f.bloodPressures[0].minuteFromDose == nil)
        #expect(f.vitalsBeforeAdministration.answer == nil)
        #expect(f.vitalsBeforeAdministration.note == "not computed: missing nibp.dia value, nibp.sys value")
        // SpO2 and pulse before the dose were there and in range.
        #expect(f.vitalsBeforeAdministration.checks.filter { $0.bound.metric == .spo2 }.map(\.holds) == [true])
        #expect(f.vitalsBeforeCompletion.answer == true)
    }

    @Test func observationShorterThanTwoHours() throws {
        let dir = try TempDir()
        let s = try ScenarioSession(directory: dir.path, bp: [(5, 122, 78), (50, 138, 88), (100, 126, 80)], endMinute: 110)
        let f = try s.model().form
        #expect(f.totalMinutes == 100)
        #expect(f.atLeastTwoHours == false)
        // 100 min from the dose; the end window starts at 80: BP at 100 counts.
        #expect(f.bloodPressures[2].minuteFromDose == 90)
    }

    @Test func vitalsOutOfRangeAtCompletion() throws {
        let dir = try TempDir()
        // BP high at the end, SpO2 89 % in the last 10 minutes.
        let s = try ScenarioSession(
            directory: dir.path, bp: [(5, 122, 78), (50, 150, 96), (135, 152, 95)], endMinute: 145,
            spo2At: { $0 >= 135 ? 89 : 97 })
        let f = try s.model().form
        #expect(f.vitalsBeforeCompletion.answer == false)
        let failed = f.vitalsBeforeCompletion.checks.filter { $0.holds == false }.map(\.bound.limit)
        #expect(failed == ["spo2_low", "predose_sys", "predose_dia"])
        #expect(f.vitalsBeforeCompletion.checks.first { $0.bound.limit == "predose_sys" }?.value == 152)
        #expect(f.readySuggestion.minute == nil)
        #expect(f.readySuggestion.explanation.contains("still outside"))
    }

    @Test func noBloodPressureAt40Minutes() throws {
        let dir = try TempDir()
        let s = try ScenarioSession(directory: dir.path, bp: [(5, 122, 78), (75, 145, 92), (105, 128, 82), (130, 126, 80)], endMinute: 145)
        let m = try s.model()
        #expect(m.form.bloodPressures[1].measurement == nil)
        #expect(m.form.bloodPressures[2].measurement?.text == "126/80")
        // 145/92 at 75 min was out of range; the next BP (105 min, 95 after device 1) is back in it.
        #expect(m.form.readySuggestion.minute == 95)
        let html = HTMLReport.render(m, timeZone: TimeZone(identifier: "UTC")!, generatedAt: t0)
        #expect(html.contains(#"data-checkpoint="about-40-min"><th>About 40 minutes after administration</th><td class="bp-value"></td>"#))
    }

    @Test func openSessionLeavesCompletionBlank() throws {
        let dir = try TempDir()
        let s = try ScenarioSession(directory: dir.path, bp: [(5, 122, 78)], endMinute: nil)
        let f = try s.model(now: t0 + 60 * minute).form
        #expect(f.totalMinutes == nil && f.atLeastTwoHours == nil && f.monitoringEnd == nil)
        #expect(f.vitalsBeforeCompletion.answer == nil)
    }

    @Test func doseChoicesAndObservations() throws {
        let dir = try TempDir()
        let s = try ScenarioSession(directory: dir.path, bp: [(5, 122, 78)], endMinute: 145, dose: "28 mg")
        try s.db.addObservation(ClinicalObservation(sessionID: s.sessionID, at: t0 + 30 * minute, kind: .dissociation, status: .present, text: "CADSS 12", by: "RN Park"))
        try s.db.addObservation(ClinicalObservation(sessionID: s.sessionID, at: t0 + 70 * minute, kind: .dissociation, status: .resolved, by: "RN Park"))
        try s.db.addObservation(ClinicalObservation(sessionID: s.sessionID, at: t0 + 70 * minute, kind: .sedation, status: .absent, by: "RN Park"))
        let f = try s.model().form
        #expect(f.dose == .other("28 mg"))
        #expect(f.effects.map(\.occurred) == [false, true, nil])
        #expect(f.effects[1].resolvedAt == t0 + 70 * minute)
        #expect(try s.db.doseDevices(session: s.sessionID).map(\.number) == [1, 2])
    }
}

/// The renderers: text (as `vitals session show`), HTML (self-contained), JSON (the documented schema).
@Suite struct RendererTests {
    @Test func textMarksMissingCheckpoints() throws {
        let dir = try TempDir()
        let s = try ScenarioSession(directory: dir.path, bp: [(25, 130, 80)], endMinute: nil)
        let text = try s.db.report(session: s.sessionID, now: ScenarioSession.t0 + 140 * ScenarioSession.minute)
            .text(timeZone: TimeZone(identifier: "UTC")!)
        #expect(text.components(separatedBy: "MISSING").count - 1 == 3)
    }

    @Test func htmlIsSelfContainedAndEscaped() throws {
        let dir = try TempDir()
        let s = try ScenarioSession(directory: dir.path, bp: [(5, 122, 78), (50, 138, 88), (130, 126, 80)], endMinute: 145)
        try s.db.addObservation(ClinicalObservation(sessionID: s.sessionID, at: ScenarioSession.t0, kind: .sedation, status: .present, text: "<script>alert(1)</script>"))
        let html = HTMLReport.render(try s.model(), timeZone: TimeZone(identifier: "UTC")!, generatedAt: ScenarioSession.t0)
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("src="))
        #expect(html.components(separatedBy: #"class="nibp-point""#).count - 1 == 3)
        #expect(html.contains(#"id="trend-spo2""#) && html.contains(#"id="trend-pulse""#) && html.contains(#"id="trend-alerts""#))
        #expect(html.contains(#"id="total-minutes">135<"#))
    }

    /// A two-hour session at the oximeter's 1 Hz: the trends are decimated per pixel column, so the
    /// page stays small. With VITALS_REPORT_SAMPLE=DIR the database is copied there (to measure
    /// the HTML and PDF the binary writes, for docs/REPORT.md).
    @Test func twoHourSessionAtOneHertzStaysSmall() throws {
        let dir = try TempDir()
        let bp = stride(from: Int64(5), through: 130, by: 5).map { m in (m, m > 10 && m < 70 ? 142.0 : 124.0, 80.0) }
        let s = try ScenarioSession(
            directory: dir.path, bp: bp, endMinute: 135, spo2At: { 95 + Double($0 % 4) }, pulseAt: { 70 + Double($0 % 9) },
            intervalSeconds: 1)
        let m = try s.model()
        #expect(m.readings.count > 16_000)
        let html = HTMLReport.render(m, timeZone: TimeZone(identifier: "UTC")!, generatedAt: ScenarioSession.t0)
        print("two-hour session (1 Hz SpO2 and pulse, NIBP every 5 min): HTML \(html.utf8.count) bytes")
        #expect(html.utf8.count < 400_000)
        #expect(html.components(separatedBy: #"class="nibp-point""#).count - 1 == bp.count)
        if let keep = ProcessInfo.processInfo.environment["VITALS_REPORT_SAMPLE"] {
            try? FileManager.default.removeItem(atPath: keep + "/two-hour.sqlite")
            try FileManager.default.copyItem(atPath: s.path, toPath: keep + "/two-hour.sqlite")
        }
    }

    /// Lines break at a gap and at flagged readings; flagged readings are counted, not drawn in the line.
    @Test func trendsBreakAtGapsAndFlaggedReadings() throws {
        let dir = try TempDir()
        let db = try VitalsDatabase(path: dir.path + "/gaps.sqlite")
        let t0 = ScenarioSession.t0
        let s = try db.startSession(SessionPlan(room: "g", patientRef: "P"), at: t0)
        let writer = ReadingWriter(database: db, configuration: WriterConfiguration(room: "g"), now: ManualClock(t0).function, onError: { _ in })
        writer.register(DeviceIdentity(profile: "nonin-df7", name: "ox"), at: t0)
        writer.record(DeviceEvent(device: "ox", at: t0 + 60_000, kind: .disconnected))
        writer.record(DeviceEvent(device: "ox", at: t0 + 120_000, kind: .connected))
        for second in stride(from: Int64(0), to: 240, by: 5) {
            writer.append(Observation(reading: Reading(metric: .resp, value: 14), device: "ox", time: RunTime(milliseconds: 0), hostTime: t0 + second * 1000))
        }
        for second in Int64(0)..<240 where !(60..<120).contains(second) {
            let flags: QualityFlags = (180..<190).contains(second) ? [.sensorOff] : []
            writer.append(Observation(
                reading: Reading(metric: .spo2, value: flags.isEmpty ? 97 : 0, flags: flags), device: "ox",
                time: RunTime(milliseconds: 0), hostTime: t0 + second * 1000))
        }
        _ = writer.close()
        try db.endSession(s.id, at: t0 + 240_000, reason: nil)
        let limits = try SessionLimits.load(rulesPath: ScenarioSession.rulesPath, plan: try db.session(id: s.id).plan)
        let m = try ReportModel.load(database: db, session: s.id, now: t0 + 240_000, limits: limits)
        let html = HTMLReport.render(m, timeZone: TimeZone(identifier: "UTC")!, generatedAt: t0)
        let spo2 = try #require(html.range(of: #"<svg id="trend-spo2""#).map { html[$0.lowerBound...] }.flatMap { s in s.range(of: "</svg>").map { String(s[..<$0.upperBound]) } })
        // 0-59 s, 120-179 s, 190-239 s: three runs.
        #expect(spo2.components(separatedBy: "<polyline").count - 1 == 3)
        #expect(spo2.contains("10 flagged reading(s)"))
        #expect(spo2.components(separatedBy: #"class="flagged""#).count - 1 >= 1)
        // Breathing metrics get their panel; the disconnect is marked in the alerts lane.
        #expect(html.contains(#"<svg id="trend-resp""#) && !html.contains(#"<svg id="trend-etco2""#))
        #expect(html.components(separatedBy: #"class="disconnect-marker""#).count - 1 == 1)
    }

    @Test func jsonCarriesTheFormWithNulls() throws {
        let dir = try TempDir()
        let s = try ScenarioSession(directory: dir.path, bp: [(50, 138, 88), (130, 126, 80)], endMinute: 145)
        let text = JSONReport.render(try s.model(), generatedAt: ScenarioSession.t0)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(root["schema"] as? String == "vitals-report/1")
        let form = try #require(root["rems_form"] as? [String: Any])
        #expect(form["total_minutes"] as? Int == 135)
        #expect(form["dose"] as? String == "56mg")
        #expect(form["lot"] as? String == "LOT-7781")
        let bps = try #require(form["blood_pressures"] as? [[String: Any]])
        #expect(bps.map { $0["point"] as? String } == ["before-administration", "about-40-min", "before-completion"])
        #expect(bps[0]["systolic"] is NSNull)
        #expect(bps[1]["systolic"] as? Double == 138 && bps[1]["minute_from_dose"] as? Int == 40)
        let before = try #require(form["vitals_in_range_before_administration"] as? [String: Any])
        #expect(before["answer"] is NSNull)
        let cm = try #require(form["concomitant_medications"] as? [String: Any])
        #expect(cm["psychostimulant"] as? Bool == true && cm["maoi"] is NSNull)
    }

    @Test func limitsComeFromTheRulesWithTheSessionsOverrides() throws {
        let plan = SessionPlan(room: "r", limits: ["spo2_low": 88])
        let l = try SessionLimits.load(rulesPath: ScenarioSession.rulesPath, plan: plan)
        #expect(l["spo2_low"] == 88)
        #expect(l["predose_sys"] == 140)
        #expect(throws: RuleLoadErrorMatcher.self) {
            do { _ = try SessionLimits.load(rulesPath: "/nonexistent/rules.yaml", plan: plan) } catch { throw RuleLoadErrorMatcher() }
        }
    }
}

struct RuleLoadErrorMatcher: Error {}
