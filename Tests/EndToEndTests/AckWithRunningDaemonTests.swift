import DeviceIO
import Foundation
import Glibc
import Store
import Testing
import VitalsCore
import VitalsTestSupport

/// `vitals ack` against a real `vitals run`: the daemon applies the acknowledgement, a
/// condition that persists re-alarms after the rule's interval, and a latched alarm whose
/// condition has cleared ends when acknowledged.
@Suite(.serialized) struct AckWithRunningDaemonTests {
    @Test func latchedSevereDesaturationAckReAlarmAndEnd() throws {
        let dir = try TemporaryDirectory()
        let pty = try PseudoTerminal(linkPath: dir.file("oximeter"))
        defer { pty.close() }
        try "devices:\n  - port: \(dir.file("oximeter"))\n    profile: nonin-df7\n    label: oximeter\n"
            .write(toFile: dir.file("devices.yaml"), atomically: true, encoding: .utf8)
        let db = dir.file("room.sqlite")
        let speed = 20.0
        let run = try VitalsChild([
            "run", "--db", db, "--rules", RepositoryPaths.rules, "--devices", dir.file("devices.yaml"),
            "--no-udev", "--format", "jsonl", "--speed", "\(speed)", "--room", "bay-3",
        ])
        #expect(run.waitForLine(onStderr: true) { $0.contains("ready:") } != nil)
        var feed = OximeterFeed(fd: pty.masterFileDescriptor, speed: speed)
        feed.send(spo2: 97, seconds: 10)
        feed.send(spo2: 82, seconds: 15)
        func severe(_ event: String) -> (String) -> Bool {
            { $0.contains("\"rule\":\"spo2-severe\"") && $0.contains("\"event\":\"\(event)\"") }
        }
        #expect(run.waitForLine(severe("raised")) != nil, "\(run.stderrLines.suffix(5))")

        // Acknowledged while the desaturation persists.
        let database = try VitalsDatabase(path: db)
        let session = try #require(try database.openSessions(room: "bay-3").first)
        let alert = try #require(try database.activeAlerts(session: session.id).first { $0.rule == "spo2-severe" })
        let ack = try VitalsChild.run(["ack", "\(alert.id)", "--by", "Nurse Okafor", "--db", db, "--wait", "10"])
        #expect(ack.status == 0, "\(ack.stdout) \(ack.stderr)")
        #expect(ack.stdout.contains("Acknowledged"), "\(ack.stdout)")
        let acknowledged = try #require(run.waitForLine(severe("acknowledged")))
        #expect(acknowledged.contains("\"by\":\"Nurse Okafor\""))

        // Still below the limit 2 minutes later: it re-alarms.
        feed.send(spo2: 82, seconds: 130)
        #expect(run.waitForLines { $0.filter(severe("raised")).count >= 2 }.filter(severe("raised")).count >= 2,
                "no re-alarm: \(run.stdoutLines.suffix(6))")

        // Recovered: the latched alarm stays until it is acknowledged, then ends.
        feed.send(spo2: 97, seconds: 20)
        #expect(run.waitForLine(timeout: .seconds(2), severe("cleared")) == nil, "a latched alarm must not clear by itself")
        let again = try #require(try database.activeAlerts(session: session.id).first { $0.rule == "spo2-severe" })
        let second = try VitalsChild.run(["ack", "\(again.id)", "--by", "Dr Ames", "--db", db, "--wait", "10"])
        #expect(second.status == 0, "\(second.stdout) \(second.stderr)")
        #expect(run.waitForLine(severe("cleared")) != nil, "\(run.stdoutLines.suffix(6))")
        run.send(SIGTERM)
        #expect(run.wait() == 0)
        #expect(try database.activeAlerts(session: session.id).allSatisfy { $0.rule != "spo2-severe" })
    }
}
