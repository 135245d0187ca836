import DeviceIO
import DeviceProtocols
import Foundation
import Glibc
import Testing
import VitalsCore
import VitalsTestSupport

/// Replay is the room: one recording through `vitals run` on a pty at real time and through
/// `vitals replay` gives the same alert events (rule, event, priority, within 1 s) and the same
/// connection changes, because both drive the same room core.
@Suite(.serialized) struct RunReplayParityTests {
    /// 6 s of SpO2 97, 14 s of 80 (a severe desaturation), then 10 s of silence (quiet).
    static func recording() -> UmockdevScript {
        var script = UmockdevScript(comments: ["parity: 6 s at 97 %, 14 s at 80 %, 10 s silent"])
        var encoder = NoninDF7.makeEncoder()
        var ms: Int64 = 0
        var last: Int64 = 0
        while ms < 20_000 {
            var snapshot = VitalSnapshot(deviceTime: DeviceTime(milliseconds: ms, kind: .counter))
            snapshot.spo2 = ms < 6_000 ? 97 : 80
            snapshot.pulse = 72
            script.appendRead(encoder.encodeBytes(snapshot), after: .milliseconds(ms - last))
            last = ms
            ms += encoder.period.milliseconds
        }
        script.appendRead([], after: .milliseconds(30_000 - last))
        return script
    }

    struct Event: Hashable, CustomStringConvertible {
        var name: String
        var t: Double
        var description: String { "\(name)@\(t)" }
    }

    /// Alert events and connection changes from JSON lines, with times relative to the first reading.
    static func events(_ lines: [String]) -> [Event] {
        var first: Double?
        var out: [Event] = []
        for line in lines {
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let type = o["type"] as? String, let t = o["t"] as? Double else { continue }
            if type == "reading", first == nil { first = t }
            guard let base = first else { continue }
            switch type {
            case "alert":
                out.append(Event(name: "\(o["rule"] ?? "?") \(o["event"] ?? "?") \(o["priority"] ?? "?")", t: t - base))
            case "device":
                if let state = o["event"] as? String ?? o["state"] as? String { out.append(Event(name: "device \(state)", t: t - base)) }
            default:
                break
            }
        }
        return out
    }

    @Test func aRecordingGivesTheSameAlertsLiveAndReplayed() throws {
        let dir = try TemporaryDirectory()
        let script = Self.recording()
        let fixture = dir.file("parity.script")
        try Data(script.serialized()).write(to: URL(fileURLWithPath: fixture))

        let replayed = try VitalsChild.run([
            "replay", "--device", "nonin-df7=" + fixture, "--rules", RepositoryPaths.rules, "--format", "jsonl",
            "--readings", "--device-events",
        ])
        #expect(replayed.status == 0, "\(replayed.stderr)")
        let expected = Self.events(replayed.stdout.split(separator: "\n").map(String.init))

        let pty = try PseudoTerminal(linkPath: dir.file("oximeter"))
        defer { pty.close() }
        try "devices:\n  - port: \(dir.file("oximeter"))\n    profile: nonin-df7\n    label: nonin-df7\n"
            .write(toFile: dir.file("devices.yaml"), atomically: true, encoding: .utf8)
        let run = try VitalsChild([
            "run", "--db", dir.file("room.sqlite"), "--rules", RepositoryPaths.rules, "--devices", dir.file("devices.yaml"),
            "--no-udev", "--format", "jsonl", "--readings",
        ])
        #expect(run.waitForLine(onStderr: true) { $0.contains("ready:") } != nil, "\(run.stderrLines)")
        let start = ContinuousClock.now
        var at = Duration.zero
        for step in script.steps {
            guard case .read(let delay, let bytes) = step.operation else { continue }
            at += delay
            let wait = start + at - ContinuousClock.now
            if wait > .zero { Thread.sleep(forTimeInterval: Double(wait.milliseconds) / 1000) }
            if !bytes.isEmpty { _ = bytes.withUnsafeBytes { write(pty.masterFileDescriptor, $0.baseAddress, $0.count) } }
        }
        run.send(SIGTERM)
        #expect(run.wait() == 0)
        let live = Self.events(run.stdoutLines)

        // What happened before the recording's last second, in both.
        let cut = 29.0
        let want = expected.filter { $0.t < cut }
        let got = live.filter { $0.t < cut }
        #expect(want.contains { $0.name == "spo2-severe raised high" }, "\(want)")
        #expect(want.map(\.name) == got.map(\.name), "replay \(want) live \(got)")
        for (w, g) in zip(want, got) { #expect(abs(w.t - g.t) <= 1.0, "\(w) vs \(g)") }
    }
}
