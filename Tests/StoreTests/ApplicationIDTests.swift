import Foundation
import GRDB
import Testing
@testable import Store
import VitalsCore

/// A vitals database carries `PRAGMA application_id` 0x56544C53 ("VTLS"); any other SQLite file
/// is refused, untouched, instead of being migrated into a vitals database.
@Suite struct ApplicationIDTests {
    func applicationID(_ path: String) throws -> Int32 {
        try DatabaseQueue(path: path).read { db in try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0 }
    }

    func tables(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        }
    }

    @Test func aNewDatabaseIsMarked() throws {
        let dir = try TempDirectory()
        let path = dir.file("new.sqlite")
        _ = try VitalsDatabase(path: path)
        #expect(try applicationID(path) == 0x5654_4C53)
        #expect(VitalsDatabase.applicationID == 0x5654_4C53)
    }

    @Test func anotherProgramsDatabaseIsRefusedAndLeftUntouched() throws {
        let dir = try TempDirectory()
        let path = dir.file("crm.sqlite")
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers(name) VALUES ('Ada')")
        }
        #expect(throws: StoreError.notAVitalsDatabase(
            path: path,
            reason: "it has no vitals application_id and its tables (customers) are not a vitals schema")) {
            _ = try VitalsDatabase(path: path)
        }
        #expect(try tables(path) == ["customers"])
        #expect(try applicationID(path) == 0)
    }

    @Test func aDatabaseWithAnotherApplicationIDIsRefused() throws {
        let dir = try TempDirectory()
        let path = dir.file("other.sqlite")
        try DatabaseQueue(path: path).writeWithoutTransaction { db in try db.execute(sql: "PRAGMA application_id = 305419896") }
        #expect(throws: StoreError.self) { _ = try VitalsDatabase(path: path) }
        #expect(try tables(path).isEmpty)
        #expect(try applicationID(path) == 305_419_896)
    }

    @Test func anOlderVitalsDatabaseWithoutTheIDIsRecognisedByItsSchemaAndMarked() throws {
        let dir = try TempDirectory()
        let path = dir.file("old.sqlite")
        let db = try VitalsDatabase(path: path)
        try db.startSession(SessionPlan(room: "a", patientRef: "P1"), at: 1000)
        try db.pool.writeWithoutTransaction { c in try c.execute(sql: "PRAGMA application_id = 0") }
        #expect(try applicationID(path) == 0)
        let reopened = try VitalsDatabase(path: path)
        #expect(try reopened.sessions().count == 1)
        #expect(try applicationID(path) == VitalsDatabase.applicationID)
    }

    @Test func sessionStartOnAForeignFileFailsWithAClearError() throws {
        let dir = try TempDirectory()
        let path = dir.file("notes.sqlite")
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE notes(body TEXT)") }
        let r = try VitalsProcess.run(["session", "start", "--patient", "P1", "--room", "r", "--db", path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("\(path) is not a vitals database"), "stderr: \(r.stderr)")
        #expect(try tables(path) == ["notes"])
    }
}
