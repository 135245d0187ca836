import DeviceProtocols
import Foundation
import Glibc
import Store
import Testing
import VitalsCore
import VitalsTestSupport

/// `vitals simulate` in its own process feeding `vitals run` in another, through a pty: the
/// live-only scenario (an unplug and replug) and the recording it makes.
@Suite(.serialized) struct SimulateThroughRunTests {
    @Test func theDisconnectScenarioAlarmsAndRecoversAndItsRecordingReplays() throws {
        let dir = try TemporaryDirectory()
        let link = dir.file("ox")
        let speed = "30"
        let sim = try VitalsChild([
            "simulate", "nonin-df8", "--scenario", "disconnect", "--speed", speed, "--link", link,
            "--record", dir.file("recorded.script"), "--duration", "6m",
        ])
        #expect(sim.waitForLine { $0.contains("on /dev/pts/") } != nil, "\(sim.stderrLines)")
        try "devices:\n  - port: \(link)\n    profile: nonin-df8\n    label: oximeter\n"
            .write(toFile: dir.file("devices.yaml"), atomically: true, encoding: .utf8)
        let run = try VitalsChild([
            "run", "--db", dir.file("room.sqlite"), "--rules", RepositoryPaths.rules, "--devices", dir.file("devices.yaml"),
            "--no-udev", "--format", "jsonl", "--speed", speed,
        ])
        func disconnected(_ event: String) -> (String) -> Bool {
            { $0.contains("\"rule\":\"oximeter-disconnected\"") && $0.contains("\"event\":\"\(event)\"") }
        }
        #expect(run.waitForLine(disconnected("raised")) != nil, "\(run.stderrLines.suffix(6))")
        #expect(run.waitForLine(disconnected("cleared")) != nil, "\(run.stderrLines.suffix(6))")
        #expect(sim.wait(timeout: .seconds(60)) == 0)
        #expect(sim.stdoutLines.contains { $0.hasPrefix("recorded ") })
        run.send(SIGTERM)
        #expect(run.wait() == 0)
        #expect(run.stdoutLines.allSatisfy { !$0.contains("\"kind\":\"physiological\"") }, "\(run.stdoutLines)")

        // The recording is a valid fixture of what the simulator sent.
        let replay = try VitalsChild.run(["replay", "--device", "nonin-df8=\(dir.file("recorded.script"))", "--format", "jsonl"])
        #expect(replay.status == 0, "\(replay.stderr)")
        let spo2 = replay.stdout.split(separator: "\n").filter { $0.contains("\"metric\":\"spo2\"") }
        #expect(spo2.count > 200, "\(spo2.count) SpO2 readings replayed")
    }
}
