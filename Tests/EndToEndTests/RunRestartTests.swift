import DeviceIO
import Foundation
import Glibc
import Store
import Testing
import VitalsTestSupport

/// `vitals run` restarted within a session: alerts the first run left active end with a message
/// that says why, and the second run's alerts get rows of their own (occurrences continue above
/// the stored ones), so tail and status never show a stale alert or a merged one.
@Suite(.serialized) struct RunRestartTests {
    @Test func aRestartRetiresTheOldAlertsAndNumbersNewOnesAboveThem() throws {
        let dir = try TemporaryDirectory()
        let pty = try PseudoTerminal(linkPath: dir.file("oximeter"))
        defer { pty.close() }
        try "devices:\n  - port: \(dir.file("oximeter"))\n    profile: nonin-df7\n    label: oximeter\n"
            .write(toFile: dir.file("devices.yaml"), atomically: true, encoding: .utf8)
        let args = [
            "run", "--db", dir.file("room.sqlite"), "--rules", RepositoryPaths.rules, "--devices", dir.file("devices.yaml"),
            "--no-udev", "--format", "jsonl", "--speed", "10", "--room", "bay-4",
        ]
        func severe(_ event: String) -> (String) -> Bool {
            { $0.contains("\"rule\":\"spo2-severe\"") && $0.contains("\"event\":\"\(event)\"") }
        }

        let first = try VitalsChild(args)
        #expect(first.waitForLine(onStderr: true) { $0.contains("ready:") } != nil)
        var feed = OximeterFeed(fd: pty.masterFileDescriptor, speed: 10)
        feed.send(spo2: 97, seconds: 10)
        feed.send(spo2: 82, seconds: 15)
        #expect(first.waitForLine(severe("raised")) != nil, "\(first.stderrLines.suffix(5))")
        first.send(SIGTERM)
        #expect(first.wait() == 0)

        let second = try VitalsChild(args)
        let retired = second.waitForLine(severe("cleared"))
        #expect(retired?.contains("vitals run restarted") == true, "\(second.stdoutLines)")
        feed.send(spo2: 82, seconds: 15)
        #expect(second.waitForLine(severe("raised")) != nil, "\(second.stderrLines.suffix(5))")
        second.send(SIGTERM)
        #expect(second.wait() == 0)

        let db = try VitalsDatabase(path: dir.file("room.sqlite"))
        let session = try #require(try db.sessions().first)
        // By occurrence: with --speed, each run's clock labels start at its own real start.
        let rows = try db.alerts(session: session.id).filter { $0.rule == "spo2-severe" }.sorted { $0.occurrence < $1.occurrence }
        #expect(rows.count == 2, "one row per run: \(rows.map { ($0.occurrence, $0.clearedAt as Any) })")
        #expect(Set(rows.map(\.occurrence)).count == 2)
        #expect(rows.first?.clearedAt != nil, "the first run’s alert ended: \(rows.map { ($0.id, $0.occurrence, $0.raisedAt, $0.clearedAt as Any) })")
    }
}
