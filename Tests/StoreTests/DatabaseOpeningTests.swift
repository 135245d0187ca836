import Foundation
import GRDB
import Testing
@testable import Store
import VitalsCore

@Suite struct DatabaseOpeningTests {
    @Test func newFileIsOwnerOnlyInWALWithSynchronousFull() throws {
        let dir = try TempDirectory()
        let path = dir.file("sub/dir/room.sqlite")
        let db = try VitalsDatabase(path: path)
        // Write something so the WAL is in use.
        try db.startSession(SessionPlan(room: "a", patientRef: "P1"), at: 1000)
        #expect(try db.journalMode() == "wal")
        #expect(try db.synchronousMode() == 2)
        #expect(try db.schemaVersion() == VitalsDatabase.latestSchemaVersion)
        for suffix in ["", "-wal", "-shm"] {
            #expect(fileMode(path + suffix) == 0o600, "mode of \(suffix.isEmpty ? "database" : suffix)")
        }
        #expect(fileMode(dir.file("sub/dir")) == 0o700)
    }

    @Test func busyTimeoutIsSetOnEveryConnection() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("b.sqlite"))
        let writer = try db.pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA busy_timeout") }
        let reader = try db.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA busy_timeout") }
        #expect(writer == Int(VitalsDatabase.busyTimeout * 1000))
        #expect(reader == Int(VitalsDatabase.busyTimeout * 1000))
    }

    @Test func widerModeOfAnExistingFileIsNarrowed() throws {
        let dir = try TempDirectory()
        let path = dir.file("old.sqlite")
        _ = try VitalsDatabase(path: path)
        chmod(path, 0o644)
        let db = try VitalsDatabase(path: path)
        try db.startSession(SessionPlan(room: "a"), at: 1)
        #expect(fileMode(path) == 0o600)
        #expect(fileMode(path + "-wal") == 0o600)
    }

    @Test func reopeningKeepsDataAndSchema() throws {
        let dir = try TempDirectory()
        let path = dir.file("r.sqlite")
        let id = try VitalsDatabase(path: path).startSession(SessionPlan(room: "a", patientRef: "P"), at: 5).id
        let db = try VitalsDatabase(path: path)
        #expect(try db.session(id: id).plan.patientRef == "P")
        #expect(try db.synchronousMode() == 2)
    }

    @Test func defaultPathFollowsEnvironment() {
        #expect(VitalsDatabase.defaultPath(environment: ["VITALS_DB": "/x/y.sqlite", "HOME": "/h"]) == "/x/y.sqlite")
        #expect(VitalsDatabase.defaultPath(environment: ["XDG_DATA_HOME": "/data", "HOME": "/h"]) == "/data/vitals/vitals.sqlite")
        #expect(VitalsDatabase.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/share/vitals/vitals.sqlite")
        // A relative XDG_DATA_HOME is invalid per the XDG spec and ignored.
        #expect(VitalsDatabase.defaultPath(environment: ["XDG_DATA_HOME": "rel", "HOME": "/h"]) == "/h/.local/share/vitals/vitals.sqlite")
        #expect(VitalsDatabase.defaultRoom(environment: ["VITALS_ROOM": "room-2"]) == "room-2")
        #expect(VitalsDatabase.defaultRoom(environment: [:]) == "default")
    }

    @Test func unopenablePathIsAClearError() throws {
        let dir = try TempDirectory()
        let blocker = dir.file("file")
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data()))
        #expect(throws: StoreError.self) { try VitalsDatabase(path: blocker + "/inside/db.sqlite") }
    }
}
