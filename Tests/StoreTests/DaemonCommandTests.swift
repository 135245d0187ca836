import Foundation
import Testing
@testable import Store
import VitalsCore

@Suite struct DaemonCommandTests {
    /// A database with an open session in room "r" and one raised alert (occurrence 4).
    func withAlert(_ dir: TempDirectory) throws -> (VitalsDatabase, SessionRecord, StoredAlert, TestClock) {
        let db = try VitalsDatabase(path: dir.file("c.sqlite"))
        let clock = TestClock()
        let s = try db.startSession(SessionPlan(room: "r", patientRef: "P"), at: clock.now)
        let writer = ReadingWriter(database: db, configuration: WriterConfiguration(room: "r"), now: clock.function, onError: { _ in })
        writer.record(Sample.alert(.raised, at: clock.now + 1000, occurrence: 4))
        writer.close()
        let alert = try #require(try db.activeAlerts(session: s.id).first)
        return (db, s, alert, clock)
    }

    @Test func ackCommandRoundTrip() throws {
        let dir = try TempDirectory()
        let (db, s, alert, clock) = try withAlert(dir)
        #expect(alert.occurrence == 4)
        let id = try db.enqueueCommand(.acknowledge(alert, room: "r", by: "Dr Ames", note: "checked probe", at: clock.now))
        #expect(id > 0)

        let pending = try db.pendingCommands(room: "r")
        #expect(pending.count == 1)
        let c = try #require(pending.first)
        #expect(c.id == id && c.kind == .ack && c.room == "r")
        #expect(c.sessionID == s.id && c.alertID == alert.id && c.rule == "spo2-low" && c.occurrence == 4)
        #expect(c.by == "Dr Ames" && c.note == "checked probe")
        #expect(!c.isCompleted && c.result == nil)
        #expect(try db.pendingCommands(room: "other").isEmpty)

        let done = DaemonCommandResult(outcome: .applied, message: "acknowledged")
        #expect(try db.completeCommand(id: id, at: clock.now + 5, result: done))
        // A second completion keeps the first answer.
        #expect(try !db.completeCommand(id: id, at: clock.now + 9, result: DaemonCommandResult(outcome: .failed, message: "x")))
        #expect(try db.pendingCommands(room: "r").isEmpty)
        let stored = try #require(try db.command(id: id))
        #expect(stored.completedAt == clock.now + 5)
        #expect(stored.result == done)
        #expect(try db.acknowledgements(alert: alert.id).map(\.id) == [id])
        #expect(try db.command(id: id + 100) == nil)
    }

    @Test func nibpStartAndOrder() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("n.sqlite"))
        let a = try db.enqueueCommand(.startBloodPressure(room: "r", at: 10))
        let b = try db.enqueueCommand(.startBloodPressure(room: "r", at: 20))
        #expect(try db.pendingCommands(room: "r").map(\.id) == [a, b])
        #expect(try db.pendingCommands(room: "r").allSatisfy { $0.kind == .nibpStart })
        #expect(throws: StoreError.self) { try db.enqueueCommand(.startBloodPressure(room: "", at: 0)) }
    }

    @Test func commandsSurviveReopening() throws {
        let dir = try TempDirectory()
        let path = dir.file("re.sqlite")
        let id = try VitalsDatabase(path: path).enqueueCommand(.startBloodPressure(room: "r", at: 10))
        let again = try VitalsDatabase(path: path)
        #expect(try again.pendingCommands(room: "r").map(\.id) == [id])
        #expect(try again.schemaVersion() == VitalsDatabase.latestSchemaVersion)
    }

    @Test func maxOccurrence() throws {
        let dir = try TempDirectory()
        let (db, s, _, clock) = try withAlert(dir)
        #expect(try db.maxOccurrence(session: s.id) == 4)
        let writer = ReadingWriter(database: db, configuration: WriterConfiguration(room: "r"), now: clock.function, onError: { _ in })
        writer.record(Sample.alert(.raised, rule: "bp-high", at: clock.now + 2000, occurrence: 7))
        writer.close()
        #expect(try db.maxOccurrence(session: s.id) == 7)
        #expect(try db.maxOccurrence(session: s.id, rule: "spo2-low") == 4)
        #expect(try db.maxOccurrence(session: s.id, rule: "none") == 0)
    }

    @Test func aVersionOneFileIsUpgraded() throws {
        let dir = try TempDirectory()
        let path = dir.file("v1.sqlite")
        // A file as version 1 left it: only the first migration applied.
        do {
            let old = try VitalsDatabase(path: path)
            try old.pool.write { db in
                try db.execute(sql: "DROP TABLE commands")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v2-commands'")
            }
        }
        let db = try VitalsDatabase(path: path)
        #expect(try db.schemaVersion() == VitalsDatabase.latestSchemaVersion)
        #expect(try db.enqueueCommand(.startBloodPressure(room: "r", at: 1)) > 0)
    }
}
