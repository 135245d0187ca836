import Foundation
import Synchronization
import Testing
@testable import Store
import VitalsCore

/// The inter-process locks of a room database's writer (issue 12): another real process holds
/// the lock file, and this process must be refused, or wait its bounded time, never write beside it.
@Suite(.serialized) struct WriterLockTests {
    /// Starts a process that takes `flock(FILE, LOCK_EX)` (Python's fcntl.flock, the same system
    /// call) and sleeps; returns once it holds the lock. One process, so terminating it releases
    /// the lock at once.
    func holder(_ file: String, seconds: Int) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = [
            "-c",
            "import fcntl, sys, time\nf = open(sys.argv[1], 'a')\nfcntl.flock(f, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(float(sys.argv[2]))",
            file, "\(seconds)",
        ]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        // "held" is printed only once flock(1) has the lock.
        let line = out.fileHandleForReading.availableData
        #expect(String(decoding: line, as: UTF8.self).hasPrefix("held"))
        return p
    }

    @Test func aSecondWriterIsRefusedWithTheHoldersPidAndGetsTheLockOnceItIsGone() throws {
        let dir = try TempDirectory()
        let db = dir.file("room.sqlite")
        let first = try DatabaseWriterLock.acquire(databasePath: db, fallbackDirectory: dir.file("fallback"))
        #expect(first.path == db + ".writer-lock")
        #expect(fileMode(first.path) == 0o600)
        // Another writer of this process is refused too (flock is per open file).
        #expect(throws: DatabaseWriterLockError.self) { try DatabaseWriterLock.acquire(databasePath: db, fallbackDirectory: dir.file("fallback")) }
        do throws(DatabaseWriterLockError) {
            _ = try DatabaseWriterLock.acquire(databasePath: db, fallbackDirectory: dir.file("fallback"))
            Issue.record("a second lock was granted")
        } catch {
            #expect(error == .held(database: db, lockFile: db + ".writer-lock", holderPID: getpid()))
            #expect(error.description.contains("pid \(getpid())") && error.description.contains("already recording into \(db)"))
        }
        withExtendedLifetime(first) {}
    }

    @Test func anotherProcessHoldingTheLockRefusesThisOne() throws {
        let dir = try TempDirectory()
        let db = dir.file("room.sqlite")
        let other = try holder(db + ".writer-lock", seconds: 30)
        defer { kill(other.processIdentifier, SIGKILL); other.waitUntilExit() }
        #expect(throws: DatabaseWriterLockError.self) { try DatabaseWriterLock.acquire(databasePath: db, fallbackDirectory: dir.file("fallback")) }
        kill(other.processIdentifier, SIGKILL)
        other.waitUntilExit()
        // The kernel released it with the process: no stale lock.
        let mine = try DatabaseWriterLock.acquire(databasePath: db, fallbackDirectory: dir.file("fallback"))
        #expect(mine.path == db + ".writer-lock")
    }

    @Test func aMissingDirectoryTakesTheLockInTheFallbackDirectory() throws {
        let dir = try TempDirectory()
        let db = dir.file("gone/room.sqlite")
        let lock = try DatabaseWriterLock.acquire(databasePath: db, fallbackDirectory: dir.file("fallback"))
        #expect(lock.path.hasPrefix(dir.file("fallback") + "/") && lock.path.hasSuffix("room.sqlite.writer-lock"))
        #expect(throws: DatabaseWriterLockError.self) { try DatabaseWriterLock.acquire(databasePath: db, fallbackDirectory: dir.file("fallback")) }
    }

    @Test func theJournalWaitsForAnotherProcessAndNeverWritesBesideIt() throws {
        let dir = try TempDirectory()
        let journal = WriterJournal(databasePath: dir.file("room.sqlite"), fallbackDirectory: dir.file("fallback"))
        let reading = Sample.observation(.spo2, 97, at: 1000)
        let other = try holder(journal.primary + ".lock", seconds: 30)
        defer { kill(other.processIdentifier, SIGKILL); other.waitUntilExit() }
        // Held elsewhere: the append gives up after its bounded wait and writes nothing.
        let refused = journal.append(readings: [reading], items: [])
        #expect(throws: JournalError.self) { try refused.get() }
        #expect(!FileManager.default.fileExists(atPath: journal.primary))
        #expect(!FileManager.default.fileExists(atPath: journal.fallback))
        kill(other.processIdentifier, SIGKILL)
        other.waitUntilExit()
        #expect((try? journal.append(readings: [reading], items: []).get()) == journal.primary)
        #expect(journal.load().readings.count == 1)
    }

    @Test func aWriterDoesNotMergeAJournalAnotherProcessHoldsThenMergesItOnce() throws {
        let dir = try TempDirectory()
        let path = dir.file("room.sqlite")
        let journal = WriterJournal(databasePath: path, fallbackDirectory: dir.file("fallback"))
        _ = try VitalsDatabase(path: path).startSession(SessionPlan(room: "r"), at: 500)
        #expect((try? journal.append(
            readings: [Sample.observation(.spo2, 91, at: 1000)], items: [.device(DeviceIdentity(profile: "nonin-df7", name: "oximeter-1"), at: 900)]
        ).get()) != nil)
        let other = try holder(journal.primary + ".lock", seconds: 30)
        let errors = ErrorLog()
        let config = WriterConfiguration(room: "r", fallbackJournalDirectory: dir.file("fallback"))
        let w = ReadingWriter(path: path, configuration: config, onError: { errors.add($0) })
        w.append(Sample.observation(.spo2, 97, at: 2000))
        _ = w.flush()
        // The new reading is stored; the journal is left alone while the other process holds it.
        let db = try VitalsDatabase(path: path)
        let session = try #require(try db.sessions().first)
        #expect(try db.readings(session: session.id).map(\.value) == [97])
        #expect(FileManager.default.fileExists(atPath: journal.primary))
        #expect(errors.lines.contains { $0.contains("locked by another process") })
        kill(other.processIdentifier, SIGKILL)
        other.waitUntilExit()
        w.append(Sample.observation(.spo2, 96, at: 3000))
        _ = w.flush()
        #expect(w.close().isComplete)
        #expect(try db.readings(session: session.id).map(\.value).sorted() == [91, 96, 97])
        #expect(!FileManager.default.fileExists(atPath: journal.primary))
    }
}

/// Messages a writer reported.
final class ErrorLog: Sendable {
    private let store = Mutex<[String]>([])
    func add(_ s: String) { store.withLock { $0.append(s) } }
    var lines: [String] { store.withLock { $0 } }
}
