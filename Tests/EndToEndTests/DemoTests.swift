import Foundation
import Testing
import VitalsTestSupport

/// `vitals demo` completes on its own and its summary matches the ketamine scenario: the
/// desaturation alarmed, no other physiological alarm, the REMS BP checkpoints all found.
@Suite(.serialized) struct DemoTests {
    @Test func theDemoCompletesAndItsSummaryMatchesTheScenario() throws {
        let dir = try TemporaryDirectory()
        let demo = try VitalsChild(["demo", "--speed", "300", "--directory", dir.path, "--rules", RepositoryPaths.rules])
        let status = demo.waitForExit(timeout: 180)
        #expect(status == 0, "\(demo.stderrLines.suffix(10))")
        let out = demo.stdout.text
        #expect(out.contains("Session summary"))
        #expect(out.contains("Patient     DEMO-0001"))
        #expect(out.contains("spo2-severe") && out.contains("spo2-low"), "\(out)")
        for rule in ["bp-crisis", "bp-low", "pulse-low", "pulse-high", "bp-rise"] {
            #expect(!out.contains(rule), "\(rule) in \(out)")
        }
        let checkpoints = out.components(separatedBy: "REMS blood pressure checkpoints")[1]
            .components(separatedBy: "Alerts")[0]
        #expect(!checkpoints.contains("missing"), "\(checkpoints)")
        #expect(out.contains("The database is kept at \(dir.path)/demo.sqlite"))
        #expect(FileManager.default.fileExists(atPath: dir.file("demo.sqlite")))
        // Not a terminal: no escape codes.
        #expect(!out.contains("\u{1B}["))
    }
}
