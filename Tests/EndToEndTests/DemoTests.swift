import Foundation
import Testing
import Store
import VitalsTestSupport

/// `vitals demo` completes on its own and its summary matches the ketamine scenario: the
/// desaturation alarmed, no other physiological alarm, the REMS BP checkpoints all found.
@Suite(.serialized) struct DemoTests {
    @Test func theDemoCompletesAndItsSummaryMatchesTheScenario() throws {
        let dir = try TemporaryDirectory()
        // At the fastest speed allowed (issue 19: 1200 raised false stale-data alerts), and 60
        // columns wide (the progress line fits). No "disconnected" at the end (the room stops
        // before its simulated monitors). Stale-data alerts are not checked: whether the
        // simulated bytes keep up at 300x depends on how busy the machine is (a parallel test
        // run makes them fall behind), which is a speed, not a behaviour.
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let demo = try VitalsChild(
            ["demo", "--speed", "300", "--directory", dir.path, "--rules", RepositoryPaths.rules], environment: ["COLUMNS": "60"])
        let status = demo.waitForExit(timeout: 180)
        #expect(try VitalsChild.run(["demo", "--speed", "600"]).status == 64, "--speed is bounded")
        let after = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(status == 0, "\(demo.stderrLines.suffix(10))")
        let out = demo.stdout.text
        #expect(out.contains("Session summary"))
        #expect(out.contains("Patient     DEMO-0001"))
        #expect(out.contains("spo2-severe") && out.contains("spo2-low"), "\(out)")
        for rule in ["bp-crisis", "bp-low", "pulse-low", "pulse-high", "bp-rise", "disconnected"] {
            #expect(!out.contains(rule), "\(rule) in \(out)")
        }
        let checkpoints = out.components(separatedBy: "REMS blood pressure checkpoints")[1]
            .components(separatedBy: "Alerts")[0]
        #expect(!checkpoints.contains("missing"), "\(checkpoints)")
        #expect(out.contains("The database is kept at \(dir.path)/demo.sqlite"))
        #expect(FileManager.default.fileExists(atPath: dir.file("demo.sqlite")))
        // Not a terminal: no escape codes.
        #expect(!out.contains("\u{1B}["))
        // The progress lines ("  0:10 ███░░ pre-dose …") fit 60 columns, one line each.
        let progress = out.components(separatedBy: "\n").filter { $0.range(of: #"^  \d:\d\d .* alerts \d+$"#, options: .regularExpression) != nil }
        #expect(progress.count >= 10, "\(out)")
        for line in progress { #expect(line.count < 60, "\(line)") }
        // The session lies in the past: it ends when the run ends (not two hours later) and
        // started two hours and ten minutes before that.
        let db = try VitalsDatabase(path: dir.file("demo.sqlite"))
        let session = try #require(try db.sessions().first)
        let ended = try #require(session.endedAt)
        #expect(ended <= after + 2000 && ended >= before, "ended \(ended), run \(before)...\(after)")
        #expect(ended - session.startedAt == 7_800_000)
    }
}

/// `vitals demo --monitor PROFILE` (issue 14): one multi-parameter monitor with its host
/// dialogue instead of the oximeter and the cuff; its capnography shows the scenario's
/// respiratory depression before the desaturation.
@Suite(.serialized) struct DemoMonitorTests {
    @Test(arguments: ["philips-intellivue", "ge-s5"])
    func theDemoOnAMonitorAlarmsTheRespiratoryDepression(profile: String) throws {
        let dir = try TemporaryDirectory()
        let demo = try VitalsChild([
            "demo", "--monitor", profile, "--speed", "150", "--directory", dir.path, "--rules", RepositoryPaths.rules,
        ])
        let status = demo.waitForExit(timeout: 240)
        #expect(status == 0, "\(demo.stderrLines.suffix(10))")
        let out = demo.stdout.text
        #expect(out.contains("\(profile) multi-parameter monitor on \(dir.path)/monitor"))
        #expect(out.contains("Session summary"))
        #expect(out.contains("etco2-high") && out.contains("resp-rate-low"), "\(out)")
        // Capnography saw it first: the first respiratory alert precedes the first SpO2 alert.
        let etco2 = try #require(out.range(of: "etco2-high"))
        let spo2 = try #require(out.range(of: "spo2-low"), "\(out)")
        #expect(etco2.lowerBound < spo2.lowerBound)
        // Time compressed 150 times on a shared machine can still make a keep-alive late (a
        // stale or association alert then): not asserted; the respiratory story is.
        let summary = out.components(separatedBy: "Session summary")[1]
        #expect(summary.contains("monitor (\(profile))"), "\(summary)")
        #expect(summary.contains("etco2") && summary.contains("awrr"), "\(summary)")
    }

    @Test func aMonitorThatIsNotOneIsRefused() throws {
        let r = try VitalsChild.run(["demo", "--monitor", "nonin-df7"])
        #expect(r.status != 0 && r.stderr.contains("not a multi-parameter monitor profile"), "\(r.stderr)")
    }
}
