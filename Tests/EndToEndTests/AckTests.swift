import Foundation
import Testing
import VitalsTestSupport
import Store
import VitalsCore

/// `vitals ack` as its own process, with the test standing in for the daemon.
@Suite struct AckTests {
    /// A database with an open session in room-1 and one raised alert; returns its alert.
    func setUp(_ dir: TailTempDirectory) throws -> (String, VitalsDatabase, StoredAlert) {
        let path = dir.file("ack.sqlite")
        let db = try VitalsDatabase(path: path)
        let s = try db.startSession(SessionPlan(room: "room-1"), at: TailFixture.now())
        let w = TailFixture.writer(db)
        w.record(TailFixture.alert(.raised, n: 1, occurrence: 3))
        w.close()
        return (path, db, try #require(try db.activeAlerts(session: s.id).first))
    }

    @Test func validatesTheAlert() throws {
        let dir = try TailTempDirectory()
        let (path, db, alert) = try setUp(dir)
        let unknown = try VitalsChild.run(["ack", "999", "--by", "Ana", "--db", path])
        #expect(unknown.status != 0 && unknown.stderr.contains("no alert has id 999"))
        let noName = try VitalsChild.run(["ack", "\(alert.id)", "--by", " ", "--db", path])
        #expect(noName.status != 0 && noName.stderr.contains("--by"))
        let noDB = try VitalsChild.run(["ack", "1", "--by", "Ana", "--db", dir.file("none.sqlite")])
        #expect(noDB.status != 0 && noDB.stderr.contains("no database"))
        #expect(try db.pendingCommands(room: "room-1").isEmpty, "nothing queued for bad requests")

        // Acknowledged already (the daemon recorded it): says so, queues nothing.
        let w = TailFixture.writer(db)
        w.record(TailFixture.alert(.acknowledged, n: 2, occurrence: 3, by: "Ben"))
        w.close()
        let again = try VitalsChild.run(["ack", "\(alert.id)", "--by", "Ana", "--db", path])
        #expect(again.status != 0 && again.stderr.contains("already acknowledged by Ben"))
        #expect(try db.pendingCommands(room: "room-1").isEmpty)
    }

    @Test func queuesWhenNoDaemonRuns() throws {
        let dir = try TailTempDirectory()
        let (path, db, alert) = try setUp(dir)
        let r = try VitalsChild.run(["ack", "\(alert.id)", "--by", "Dr Ames", "--note", "probe refitted", "--db", path, "--wait", "0.2"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Queued as command") && r.stdout.contains("when `vitals run` runs"))
        let pending = try db.pendingCommands(room: "room-1")
        #expect(pending.count == 1)
        #expect(pending.first?.kind == .ack && pending.first?.alertID == alert.id && pending.first?.occurrence == 3)
        #expect(pending.first?.by == "Dr Ames" && pending.first?.note == "probe refitted")
        // Asking again does not queue a second one.
        let twice = try VitalsChild.run(["ack", "\(alert.id)", "--by", "Dr Ames", "--db", path, "--wait", "0"])
        #expect(twice.status == 0 && twice.stdout.contains("already waiting"))
        #expect(try db.pendingCommands(room: "room-1").count == 1)
    }

    @Test func printsTheDaemonsAnswerAndTailShowsWho() throws {
        let dir = try TailTempDirectory()
        let (path, db, alert) = try setUp(dir)
        let ack = try VitalsChild(["ack", "\(alert.id)", "--by", "Dr Ames", "--note", "seen", "--db", path, "--wait", "60"])
        defer { ack.stop() }
        // The daemon's side: poll, apply (record the acknowledged event with `by`), complete.
        var command: DaemonCommand?
        let deadline = Date().addingTimeInterval(30)
        while command == nil, Date() < deadline {
            command = try db.pendingCommands(room: "room-1").first
            if command == nil { usleep(20_000) }
        }
        let c = try #require(command)
        let w = TailFixture.writer(db)
        w.record(TailFixture.alert(.acknowledged, n: 2, occurrence: c.occurrence ?? 0, by: c.by))
        w.close()
        try db.completeCommand(id: c.id, at: TailFixture.now(), result: DaemonCommandResult(outcome: .applied, message: "Silenced."))
        #expect(ack.waitForExit() == 0)
        #expect(ack.stdout.text.contains("Acknowledged alert \(alert.id)") && ack.stdout.text.contains("by Dr Ames."))
        // Said once (issue 19: "… by Nurse Okafor. acknowledged by Nurse Okafor").
        #expect(ack.stdout.text.components(separatedBy: "Dr Ames").count == 2 && !ack.stdout.text.contains("Silenced."))
        #expect(try db.alert(id: alert.id)?.acknowledgedBy == "Dr Ames")

        let tail = try VitalsChild.run(["tail", "--db", path, "--no-follow", "--since", "10m"])
        let line = tail.stdout.components(separatedBy: "\n").first { $0.contains("acknowledged") }
        #expect(line?.contains("by Dr Ames (seen)") == true)
        let json = try VitalsChild.run(["tail", "--db", path, "--no-follow", "--since", "10m", "--format", "jsonl"])
        let ackObject = json.stdout.components(separatedBy: "\n").compactMap(TailFixture.json).first { $0["event"] as? String == "acknowledged" }
        #expect(ackObject?["by"] as? String == "Dr Ames" && ackObject?["note"] as? String == "seen")
    }

    @Test func reportsARefusal() throws {
        let dir = try TailTempDirectory()
        let (path, db, alert) = try setUp(dir)
        let ack = try VitalsChild(["ack", "\(alert.id)", "--by", "Ana", "--db", path, "--wait", "60"])
        defer { ack.stop() }
        var command: DaemonCommand?
        let deadline = Date().addingTimeInterval(30)
        while command == nil, Date() < deadline {
            command = try db.pendingCommands(room: "room-1").first
            if command == nil { usleep(20_000) }
        }
        let c = try #require(command)
        try db.completeCommand(id: c.id, at: TailFixture.now(), result: DaemonCommandResult(outcome: .ignored, message: "the alert is no longer raised"))
        let status = ack.waitForExit()
        #expect(status != nil && status != 0)
        #expect(ack.stderr.text.contains("the alert is no longer raised"))
    }
}

@Suite struct AckReAlarmTests {
    @Test func aReAlarmedAlertCanBeAcknowledgedAgainOnItsOneRow() throws {
        let dir = try TailTempDirectory()
        let path = dir.file("ra.sqlite")
        let db = try VitalsDatabase(path: path)
        let s = try db.startSession(SessionPlan(room: "room-1"), at: TailFixture.now())
        let w = TailFixture.writer(db)
        w.record(TailFixture.alert(.raised, n: 1, occurrence: 2))
        w.record(TailFixture.alert(.acknowledged, n: 2, occurrence: 2, by: "Ana"))
        w.record(TailFixture.alert(.raised, n: 3, occurrence: 2))
        w.close()
        let rows = try db.alerts(session: s.id)
        try #require(rows.count == 1, "a re-alarm continues its occurrence's row")
        let again = try VitalsChild.run(["ack", "\(rows[0].id)", "--by", "Ben", "--db", path, "--wait", "0"])
        #expect(again.status == 0 && again.stdout.contains("Queued"), "\(again.stderr)")
        #expect(try db.pendingCommands(room: "room-1").map(\.alertID) == [rows[0].id])
    }

    @Test func refusesAClearedAlertAndAnEndedSession() throws {
        let dir = try TailTempDirectory()
        let path = dir.file("cl.sqlite")
        let db = try VitalsDatabase(path: path)
        let s = try db.startSession(SessionPlan(room: "room-1"), at: TailFixture.now())
        let w = TailFixture.writer(db)
        w.record(TailFixture.alert(.raised, n: 1, occurrence: 1))
        w.record(TailFixture.alert(.cleared, n: 2, occurrence: 1))
        w.record(TailFixture.alert(.raised, n: 3, rule: "pulse-high", occurrence: 2))
        w.close()
        let rows = try db.alerts(session: s.id)
        let cleared = try VitalsChild.run(["ack", "\(rows[0].id)", "--by", "Ana", "--db", path])
        #expect(cleared.status != 0 && cleared.stderr.contains("nothing to acknowledge"))
        try db.endSession(s.id, at: TailFixture.now(), reason: "test")
        let ended = try VitalsChild.run(["ack", "\(rows[1].id)", "--by", "Ana", "--db", path])
        #expect(ended.status != 0 && ended.stderr.contains("has ended"))
        #expect(try db.pendingCommands(room: "room-1").isEmpty)
    }
}
