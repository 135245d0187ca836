import Foundation
import Testing
@testable import Store
import VitalsCore

/// The clinicians' terminal as library code: acknowledgement rules, the follow loop and the room
/// status, tested in-process (issue 10 item 4, issue 19).
@Suite struct TerminalLibraryTests {
    func writer(_ db: VitalsDatabase, _ clock: TestClock, room: String = "r") -> ReadingWriter {
        ReadingWriter(database: db, configuration: WriterConfiguration(room: room), now: clock.function, onError: { _ in })
    }

    @Test func acknowledgementRulesAndTheSentenceSaidOnce() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("a.sqlite"))
        let clock = TestClock()
        let t0 = clock.now
        let s = try db.startSession(SessionPlan(room: "r"), at: t0)
        let w = writer(db, clock)
        w.record(Sample.alert(.raised, at: t0 + 1000, occurrence: 1))
        w.record(Sample.alert(.raised, rule: "pulse-high", at: t0 + 2000, occurrence: 2))
        w.record(Sample.alert(.cleared, rule: "pulse-high", at: t0 + 3000, occurrence: 2))
        w.close()
        let alerts = try db.alerts(session: s.id)
        let spo2 = try #require(alerts.first { $0.rule == "spo2-low" })
        let pulse = try #require(alerts.first { $0.rule == "pulse-high" })

        #expect(throws: AcknowledgementRefusal.missingName) {
            try db.requestAcknowledgement(alertID: spo2.id, by: "  ", note: nil, at: t0)
        }
        #expect(throws: AcknowledgementRefusal.unknownAlert(id: 999)) {
            try db.requestAcknowledgement(alertID: 999, by: "Okafor", note: nil, at: t0)
        }
        #expect(throws: AcknowledgementRefusal.alreadyCleared(id: pulse.id, rule: "pulse-high", at: t0 + 3000)) {
            try db.requestAcknowledgement(alertID: pulse.id, by: "Okafor", note: nil, at: t0)
        }

        let request = try db.requestAcknowledgement(alertID: spo2.id, by: " Nurse Okafor ", note: "repositioned", at: t0 + 4000)
        #expect(!request.wasWaiting && request.by == "Nurse Okafor" && request.room == "r")
        // A second request finds the first one waiting instead of queueing another.
        let again = try db.requestAcknowledgement(alertID: spo2.id, by: "Dr Ames", note: nil, at: t0 + 4100)
        #expect(again.wasWaiting && again.commandID == request.commandID && again.by == "Nurse Okafor")

        // The daemon answers "acknowledged by …"; the sentence says who once.
        #expect(try db.completeCommand(id: request.commandID, at: t0 + 4200, result: DaemonCommandResult(outcome: .applied, message: "acknowledged by Nurse Okafor")))
        let result = try #require(try db.awaitResult(ofCommand: request.commandID, timeout: .seconds(1)))
        #expect(result.outcome == .applied)
        #expect(request.appliedText == "Acknowledged alert \(spo2.id) (spo2-low: \(spo2.message)) by Nurse Okafor.")
        #expect(request.appliedText.components(separatedBy: "Okafor").count == 2)

        // Nobody answers: nil once the (monotonic) wait is over.
        let other = try db.enqueueCommand(.startBloodPressure(room: "r", at: t0))
        #expect(try db.awaitResult(ofCommand: other, timeout: .milliseconds(50), interval: .milliseconds(10)) == nil)

        // Ended session.
        try db.endSession(s.id, at: t0 + 5000, reason: nil)
        #expect(throws: AcknowledgementRefusal.sessionEnded(alertID: spo2.id, sessionID: s.id)) {
            try db.requestAcknowledgement(alertID: spo2.id, by: "x", note: nil, at: t0 + 6000)
        }
    }

    @Test func followerReportsEventsOnceAndMonitoringChanges() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("f.sqlite"))
        let clock = TestClock()
        let t0 = clock.now
        try db.startSession(SessionPlan(room: "r"), at: t0)
        try db.writeHeartbeat(room: "r", at: t0)
        let w = writer(db, clock)
        w.record(Sample.alert(.raised, at: t0 + 100, occurrence: 1))
        _ = w.flush()

        let follower = try AlertFollower(database: db, filter: AlertEventFilter(room: "r"))
        follower.heartbeatEvery = 1
        let backlog = try follower.start(since: nil, now: t0 + 200)
        #expect(backlog.map(\.event.event) == [.raised])
        #expect(try follower.rooms(now: t0 + 200).map(\.state) == [.monitoring(since: t0)])
        #expect(follower.poll(now: t0 + 300).isEmpty)

        w.record(Sample.alert(.acknowledged, at: t0 + 400, occurrence: 1, by: "Ana"))
        _ = w.flush()
        let updates = follower.poll(now: t0 + 500)
        guard case let .events(events)? = updates.first else { Issue.record("\(updates)"); return }
        #expect(events.map(\.event.event) == [.acknowledged])
        #expect(follower.poll(now: t0 + 600).isEmpty)

        // No beat for more than 5 s: one "stopped" update, then quiet, then "resumed".
        #expect(follower.poll(now: t0 + 5001) == [.monitoring(room: "r", .stopped(since: t0))])
        #expect(follower.poll(now: t0 + 6000).isEmpty)
        try db.writeHeartbeat(room: "r", at: t0 + 7000)
        #expect(follower.poll(now: t0 + 7000) == [.monitoring(room: "r", .monitoring(since: t0 + 7000))])
        w.close()
    }

    @Test func roomStatusOrdersAlertsMarksRangesAndSpeaksClinically() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("s.sqlite"))
        let clock = TestClock()
        let t0 = clock.now
        let s = try db.startSession(SessionPlan(room: "r", limits: ["spo2_low": 92]), at: t0)
        let w = writer(db, clock)
        w.append(Sample.observation(.spo2, 91, at: t0 + 1000))
        w.append(Sample.observation(.pulse, 72, at: t0 + 1000))
        w.append(Sample.observation(.nibpSystolic, 192, at: t0 + 2000, device: "cuff"))
        w.append(Sample.observation(.nibpDiastolic, 114, at: t0 + 2000, device: "cuff"))
        w.append(Sample.observation(.nibpMean, 140, at: t0 + 2000, device: "cuff"))
        w.record(Sample.alert(.raised, rule: "pi-low", at: t0 + 1000, occurrence: 1, priority: .low))
        w.record(Sample.alert(.raised, rule: "bp-crisis", at: t0 + 3000, occurrence: 2, priority: .high))
        w.record(Sample.alert(.raised, rule: "spo2-low", at: t0 + 2000, occurrence: 3, priority: .medium))
        w.record(Sample.alert(.raised, rule: "bp-extreme", at: t0 + 2500, occurrence: 4, priority: .high))
        w.close()
        try db.writeHeartbeat(room: "r", at: t0 + 3000)

        let defaults = ["spo2_low": 90.0, "pulse_low": 40, "pulse_high": 120, "bp_crisis_sys": 180, "bp_crisis_dia": 110]
        let rooms = try db.roomStatuses(room: nil, now: t0 + 4000, defaultLimits: defaults)
        let room = try #require(rooms.first)
        #expect(rooms.count == 1 && room.session?.id == s.id && room.monitoring == .monitoring(since: t0 + 3000))
        #expect(room.alerts.map(\.rule) == ["bp-extreme", "bp-crisis", "spo2-low", "pi-low"])
        #expect(room.vitals.map(\.label) == ["SpO2", "Pulse", "BP"])
        let bp = try #require(room.vitals.last)
        #expect(bp.value == "192/114 (140)" && bp.unit == "mmHg" && bp.outOfRange)
        // The patient's own limit (92) overrides the rule default (90): 91 is out of range.
        #expect(room.vitals[0].outOfRange && !room.vitals[1].outOfRange)

        let json = try #require(try JSONSerialization.jsonObject(with: Data(room.json.utf8)) as? [String: Any])
        #expect(json["type"] as? String == "room" && json["room"] as? String == "r" && json["monitoring"] as? Bool == true)
        #expect((json["heartbeat_at"] as? String)?.hasSuffix("Z") == true)
        #expect((json["session"] as? [String: Any])?["id"] as? Int == Int(s.id))
        #expect((json["vitals"] as? [[String: Any]])?.count == 5)
        #expect((json["alerts"] as? [[String: Any]])?.first?["rule"] as? String == "bp-extreme")
        // Not monitored: devices unknown, monitoring false.
        let later = try #require(try db.roomStatuses(room: "r", now: t0 + 9001, defaultLimits: defaults).first)
        #expect(later.monitoring == .stopped(since: t0 + 3000))
        #expect(throws: UnknownRoomError.self) { try db.roomStatuses(room: "nowhere", now: t0, defaultLimits: [:]) }
    }
}
