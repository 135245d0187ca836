import Foundation
import Testing
@testable import Store
import VitalsCore

/// A real small filesystem (tmpfs of a few hundred KiB, mounted by the test) filled to the last
/// block or remounted read-only: start while full, the journal (in the fallback directory,
/// since the full disk cannot take it), the merge when space returns, and the WAL cut back.
///
/// Needs `mount -t tmpfs` (root, or CAP_SYS_ADMIN); skipped with that reason otherwise.
@Suite(.serialized, .enabled(if: SmallFilesystem.canMount, "mount -t tmpfs is refused here (needs root or CAP_SYS_ADMIN)"))
struct SmallDiskTests {
    @Test func startWhileFullMonitorsJournalsAndMergesWhenSpaceReturns() throws {
        let fs = try SmallFilesystem(kibibytes: 512)
        let fallback = try TempDirectory()
        let path = fs.path + "/room.sqlite"
        try fs.fill()
        let clock = TestClock()
        let healths = Collector<StorageHealth>()
        let writer = ReadingWriter(
            path: path,
            configuration: WriterConfiguration(room: "r", maxRetainedReadings: 300, fallbackJournalDirectory: fallback.path),
            now: clock.function, onError: { _ in }, onHealthChange: { healths.append($0) })
        guard case let .failing(failure) = writer.health else {
            Issue.record("a writer on a full disk is healthy")
            return
        }
        #expect(failure.cause == .diskFull)
        #expect(failure.description == "recording failed: disk full (\(path))")

        let t = ReadingWriter.wallClock()
        for i in 0..<500 { writer.append(Sample.observation(.spo2, 95, at: t + Int64(i))) }
        #expect(writer.commitAlert(Sample.alert(.raised, at: t + 500)) == .pending(.failing(failure)))
        #expect(writer.flush() == false)
        let stats = writer.statistics
        #expect(stats.journaledReadings == 200 && stats.pendingReadings == 300 && stats.droppedReadings == 0)
        let journal = try #require(FileManager.default.contentsOfDirectory(atPath: fallback.path).first)
        #expect(fileMode(fallback.path + "/" + journal) == 0o600)

        fs.free()
        clock.advance(2000)
        writer.flushIfDue()
        writer.drain()
        #expect(writer.health == .ok)
        #expect(healths.all.last == .ok)
        let db = try #require(writer.database)
        #expect(try db.count("readings") == 500)
        #expect(try db.count("alert_events") == 1)
        #expect(writer.statistics.mergedReadings == 200)
        #expect(try FileManager.default.contentsOfDirectory(atPath: fallback.path).isEmpty, "the merged journal is removed")
        // Recovery checkpoints with TRUNCATE: the WAL gives its space back.
        #expect(fileSize(path + "-wal") == 0)
        print("SmallDiskTests: start while full: \(stats.journaledReadings) readings journaled, \(writer.statistics.mergedReadings) merged, 500 of 500 stored")
        #expect(writer.close().isComplete)
    }

    @Test func stopWhileFullJournalsWhatWasNotStoredAndTheNextRunMergesIt() throws {
        let fs = try SmallFilesystem(kibibytes: 1024)
        let fallback = try TempDirectory()
        let path = fs.path + "/room.sqlite"
        let config = WriterConfiguration(room: "r", fallbackJournalDirectory: fallback.path)
        let t = ReadingWriter.wallClock()
        var journaled = 0
        do {
            let writer = ReadingWriter(path: path, configuration: config, onError: { _ in })
            #expect(writer.health == .ok)
            for i in 0..<100 { writer.append(Sample.observation(.pulse, 70, at: t + Int64(i))) }
            #expect(writer.flush())
            try fs.fill()
            for i in 0..<1816 { writer.append(Sample.observation(.spo2, 94, at: t + 1000 + Int64(i))) }
            for i in 0..<22 {
                _ = writer.commitAlert(Sample.alert(i % 2 == 0 ? .raised : .cleared, at: t + 3000 + Int64(i), occurrence: i / 2 + 1))
            }
            // As at SIGTERM: close, and the summary says how many and where.
            let summary = writer.close()
            #expect(!summary.lostData)
            #expect(summary.journaledReadings + summary.journaledEvents > 0)
            #expect(summary.journaledReadings + Int(summary.storedReadings) == 1916)
            #expect(summary.journaledEvents + Int(summary.storedEvents) == 22)
            #expect(summary.journalPaths.allSatisfy { $0.hasPrefix(fallback.path + "/") })
            #expect(summary.description.contains("in the journal " + summary.journalPaths.joined(separator: ", ")))
            journaled = summary.journaledReadings + summary.journaledEvents
        }
        fs.free()
        let next = ReadingWriter(path: path, configuration: config, onError: { _ in })
        #expect(next.flush())
        let db = try #require(next.database)
        #expect(try db.count("readings") == 1916)
        #expect(try db.count("alert_events") == 22)
        #expect(try db.integrityCheck() == "ok")
        print("SmallDiskTests: stop while full: \(journaled) rows journaled, \(next.statistics.mergedReadings + next.statistics.mergedEvents) merged, 1916 readings and 22 alert events stored")
        #expect(next.close().isComplete)
    }

    @Test func aReadOnlyFilesystemIsNamedAndWritesResumeWhenItIsWritable() throws {
        let fs = try SmallFilesystem(kibibytes: 1024)
        let fallback = try TempDirectory()
        let path = fs.path + "/room.sqlite"
        let config = WriterConfiguration(room: "r", fallbackJournalDirectory: fallback.path)
        let t = ReadingWriter.wallClock()
        do {
            let writer = ReadingWriter(path: path, configuration: config, onError: { _ in })
            writer.append(Sample.observation(.pulse, 70, at: t))
            #expect(writer.close().isComplete)
        }
        // Remounting read-only needs no file open for writing: the writer above is gone.
        try fs.remount(readOnly: true)
        do {
            let writer = ReadingWriter(path: path, configuration: config, onError: { _ in })
            writer.append(Sample.observation(.pulse, 71, at: t + 1))
            #expect(writer.flush() == false)
            guard case let .failing(f) = writer.health else {
                Issue.record("a writer on a read-only filesystem is healthy")
                return
            }
            #expect(f.cause == .readOnly)
            #expect(f.description == "recording failed: read-only (\(path))")
            let summary = writer.close()
            #expect(summary.journaledReadings == 1 && !summary.lostData)
        }
        try fs.remount(readOnly: false)
        let next = ReadingWriter(path: path, configuration: config, onError: { _ in })
        #expect(next.flush())
        #expect(try #require(next.database).count("readings") == 2)
        #expect(next.close().isComplete)
    }
}

/// A tmpfs mounted on a temporary directory for one test, unmounted when dropped.
final class SmallFilesystem {
    let path: String
    private let directory: TempDirectory
    private var filler: String { path + "/filler" }

    /// Whether this process may mount a tmpfs (tried once).
    static let canMount: Bool = {
        guard let fs = try? SmallFilesystem(kibibytes: 64) else { return false }
        _ = fs
        return true
    }()

    init(kibibytes: Int) throws {
        directory = try TempDirectory()
        path = directory.path
        try Self.sh("mount -t tmpfs -o size=\(kibibytes)k,mode=0700 tmpfs '\(path)'")
    }

    /// Writes a file until the filesystem has no free block left.
    func fill() throws {
        let fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(fd) }
        let block = [UInt8](repeating: 0x55, count: 4096)
        while block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        var small = [UInt8](repeating: 0x55, count: 1)
        while write(fd, &small, 1) > 0 {}
        var st = statvfs()
        statvfs(path, &st)
        #expect(st.f_bavail == 0, "the filesystem is full")
    }

    /// Removes the filler.
    func free() { unlink(filler) }

    func remount(readOnly: Bool) throws {
        try Self.sh("mount -o remount,\(readOnly ? "ro" : "rw") '\(path)'")
    }

    static func sh(_ command: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileWriteNoPermission) }
    }

    deinit { try? Self.sh("umount '\(path)'") }
}

/// A file's size in bytes, nil when it does not exist.
func fileSize(_ path: String) -> Int64? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return Int64(st.st_size)
}
