import DeviceIO
import Foundation
import Glibc
import Store
import Testing
import VitalsTestSupport

/// Issue 19: a room whose `vitals run` is gone never looks calm. The real daemon writes its
/// heartbeat; after a SIGKILL (no clean stop) `vitals status` shows NOT MONITORING once the beat
/// is older than 5 s, and a running `vitals tail` prints a line when monitoring stops and when it
/// resumes; a clean stop (SIGTERM) shows at once.
@Suite(.serialized) struct MonitoringStateTests {
    @Test func statusAndTailSeeTheDaemonDieAndComeBack() throws {
        let dir = try TemporaryDirectory()
        let pty = try PseudoTerminal(linkPath: dir.file("oximeter"))
        defer { pty.close() }
        try "devices:\n  - port: \(dir.file("oximeter"))\n    profile: nonin-df7\n    label: oximeter\n"
            .write(toFile: dir.file("devices.yaml"), atomically: true, encoding: .utf8)
        let path = dir.file("room.sqlite")
        let run = ["run", "--db", path, "--no-rules", "--devices", dir.file("devices.yaml"), "--no-udev", "--room", "bay-1"]

        let first = try VitalsChild(run)
        defer { first.stop() }
        #expect(first.waitForLine(onStderr: true) { $0.contains("ready:") } != nil, "\(first.stderrLines.suffix(5))")
        #expect(waitForStatus(path, monitoring: true), "the daemon's heartbeat reaches status")
        // Monitored, no alert: the check passes.
        #expect(try VitalsChild.run(["status", "--db", path, "--fail-on-active"]).status == 0)

        let tail = try VitalsChild(["tail", "--db", path])
        defer { tail.stop() }
        let following = tail.waitForLine { $0.hasPrefix("Following") }
        #expect(following?.contains("room bay-1, monitoring since") == true, "\(tail.stdoutLines)")

        // Killed: no clean stop; the beat ages.
        first.send(SIGKILL)
        _ = first.wait()
        let stopped = tail.waitForLine { $0.contains("room bay-1: NOT MONITORING since") }
        #expect(stopped?.contains("no heartbeat from `vitals run`") == true, "\(tail.stdoutLines)")
        let status = try VitalsChild.run(["status", "--db", path])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("NOT MONITORING since"), "\(status.stdout)")
        let json = try VitalsChild.run(["status", "--db", path, "--format", "jsonl"])
        let room = try #require(json.stdout.components(separatedBy: "\n").compactMap(TailFixture.json).first)
        #expect(room["type"] as? String == "room" && room["room"] as? String == "bay-1")
        #expect(room["monitoring"] as? Bool == false && room["heartbeat_at"] is String, "\(room)")
        // Not monitored: a check fails.
        #expect(try VitalsChild.run(["status", "--db", path, "--fail-on-active"]).status == 1)

        // Started again: tail says so.
        let second = try VitalsChild(run)
        defer { second.stop() }
        #expect(second.waitForLine(onStderr: true) { $0.contains("ready:") } != nil, "\(second.stderrLines.suffix(5))")
        let resumed = tail.waitForLine { $0.contains("room bay-1: monitoring since") }
        #expect(resumed != nil, "\(tail.stdoutLines)")
        #expect(waitForStatus(path, monitoring: true))

        // A clean stop marks the room stopped at once: no 5 s of a calm-looking room.
        second.send(SIGTERM)
        #expect(second.wait() == 0, "\(second.stderrLines.suffix(5))")
        let after = try VitalsChild.run(["status", "--db", path])
        #expect(after.stdout.contains("NOT MONITORING since"), "\(after.stdout)")
        let db = try VitalsDatabase(path: path)
        #expect(try db.heartbeat(room: "bay-1")?.stoppedAt != nil)
    }

    /// Polls `vitals status --format jsonl` (a real child each time) until the room's
    /// `monitoring` is `monitoring`, for at most 30 s.
    func waitForStatus(_ path: String, monitoring: Bool, timeout: Duration = .seconds(30)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let r = try? VitalsChild.run(["status", "--db", path, "--format", "jsonl"]),
               r.stdout.components(separatedBy: "\n").compactMap(TailFixture.json)
                .contains(where: { $0["room"] as? String == "bay-1" && $0["monitoring"] as? Bool == monitoring }) {
                return true
            }
            usleep(200_000)
        }
        return false
    }
}
