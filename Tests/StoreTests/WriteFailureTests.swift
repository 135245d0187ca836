import Foundation
import GRDB
import Testing
@testable import Store
import VitalsCore

/// A full disk and a read-only file: the error is reported, nothing crashes or throws, the data
/// waits in memory (bounded) and is written when the file accepts writes again.
@Suite struct WriteFailureTests {
    func run(block: String, unblock: String, expectInMessage: String) throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("full.sqlite"))
        let clock = TestClock()
        let errors = Collector<String>()
        let writer = ReadingWriter(
            database: db, configuration: WriterConfiguration(room: "r", maxRetainedReadings: 8000), now: clock.function,
            onError: { errors.append($0) })
        writer.append(Sample.observation(.spo2, 97, at: clock.now))
        #expect(writer.flush())
        // The writer connection is the pool's only writer: the pragma applies to every write.
        try db.pool.writeWithoutTransaction { c in try c.execute(sql: block) }

        for i in 0..<5000 { writer.append(Sample.observation(.pulse, Double(60 + i % 50), at: clock.now + Int64(i))) }
        writer.record(Sample.alert(.raised, at: clock.now + 10))
        #expect(writer.flush() == false)
        #expect(errors.all.count == 1)
        #expect(errors.all.first?.contains(expectInMessage) == true)
        #expect(errors.all.first?.contains(db.path) == true)
        var stats = writer.statistics
        #expect(stats.failing)
        #expect(stats.pendingReadings == 5000)
        #expect(stats.pendingEvents == 1)

        // Still failing: retries do not repeat the message; more data beyond the bound drops the oldest.
        for i in 0..<5000 { writer.append(Sample.observation(.pi, 1.5, at: clock.now + 6000 + Int64(i))) }
        clock.advance(2000)
        writer.flushIfDue()
        writer.drain()
        #expect(errors.all.count == 1)
        stats = writer.statistics
        #expect(stats.pendingReadings == 8000)
        #expect(stats.droppedReadings == 2000)

        // Space returns.
        try db.pool.writeWithoutTransaction { c in try c.execute(sql: unblock) }
        clock.advance(2000)
        writer.flushIfDue()
        writer.drain()
        stats = writer.statistics
        #expect(!stats.failing)
        #expect(stats.pendingReadings == 0 && stats.pendingEvents == 0)
        #expect(try db.count("readings") == 8001)
        #expect(try db.count("alert_events") == 1)
        #expect(errors.all.count == 2)
        #expect(errors.all.last?.contains("accepts writes again") == true)
        #expect(try db.integrityCheck() == "ok")
    }

    @Test func diskFull() throws {
        // max_page_count at the current size: the next page SQLite needs fails with SQLITE_FULL.
        try run(
            block: "PRAGMA max_page_count = 1; PRAGMA max_page_count",  // clamps to the current page count
            unblock: "PRAGMA max_page_count = 1073741823",
            expectInMessage: "full")
    }

    @Test func readOnlyFile() throws {
        // The tests run as root, for whom chmod cannot make a file read-only; `query_only` makes
        // SQLite refuse writes with the same SQLITE_READONLY code a read-only file gives.
        try run(block: "PRAGMA query_only = 1", unblock: "PRAGMA query_only = 0", expectInMessage: "SQLite code 8")
    }
}
