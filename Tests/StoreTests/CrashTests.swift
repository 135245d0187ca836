import Foundation
import Testing
@testable import Store
import VitalsCore

/// A child process (`vitals-test-writer`) writes as fast as it can and is SIGKILLed at
/// random moments; after each kill the file is sound and every reading it reported committed is
/// in it.
@Suite struct CrashTests {
    @Test func sigkillNeverLosesACommittedReadingNorCorruptsTheFile() throws {
        let dir = try TempDirectory()
        let path = dir.file("crash.sqlite")
        var reportedTotal = 0
        var rng = SystemRandomNumberGenerator()
        for round in 0..<24 {
            let p = Process()
            p.executableURL = VitalsProcess.testWriter
            p.arguments = ["--db", path]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            // Early rounds kill during start-up (opening, migrating); later ones mid-stream.
            let delay = round < 4 ? UInt32.random(in: 5_000...60_000, using: &rng) : UInt32.random(in: 60_000...350_000, using: &rng)
            usleep(delay)
            kill(p.processIdentifier, SIGKILL)
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            #expect(p.terminationReason == .uncaughtSignal, "round \(round): the child exited by itself")

            var ranges: [ClosedRange<Int64>] = []
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let f = line.split(separator: " ")
                // A line cut by the kill is not a report.
                guard f.count == 4, f[0] == "committed", let a = Int64(f[1]), let b = Int64(f[2]), Int64(f[3]) != nil else { continue }
                ranges.append(a...b)
            }
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let db = try VitalsDatabase(path: path)
            #expect(try db.integrityCheck() == "ok", "round \(round)")
            for r in ranges {
                let n = try db.count("readings", where: "id BETWEEN \(r.lowerBound) AND \(r.upperBound)")
                #expect(n == r.count, "round \(round): readings \(r) reported committed, \(n) found")
            }
            reportedTotal += ranges.reduce(0) { $0 + $1.count }
            #expect(fileMode(path) == 0o600)
        }
        // The test must have checked something.
        #expect(reportedTotal > 0)
    }

    @Test func aReaderReadsWhileAnotherProcessWrites() throws {
        let dir = try TempDirectory()
        let path = dir.file("shared.sqlite")
        let reader = try VitalsDatabase(path: path)
        let p = Process()
        p.executableURL = VitalsProcess.testWriter
        p.arguments = ["--db", path, "--room", "r", "--count", "200000"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        var last = 0
        var increases = 0
        var reads = 0
        while p.isRunning || reads < 3 {
            let n = try reader.count("readings")
            #expect(n >= last)
            if n > last { increases += 1 }
            last = n
            _ = try reader.alertEvents(after: 0)
            _ = try reader.sessions()
            reads += 1
            usleep(20_000)
        }
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(try reader.count("readings") == 200_000)
        #expect(increases >= 2, "the reader saw the count grow while the writer ran")
    }
}
