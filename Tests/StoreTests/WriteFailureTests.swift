import Foundation
import GRDB
import Testing
@testable import Store
import VitalsCore

/// A full disk and a read-only file: nothing crashes or throws, `health` names the cause, the
/// data waits in memory up to its bound and beyond it in the journal, and all of it is written,
/// in order, when the file accepts writes again.
@Suite struct WriteFailureTests {
    func run(block: String, unblock: String, cause: StorageFailureCause, expectInMessage: String) throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("full.sqlite"))
        let clock = TestClock()
        let errors = Collector<String>()
        let healths = Collector<StorageHealth>()
        let writer = ReadingWriter(
            database: db, configuration: WriterConfiguration(room: "r", maxRetainedReadings: 8000), now: clock.function,
            onError: { errors.append($0) }, onHealthChange: { healths.append($0) })
        writer.append(Sample.observation(.spo2, 97, at: clock.now))
        #expect(writer.flush())
        #expect(writer.health == .ok)
        // The writer connection is the pool's only writer: the pragma applies to every write.
        try db.pool.writeWithoutTransaction { c in try c.execute(sql: block) }

        for i in 0..<5000 { writer.append(Sample.observation(.pulse, Double(60 + i % 50), at: clock.now + Int64(i))) }
        writer.record(Sample.alert(.raised, at: clock.now + 10))
        #expect(writer.flush() == false)
        #expect(errors.all.count == 1)
        #expect(errors.all.first?.contains(expectInMessage) == true)
        #expect(errors.all.first?.contains("recording failed: \(cause) (\(db.path))") == true)
        guard case let .failing(failure) = writer.health else {
            Issue.record("health is \(writer.health), not failing")
            return
        }
        #expect(failure.cause == cause && failure.path == db.path)
        #expect(healths.all == [.failing(failure)])
        // An alert while failing is not waited for: shown at once, marked pending.
        #expect(writer.commitAlert(Sample.alert(.cleared, at: clock.now + 20)) == .pending(.failing(failure)))
        var stats = writer.statistics
        #expect(stats.failing)
        #expect(stats.pendingReadings == 5000)
        #expect(stats.pendingEvents == 2)

        // Still failing: retries do not repeat the message; beyond the memory bound the oldest
        // readings go to the journal beside the database, nothing is dropped.
        for i in 0..<5000 { writer.append(Sample.observation(.pi, 1.5, at: clock.now + 6000 + Int64(i))) }
        clock.advance(2000)
        writer.flushIfDue()
        writer.drain()
        #expect(errors.all.count == 1)
        stats = writer.statistics
        #expect(stats.pendingReadings == 8000)
        #expect(stats.journaledReadings == 2000)
        #expect(stats.droppedReadings == 0)
        #expect(FileManager.default.fileExists(atPath: db.path + ".unstored.jsonl"))
        #expect(fileMode(db.path + ".unstored.jsonl") == 0o600)

        // Space returns: the journal is merged first, then memory, in one commit.
        try db.pool.writeWithoutTransaction { c in try c.execute(sql: unblock) }
        clock.advance(2000)
        writer.flushIfDue()
        writer.drain()
        stats = writer.statistics
        #expect(!stats.failing)
        #expect(writer.health == .ok)
        #expect(healths.all.last == .ok)
        #expect(stats.pendingReadings == 0 && stats.pendingEvents == 0 && stats.journaledReadings == 0)
        #expect(stats.mergedReadings == 2000)
        #expect(try db.count("readings") == 10_001)
        #expect(try db.count("alert_events") == 2)
        #expect(!FileManager.default.fileExists(atPath: db.path + ".unstored.jsonl"))
        // Order kept: the readings' ids follow their times.
        let outOfOrder = try db.pool.read { c in
            try Int.fetchOne(c, sql: "SELECT count(*) FROM readings a JOIN readings b ON b.id = a.id + 1 WHERE b.t < a.t") ?? -1
        }
        #expect(outOfOrder == 0)
        #expect(errors.all.last?.contains("recording works again") == true)
        #expect(try db.integrityCheck() == "ok")
        #expect(writer.close().isComplete)
    }

    @Test func diskFull() throws {
        // max_page_count at the current size: the next page SQLite needs fails with SQLITE_FULL.
        try run(
            block: "PRAGMA max_page_count = 1; PRAGMA max_page_count",  // clamps to the current page count
            unblock: "PRAGMA max_page_count = 1073741823", cause: .diskFull, expectInMessage: "SQLite code 13")
    }

    @Test func readOnlyFile() throws {
        // The tests run as root, for whom chmod cannot make a file read-only; `query_only` makes
        // SQLite refuse writes with the same SQLITE_READONLY code a read-only file gives.
        try run(block: "PRAGMA query_only = 1", unblock: "PRAGMA query_only = 0", cause: .readOnly, expectInMessage: "SQLite code 8")
    }

    @Test func closeWhileFailingJournalsEverythingAndTheNextWriterMergesIt() throws {
        let dir = try TempDirectory()
        let path = dir.file("close.sqlite")
        let db = try VitalsDatabase(path: path)
        let writer = ReadingWriter(database: db, configuration: WriterConfiguration(room: "r"), onError: { _ in })
        try db.pool.writeWithoutTransaction { c in try c.execute(sql: "PRAGMA query_only = 1") }
        let t = ReadingWriter.wallClock()
        for i in 0..<1816 { writer.append(Sample.observation(.spo2, 95, at: t + Int64(i))) }
        for i in 0..<22 { writer.record(Sample.alert(i % 2 == 0 ? .raised : .cleared, at: t + 100 + Int64(i), occurrence: i / 2 + 1)) }
        writer.record(DeviceEvent(device: "oximeter-1", at: t + 5, kind: .connected))
        writer.append(Waveform(sampleRate: 75, samples: [1, 2, 3]), device: "oximeter-1", at: t + 6)
        let summary = writer.close()
        #expect(!summary.isComplete && !summary.lostData)
        #expect(summary.journaledReadings == 1816)
        #expect(summary.journaledEvents == 24)
        #expect(summary.journalPaths == [path + ".unstored.jsonl"])
        #expect(summary.description.contains("1816 readings and 24 events NOT in the database but in the journal \(path).unstored.jsonl"))

        let merged = ReadingWriter(path: path, configuration: WriterConfiguration(room: "r"), onError: { _ in })
        #expect(merged.statistics.journaledReadings == 1816)
        #expect(merged.flush())
        #expect(try db.count("readings") == 1816)
        #expect(try db.count("alert_events") == 22)
        #expect(try db.count("alerts") == 11)
        #expect(try db.count("device_events") == 1)
        #expect(try db.count("waveform_chunks") == 1)
        #expect(merged.statistics.mergedReadings == 1816 && merged.statistics.mergedEvents == 24)
        #expect(!FileManager.default.fileExists(atPath: path + ".unstored.jsonl"))
        #expect(merged.close().isComplete)
    }

    @Test func aMissingDirectoryIsNamedAndTheWriterStillAcceptsData() throws {
        let dir = try TempDirectory()
        // A regular file where the directory should be: it cannot be created.
        #expect(FileManager.default.createFile(atPath: dir.file("notadir"), contents: Data()))
        let path = dir.file("notadir/room.sqlite")
        let fallback = dir.file("fallback")
        let errors = Collector<String>()
        let writer = ReadingWriter(
            path: path, configuration: WriterConfiguration(room: "r", fallbackJournalDirectory: fallback),
            onError: { errors.append($0) })
        guard case let .failing(f) = writer.health else {
            Issue.record("a writer on \(path) is healthy")
            return
        }
        #expect(f.cause == .missingDirectory && f.path == path)
        #expect(f.description == "recording failed: missing directory (\(path))")
        #expect(errors.all.first?.contains("recording failed: missing directory") == true)
        #expect(writer.database == nil)
        let t = ReadingWriter.wallClock()
        writer.append(Sample.observation(.spo2, 91, at: t))
        #expect(writer.commitAlert(Sample.alert(.raised, at: t)) == .pending(.failing(f)))
        let summary = writer.close()
        #expect(summary.journaledReadings == 1 && summary.journaledEvents == 1)
        #expect(summary.journalPaths.count == 1 && summary.journalPaths[0].hasPrefix(fallback + "/"))
        #expect(fileMode(summary.journalPaths[0]) == 0o600)

        // The directory appears: the next writer creates the database and merges the fallback journal.
        try FileManager.default.removeItem(atPath: dir.file("notadir"))
        let next = ReadingWriter(
            path: path, configuration: WriterConfiguration(room: "r", fallbackJournalDirectory: fallback), onError: { _ in })
        #expect(next.health == .ok)
        #expect(next.flush())
        let db = try #require(next.database)
        #expect(try db.count("readings") == 1)
        #expect(try db.count("alert_events") == 1)
        #expect(!FileManager.default.fileExists(atPath: summary.journalPaths[0]))
        #expect(next.close().isComplete)
    }

    @Test func aSlowCommitLeavesTheAlertPendingWithinTheBoundAndStoresItLater() throws {
        let dir = try TempDirectory()
        let path = dir.file("slow.sqlite")
        let db = try VitalsDatabase(path: path)
        let writer = ReadingWriter(database: db, configuration: WriterConfiguration(room: "r"), onError: { _ in })
        let t = ReadingWriter.wallClock()
        let first = writer.commitAlert(Sample.alert(.raised, at: t))
        guard case let .stored(id) = first else {
            Issue.record("the first alert was not stored: \(first)")
            return
        }
        #expect(try db.count("alert_events", where: "id = \(id)") == 1)

        // Another process holds the write lock: the writer waits on SQLite's busy timeout.
        var config = Configuration()
        config.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: path, configuration: config)
        try other.writeWithoutTransaction { c in try c.execute(sql: "BEGIN IMMEDIATE") }
        let second = writer.commitAlert(Sample.alert(.cleared, at: t + 1), within: .milliseconds(50))
        #expect(second == .pending(.timedOut(milliseconds: 50)))
        try other.writeWithoutTransaction { c in try c.execute(sql: "COMMIT") }
        #expect(writer.flush())
        #expect(try db.count("alert_events") == 2)
        #expect(writer.close().isComplete)
    }
}
