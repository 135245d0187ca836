import Foundation
import GRDB
import Testing
@testable import Store
import VitalsCore

/// Migrations are frozen: a database made by an older build gains every metric added since.
@Suite struct MigrationTests {
    @Test func everyMetricThisBuildKnowsIsInTheMetricsTable() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("m.sqlite"))
        let rows = try db.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT code, name, unit, mdc FROM metrics ORDER BY code")
        }
        let stored = rows.map { "\($0["code"] as Int) \($0["name"] as String) \($0["unit"] as String) \($0["mdc"] as String)" }
        let known = Metric.allCases.sorted().map { "\($0.storageCode) \($0.name) \($0.displayUnit) \($0.mdcReference)" }
        // A metric added to VitalsCore without a migration fails here.
        #expect(stored == known)
    }

    @Test func aFileOfTheFirstSchemaShowsReadingsOfALaterMetricInTheView() throws {
        let dir = try TempDirectory()
        let path = dir.file("v1.sqlite")
        do {
            // A file exactly as the first release made it: version 1's schema and rows, recorded as
            // applied the way GRDB records migrations, and nothing later.
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in
                try db.execute(sql: VitalsDatabase.schemaV1)
                try db.execute(sql: VitalsDatabase.metricsV1)
                try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v1-sessions-readings-alerts')")
            }
        }
        let db = try VitalsDatabase(path: path)
        #expect(try db.schemaVersion() == VitalsDatabase.latestSchemaVersion)
        let session = try db.startSession(SessionPlan(room: "r"), at: 1_000)
        let writer = ReadingWriter(database: db, configuration: WriterConfiguration(room: "r"), now: { 1_000 }, onError: { _ in })
        writer.register(DeviceIdentity(profile: "philips-intellivue", name: "mp", port: "/dev/ttyUSB0"), at: 1_000)
        writer.append(Observation(reading: Reading(metric: .etco2, value: 38), device: "mp", time: .zero, hostTime: 1_500))
        writer.close()
        let view = try db.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT metric, value, unit FROM readings_view WHERE session_id = ?", arguments: [session.id])
        }
        #expect(view.count == 1)
        #expect(view.first?["metric"] as String? == "etco2")
        #expect(view.first?["value"] as Double? == 38)
        #expect(view.first?["unit"] as String? == "mmHg")
    }
}
