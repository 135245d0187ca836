import Foundation
import Testing
@testable import Store
import VitalsCore

@Suite struct SessionQueryTests {
    let minute: Int64 = 60_000

    /// A session with a dose at t0 + 10 min and BP at chosen minutes after the start.
    func sessionWithBP(_ dir: TempDirectory, bpMinutes: [Int64], observe: Int64? = 120 * 60_000, limits: [String: Double] = [:])
        throws -> (VitalsDatabase, SessionRecord, Int64)
    {
        let db = try VitalsDatabase(path: dir.file("q.sqlite"))
        let clock = TestClock()
        let t0 = clock.now
        let s = try db.startSession(SessionPlan(room: "r", patientRef: "P", observeMilliseconds: observe, limits: limits), at: t0)
        try db.recordDose(session: s.id, at: t0 + 10 * minute)
        let writer = ReadingWriter(database: db, configuration: WriterConfiguration(room: "r"), now: clock.function, onError: { _ in })
        for (i, m) in bpMinutes.enumerated() {
            let t = t0 + m * minute
            writer.append(Sample.observation(.nibpSystolic, Double(120 + i), at: t, device: "cuff"))
            writer.append(Sample.observation(.nibpDiastolic, Double(80 + i), at: t + 1, device: "cuff"))
            writer.append(Sample.observation(.nibpMean, Double(93 + i), at: t + 2, device: "cuff"))
        }
        writer.close()
        return (db, try db.session(id: s.id), t0)
    }

    @Test func remsCheckpointsFound() throws {
        let dir = try TempDirectory()
        // Dose at 10 min: baseline at 5, post-dose at 48 (38 after) and 52 (42 after: both in the
        // window, 48 closer to 50 = dose + 40), discharge at 125 (session ends at 130).
        let (db, s, t0) = try sessionWithBP(dir, bpMinutes: [2, 5, 48, 52, 125])
        try db.endSession(s.id, at: t0 + 130 * minute, reason: "home")
        let c = try db.remsCheckpoints(session: s.id, now: t0 + 200 * minute)
        #expect(c.isComplete)
        #expect(c.baseline?.at == t0 + 5 * minute)
        #expect(c.baseline?.text == "121/81")
        #expect(c.postDose?.at == t0 + 48 * minute || c.postDose?.at == t0 + 52 * minute)
        #expect(c.beforeDischarge?.at == t0 + 125 * minute)
        // Ending recorded them in the session's events.
        let recorded = try db.events(session: s.id).filter { $0.kind == .bpCheckpoint }.map(\.text)
        #expect(recorded.count == 3)
        #expect(recorded.first?.hasPrefix("before the dose: 121/81 mmHg at ") == true)
    }

    @Test func remsCheckpointsMissing() throws {
        let dir = try TempDirectory()
        // No BP before the dose; one at 25 min (15 after the dose: outside the window).
        let (db, s, t0) = try sessionWithBP(dir, bpMinutes: [25])
        let c = try db.remsCheckpoints(session: s.id, now: t0 + 140 * minute)
        #expect(c.hasDose)
        #expect(c.baseline == nil && c.postDose == nil && c.beforeDischarge == nil)
    }

    @Test func summaryCountsMinMedianMaxOfValidReadings() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("s.sqlite"))
        let clock = TestClock()
        let writer = ReadingWriter(database: db, configuration: WriterConfiguration(room: "r"), now: clock.function, onError: { _ in })
        for (i, v) in [97.0, 95, 99, 96].enumerated() { writer.append(Sample.observation(.spo2, v, at: clock.now + Int64(i))) }
        writer.append(Sample.observation(.spo2, 60, at: clock.now + 10, flags: [.artifact]))
        writer.append(Sample.observation(.pulse, 72, at: clock.now + 11))
        writer.close()
        let s = try #require(try db.sessions().first)
        let sum = try db.summary(session: s.id)
        #expect(sum.map(\.metric) == [.spo2, .pulse])
        #expect(sum[0] == MetricSummary(metric: .spo2, count: 4, invalidCount: 1, minimum: 95, median: 96.5, maximum: 99))
        #expect(sum[1].count == 1 && sum[1].median == 72)
    }

    @Test func endWarnings() throws {
        let dir = try TempDirectory()
        let (db, s, t0) = try sessionWithBP(dir, bpMinutes: [5, 50], limits: ["nibp_sys_high": 120, "spo2_low": 90])
        // Dose at 10 min + 2 h observation = 130 min.
        let early = try db.endWarnings(session: s.id, now: t0 + 60 * minute)
        #expect(early.contains(.observationNotOver(until: t0 + 130 * minute, remainingMilliseconds: 70 * minute)))
        #expect(early.contains(.outsideLimit(metric: .nibpSystolic, value: 121, limit: "nibp_sys_high", limitValue: 120)))
        #expect(early.count == 2)
        let late = try db.endWarnings(session: s.id, now: t0 + 131 * minute, extraLimits: ["nibp_sys_high": 200])
        #expect(late == [.outsideLimit(metric: .nibpSystolic, value: 121, limit: "nibp_sys_high", limitValue: 120)])
        #expect(VitalsDatabase.limitTarget("nibp.dia_low")! == (.nibpDiastolic, true))
        #expect(VitalsDatabase.limitTarget("pulse_max")! == (.pulse, false))
        #expect(VitalsDatabase.limitTarget("weird") == nil)
    }

    @Test func oneClinicianSessionPerRoomAndNamedErrors() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("o.sqlite"))
        let a = try db.startSession(SessionPlan(room: "r1", patientRef: "A"), at: 1000)
        #expect(throws: StoreError.sessionAlreadyOpen(room: "r1", id: a.id)) {
            try db.startSession(SessionPlan(room: "r1", patientRef: "B"), at: 2000)
        }
        let b = try db.startSession(SessionPlan(room: "r2", patientRef: "B"), at: 2000)
        #expect(try db.openSession(room: "r2")?.id == b.id)
        #expect(throws: StoreError.unknownSession(id: 999)) { try db.session(id: 999) }
        try db.endSession(a.id, at: 3000, reason: nil)
        #expect(throws: StoreError.sessionEnded(id: a.id)) { try db.endSession(a.id, at: 4000, reason: nil) }
        #expect(try db.sessions().map(\.id) == [b.id, a.id])
        #expect(try db.events(session: a.id).map(\.kind) == [.discharge])
    }

    @Test func awkwardTextRoundTrips() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("t.sqlite"))
        let nasty = [
            "O'Brien \"Bob\"; DROP TABLE sessions; --",
            "Robert'); DELETE FROM readings WHERE ('1'='1",
            "line one\nline two\r\nthree\ttab",
            "患者-Ωμέγα-Пациент-مريض-🙂",
            "%s %n \\0 \\x00 NULL",
        ]
        for (i, text) in nasty.enumerated() {
            let s = try db.startSession(
                SessionPlan(room: "room \(text)", patientRef: text, clinician: text, medication: text, dose: text, route: text,
                            limits: ["spo2_low": 88]),
                at: Int64(i))
            try db.addEvent(SessionEvent(sessionID: s.id, at: Int64(i), kind: .note, text: text, by: text))
            try db.endSession(s.id, at: Int64(i) + 1, reason: text)
            let back = try db.session(id: s.id)
            #expect(back.plan.patientRef == text && back.plan.clinician == text && back.plan.medication == text)
            #expect(back.plan.dose == text && back.plan.route == text && back.endReason == text && back.room == "room \(text)")
            #expect(back.plan.limits == ["spo2_low": 88])
            let notes = try db.events(session: s.id).filter { $0.kind == .note }
            #expect(notes.map(\.text) == [text] && notes.map(\.by) == [text])
            // The JSONL export carries it exactly.
            var lines: [String] = []
            try db.export(session: s.id, format: .jsonl) { lines.append($0) }
            let obj = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
            #expect(obj?["patient_ref"] as? String == text)
        }
        #expect(try db.count("sessions") == nasty.count)
        #expect(try db.integrityCheck() == "ok")
        // The report escapes control characters, so a note cannot forge a line.
        #expect(SessionReport.oneLine("a\nb") == "a\\nb")
    }

    @Test func exportFormats() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("e.sqlite"))
        let clock = TestClock()
        let s = try db.startSession(SessionPlan(room: "r", patientRef: "P,1"), at: clock.now)
        let writer = ReadingWriter(database: db, configuration: WriterConfiguration(room: "r"), now: clock.function, onError: { _ in })
        writer.append(Sample.observation(.spo2, 97, at: clock.now + 12_000, device: "ox, \"a\"", flags: [.lowPerfusion]))
        writer.record(Sample.alert(.raised, at: clock.now + 13_000))
        writer.close()
        var csv: [String] = []
        try db.export(session: s.id, format: .csv) { csv.append($0) }
        #expect(csv == [
            "session_id,at,t,device,metric,value,unit,flags,device_time,device_time_kind",
            "\(s.id),\(Timestamp.iso8601(milliseconds: clock.now + 12_000)),12.000,\"ox, \"\"a\"\"\",spo2,97,%,low-perfusion,,",
        ])
        var jsonl: [String] = []
        try db.export(session: s.id, format: .jsonl) { jsonl.append($0) }
        #expect(jsonl.count == 3)
        #expect(jsonl[1].hasPrefix("{\"type\":\"reading\",\"t\":12.0,"))
        #expect(jsonl[2].hasPrefix("{\"type\":\"alert\",\"t\":13.0,"))
        for line in jsonl { #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil) }
    }
}

/// The REMS windows come from the caller (the session's rule set), and a session keeps the rule
/// set it was started with (migration v7-session-rules).
@Suite struct SessionRulesRecordTests {
    let minute: Int64 = 60_000

    @Test func checkpointsFollowTheWindowsGiven() throws {
        let dir = try TempDirectory()
        // Dose at 10 min; BP at 5 and 68 min (58 after the dose: outside 30-50, inside 50-70).
        let (db, s, t0) = try SessionQueryTests().sessionWithBP(dir, bpMinutes: [5, 68])
        let standard = try db.remsCheckpoints(session: s.id, now: t0 + 200 * minute)
        #expect(standard.postDose == nil && standard.windows == .standard)
        var later = REMSWindows.standard
        later.postDoseCheckMilliseconds = 60 * minute
        later.postDoseWindowMilliseconds = 50 * minute...70 * minute
        let moved = try db.remsCheckpoints(session: s.id, now: t0 + 200 * minute, windows: later)
        #expect(moved.postDose?.at == t0 + 68 * minute)
        let report = try db.report(session: s.id, now: t0 + 200 * minute, windows: later)
        #expect(report.checkpoints.windows == later && report.checkpoints.postDose?.at == t0 + 68 * minute)
        // The pre-dose window: a BP more than `predoseWindowMilliseconds` before the dose does not count.
        var tight = REMSWindows.standard
        tight.predoseWindowMilliseconds = 2 * minute
        #expect(try db.remsCheckpoints(session: s.id, now: t0 + 200 * minute, windows: tight).baseline == nil)
        #expect(try db.remsCheckpoints(session: s.id, now: t0 + 200 * minute).baseline?.at == t0 + 5 * minute)
    }

    @Test func theRuleSetIsRecordedWithTheSession() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("r.sqlite"))
        let hash = String(repeating: "ab", count: 32)
        let s = try db.startSession(SessionPlan(room: "r", patientRef: "P", rulesPath: "Rules/ketamine.yaml", rulesSHA256: hash), at: 1000)
        let again = try VitalsDatabase(path: dir.file("r.sqlite")).session(id: s.id)
        #expect(again.plan.rulesPath == "Rules/ketamine.yaml" && again.plan.rulesSHA256 == hash)
        let auto = try db.startSession(SessionPlan(room: "r2"), at: 1000)
        #expect(try db.session(id: auto.id).plan.rulesPath == nil)
    }
}
