import DeviceIO
import Foundation
import Glibc
import Store
import Testing
import VitalsCore
import VitalsTestSupport

/// `vitals run` as a child process reading a simulated oximeter through a real pseudo-terminal,
/// attached through the same serial path as a real monitor (a devices-file fixed port).
@Suite(.serialized) struct RunOnPseudoTerminalTests {
    @Test func aDesaturationWrittenIntoAPtyIsAlertedStoredAndFlushedOnSigterm() throws {
        let dir = try TemporaryDirectory()
        let pty = try PseudoTerminal(linkPath: dir.file("oximeter"))
        defer { pty.close() }
        try "devices:\n  - port: \(dir.file("oximeter"))\n    profile: nonin-df7\n    label: oximeter\n"
            .write(toFile: dir.file("devices.yaml"), atomically: true, encoding: .utf8)
        let speed = 10.0
        let run = try VitalsChild([
            "run", "--db", dir.file("room.sqlite"), "--rules", RepositoryPaths.rules, "--devices", dir.file("devices.yaml"),
            "--no-udev", "--format", "jsonl", "--speed", "\(speed)", "--room", "bay-1",
        ])
        #expect(run.waitForLine(onStderr: true) { $0.contains("ready:") } != nil, "\(run.stderrLines)")

        var feed = OximeterFeed(fd: pty.masterFileDescriptor, speed: speed)
        feed.send(spo2: 97, seconds: 20)
        feed.send(spo2: 82, seconds: 30)
        let raised = run.waitForLine { $0.contains("\"event\":\"raised\"") && $0.contains("\"rule\":\"spo2-severe\"") }
        let line = try #require(raised, "no alert line; stdout: \(run.stdoutLines) stderr: \(run.stderrLines.suffix(5))")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["type"] as? String == "alert")
        #expect(object["priority"] as? String == "high")
        #expect(object["kind"] as? String == "physiological")
        #expect(object["value"] as? Double == 82)
        #expect(object["metric"] as? String == "spo2")
        #expect(object["t"] is Double && object["at"] is String && object["message"] is String)

        run.send(SIGTERM)
        #expect(run.wait() == 0, "\(run.stderrLines.suffix(5))")
        let db = try VitalsDatabase(path: dir.file("room.sqlite"))
        let session = try #require(try db.sessions().first)
        #expect(session.room == "bay-1")
        let spo2 = try db.readings(session: session.id, metric: .spo2)
        // Every reading written before SIGTERM is in the file: 150 packets, 3 a second.
        #expect(spo2.count >= 140, "\(spo2.count) readings stored")
        #expect(spo2.contains { $0.value == 82 })
        #expect(try db.alerts(session: session.id).contains { $0.rule == "spo2-severe" })
    }

    @Test func aClosedPtyIsADisconnectAndTheDeviceComesBackOnTheSameLink() throws {
        let dir = try TemporaryDirectory()
        let link = dir.file("oximeter")
        var pty: PseudoTerminal? = try PseudoTerminal(linkPath: link)
        try "devices:\n  - port: \(link)\n    profile: nonin-df7\n    label: oximeter\n"
            .write(toFile: dir.file("devices.yaml"), atomically: true, encoding: .utf8)
        let run = try VitalsChild([
            "run", "--db", dir.file("room.sqlite"), "--rules", RepositoryPaths.rules, "--devices", dir.file("devices.yaml"),
            "--no-udev", "--format", "jsonl", "--readings",
        ])
        #expect(run.waitForLine(onStderr: true) { $0.contains("ready:") } != nil)
        var feed = OximeterFeed(fd: pty!.masterFileDescriptor, speed: 4)
        feed.send(spo2: 97, seconds: 4)
        #expect(run.waitForLine { $0.contains("\"type\":\"reading\"") } != nil)

        pty?.close()
        pty = nil
        let alarm = run.waitForLine { $0.contains("\"rule\":\"oximeter-disconnected\"") && $0.contains("\"raised\"") }
        #expect(alarm != nil, "stdout: \(run.stdoutLines.suffix(5)) stderr: \(run.stderrLines.suffix(5))")

        // Plugged back in under the same link: the daemon reopens it on its backoff (up to 5 s).
        pty = try PseudoTerminal(linkPath: link)
        var again = OximeterFeed(fd: pty!.masterFileDescriptor, speed: 4)
        var back: String?
        for _ in 0..<20 where back == nil {
            again.send(spo2: 96, seconds: 4)
            back = run.waitForLine(timeout: .milliseconds(200)) { $0.contains("\"type\":\"reading\"") && $0.contains("\"value\":96") }
        }
        #expect(back != nil, "stderr: \(run.stderrLines.suffix(8))")
        #expect(run.waitForLine { $0.contains("\"rule\":\"oximeter-disconnected\"") && $0.contains("\"cleared\"") } != nil)
        run.send(SIGINT)
        #expect(run.wait() == 0)
        pty?.close()

        let db = try VitalsDatabase(path: dir.file("room.sqlite"))
        let sessions = try db.sessions()
        #expect(sessions.count == 1, "the replugged device continues the same session")
        let events = try db.deviceEvents(session: sessions[0].id).map(\.kind)
        let gone = try #require(events.firstIndex(of: .disconnected), "\(events)")
        #expect(events[gone...].contains { $0 == .connected || $0 == .streaming }, "the return is recorded: \(events)")
    }
}
