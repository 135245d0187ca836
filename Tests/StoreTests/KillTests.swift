import Foundation
import GRDB
import Testing
@testable import Store
import VitalsCore

/// Store before show under SIGKILL: a child (`vitals-test-writer --alert-every-ms`) writes
/// readings stamped with the wall clock every millisecond and raises alerts through
/// `commitAlert`; it is killed the moment it reports an alert stored, or at a random moment.
@Suite struct KillTests {
    /// One child run: its stdout as it came, and the wall clock when it was killed.
    struct Run {
        var lines: [String]
        var killedAt: Int64
    }

    /// Starts the child on `path` and kills it once `stop` holds for the complete lines read so
    /// far (checked after every read, so "the moment" is one read(2) away), or after `deadline`.
    func run(path: String, alertEveryMs: Int, deadline: Duration, stop: ([String]) -> Bool) throws -> Run {
        let p = Process()
        p.executableURL = VitalsProcess.testWriter
        p.arguments = ["--db", path, "--alert-every-ms", String(alertEveryMs)]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let fd = out.fileHandleForReading.fileDescriptor
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        let end = ContinuousClock.now + deadline
        var killedAt: Int64 = 0
        while true {
            let n = read(fd, &buf, buf.count)
            if n > 0 {
                bytes.append(contentsOf: buf[0..<n])
            } else {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&pfd, 1, 1)
            }
            if stop(Self.completeLines(bytes)) || ContinuousClock.now >= end {
                killedAt = ReadingWriter.wallClock()
                kill(p.processIdentifier, SIGKILL)
                break
            }
        }
        _ = fcntl(fd, F_SETFL, flags)
        bytes.append(contentsOf: out.fileHandleForReading.readDataToEndOfFile())
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal, "the child exited by itself")
        return Run(lines: Self.completeLines(bytes), killedAt: killedAt)
    }

    /// The lines ended by a newline (a line cut by the kill is not a report).
    static func completeLines(_ bytes: [UInt8]) -> [String] {
        guard let last = bytes.lastIndex(of: UInt8(ascii: "\n")) else { return [] }
        return String(decoding: bytes[...last], as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// `alert N stored ID` lines as (occurrence, id).
    static func storedAlerts(_ lines: [String]) -> [(occurrence: Int, id: Int64)] {
        lines.compactMap { line in
            let f = line.split(separator: " ")
            guard f.count == 4, f[0] == "alert", f[2] == "stored", let n = Int(f[1]), let id = Int64(f[3]) else { return nil }
            return (n, id)
        }
    }

    @Test func everyAlertReportedStoredSurvivesSigkill() throws {
        let dir = try TempDirectory()
        var reported = 0
        var pending = 0
        for round in 0..<12 {
            let path = dir.file("alerts-\(round).sqlite")
            let target = Int.random(in: 1...6)
            let run = try run(path: path, alertEveryMs: 30, deadline: .seconds(30)) { Self.storedAlerts($0).count >= target }
            let stored = Self.storedAlerts(run.lines)
            pending += run.lines.filter { $0.contains(" pending ") }.count
            #expect(stored.count >= target, "round \(round): the child reported \(stored.count) alerts stored")
            let db = try VitalsDatabase(path: path)
            #expect(try db.integrityCheck() == "ok")
            for a in stored {
                let found = try db.pool.read { c in
                    try Int.fetchOne(
                        c,
                        sql: "SELECT count(*) FROM alert_events e JOIN alerts a ON a.id = e.alert_id WHERE e.id = ? AND a.occurrence = ? AND e.rule = 'crash-alert'",
                        arguments: [a.id, a.occurrence]) ?? 0
                }
                #expect(found == 1, "round \(round): alert \(a.occurrence) (event \(a.id)) was reported stored but is not in alert_events")
            }
            reported += stored.count
        }
        #expect(reported >= 12)
        print("KillTests: \(reported) alerts reported stored before SIGKILL, 0 missing; \(pending) reported pending")
    }

    @Test func readingsOlderThanTheFlushIntervalSurviveSigkill() throws {
        let dir = try TempDirectory()
        let interval = WriterConfiguration(room: "r").flushIntervalMilliseconds
        var ages: [Int64] = []
        for round in 0..<16 {
            let path = dir.file("readings-\(round).sqlite")
            // No alert within the run: only the flush timer commits readings.
            let run = try run(
                path: path, alertEveryMs: 3_600_000, deadline: .milliseconds(Int64.random(in: 600...1800)), stop: { _ in false })
            let db = try VitalsDatabase(path: path)
            #expect(try db.integrityCheck() == "ok")
            let newest = try db.pool.read { c in try Int64.fetchOne(c, sql: "SELECT max(t) FROM readings") }
            guard let newest else {
                Issue.record("round \(round): no reading stored in \(run.killedAt) ms")
                continue
            }
            // Readings are appended every millisecond up to the kill: everything appended after
            // `newest` was lost, so the oldest lost reading was at most this old.
            ages.append(run.killedAt - newest)
        }
        let worst = ages.max() ?? 0
        print("KillTests: newest stored reading at SIGKILL was at most \(worst) ms old (flush interval \(interval) ms); ages \(ages.sorted())")
        #expect(worst <= interval, "readings \(worst) ms old were lost; the promise is \(interval) ms")
    }
}
