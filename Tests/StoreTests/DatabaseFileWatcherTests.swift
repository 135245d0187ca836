import Foundation
import Store
import Testing
import VitalsCore

/// inotify wakes of `vitals tail`'s follower, in process: a second connection commits, the
/// monitor wakes and `data_version` agrees. No timing is asserted beyond "woke before a timeout
/// far longer than the fallback poll", so a loaded machine cannot make them fail.
@Suite struct DatabaseFileWatcherTests {
    @Test func aCommitThroughAnotherConnectionWakesTheWatcher() throws {
        let dir = try TempDirectory()
        let path = dir.file("w.sqlite")
        let db = try VitalsDatabase(path: path)
        let watcher = DatabaseFileWatcher(databasePath: path)
        #expect(watcher.isAvailable, "inotify on a local folder")
        #expect(!watcher.wait(milliseconds: 0), "nothing written yet")
        try db.startSession(SessionPlan(room: "r"), at: 1)
        #expect(watcher.wait(milliseconds: 10_000), "the commit's WAL write wakes it")
        // Every queued event was consumed by that wake.
        #expect(!watcher.wait(milliseconds: 0))
    }

    @Test func writesToOtherFilesInTheFolderDoNotWakeIt() throws {
        let dir = try TempDirectory()
        let path = dir.file("w.sqlite")
        _ = try VitalsDatabase(path: path)
        let watcher = DatabaseFileWatcher(databasePath: path)
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir.file("w.sqlite.bak")))
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir.file("other")))
        #expect(!watcher.wait(milliseconds: 50))
    }

    /// The follower's whole path: another thread appends a reading through its own connection
    /// (the writer, as `vitals run` does) while the monitor blocks; it returns true, and only
    /// once for that commit.
    @Test(arguments: [true, false]) func waitForCommitReturnsOnAnotherConnectionsCommit(inotify: Bool) throws {
        let dir = try TempDirectory()
        let path = dir.file("f.sqlite")
        let db = try VitalsDatabase(path: path)
        let monitor = try DatabaseChangeMonitor(path: path, useInotify: inotify)
        #expect(monitor.isNotified == inotify)
        #expect(try monitor.waitForCommit(timeoutMilliseconds: 0), "the first look")
        #expect(try !monitor.waitForCommit(timeoutMilliseconds: 20), "no commit yet")

        let writerThread = Thread {
            usleep(100_000)
            let w = ReadingWriter(database: db, configuration: WriterConfiguration(room: "r"), onError: { _ in })
            w.append(Observation(
                reading: Reading(metric: .spo2, value: 97), device: "ox", time: RunTime(milliseconds: 0),
                hostTime: 1_780_000_000_000))
            _ = w.close()
        }
        writerThread.start()
        #expect(try monitor.waitForCommit(timeoutMilliseconds: 30_000), "woke on the commit")
        // Wait until the writer is done, then nothing more is pending.
        while !writerThread.isFinished { usleep(10_000) }
        _ = try monitor.waitForCommit(timeoutMilliseconds: 0)
        #expect(try !monitor.waitForCommit(timeoutMilliseconds: 20))
    }
}

/// `loadReadings(session:into:)`, the backtest's bulk read, gives what `readings(session:)` gives.
@Suite struct SessionReadingsLoadTests {
    @Test func itMatchesReadingsInTimeOrderEvenWhenCommittedOutOfOrder() throws {
        let dir = try TempDirectory()
        let db = try VitalsDatabase(path: dir.file("l.sqlite"))
        let t0: Int64 = 1_780_000_000_000
        let s = try db.startSession(SessionPlan(room: "r"), at: t0)
        let w = ReadingWriter(database: db, configuration: WriterConfiguration(room: "r"), onError: { _ in })
        w.register(DeviceIdentity(profile: "nonin-df7", name: "ox"), at: t0)
        w.register(DeviceIdentity(profile: "suntech-advantage", name: "cuff"), at: t0)
        // Late readings (an earlier time committed after a later one) and equal times.
        let times: [Int64] = [1000, 3000, 2000, 2000, 5000, 4000, 4000, 6000]
        for (k, t) in times.enumerated() {
            w.append(Sample.observation(k % 2 == 0 ? .spo2 : .pulse, Double(90 + k), at: t0 + t, device: "ox"))
            if k == 3 {
                w.append(Sample.observation(.nibpSystolic, 120, at: t0 + 2000, device: "cuff", flags: .artifact))
            }
        }
        w.close()
        var rows: [SessionReadingRow] = []
        try db.loadReadings(session: s.id, into: &rows)
        let expected = try db.readings(session: s.id)
        #expect(rows.count == expected.count && rows.count == times.count + 1)
        #expect(rows.map { "\($0.hostTime) \($0.device) \($0.metric) \($0.value) \($0.flags.rawValue)" }
            == expected.map { "\($0.hostTime) \($0.device) \($0.metric) \($0.value) \($0.flags.rawValue)" })
        // In order already: the same again, through the reused buffer.
        let s2 = try db.startSession(SessionPlan(room: "r2"), at: t0)
        let w2 = ReadingWriter(database: db, configuration: WriterConfiguration(room: "r2"), onError: { _ in })
        for k in 0..<5 { w2.append(Sample.observation(.spo2, Double(95 + k), at: t0 + Int64(k) * 1000, device: "ox")) }
        w2.close()
        try db.loadReadings(session: s2.id, into: &rows)
        #expect(rows.map(\.value) == [95, 96, 97, 98, 99])
        #expect(try db.readings(session: s2.id).map(\.value) == rows.map(\.value))
    }
}
