import Foundation
import Glibc
import Testing
import VitalsTestSupport

/// SIGHUP reloads the rules; a file with errors keeps the old rules and says why.
@Suite(.serialized) struct RunReloadTests {
    @Test func sighupReloadsGoodRulesAndKeepsTheOldOnesOnErrors() throws {
        let dir = try TemporaryDirectory()
        let rules = dir.file("rules.yaml")
        try FileManager.default.copyItem(atPath: RepositoryPaths.rules, toPath: rules)
        let run = try VitalsChild(["run", "--db", dir.file("room.sqlite"), "--rules", rules, "--no-udev"])
        #expect(run.waitForLine(onStderr: true) { $0.contains("ready:") && $0.contains(" rules") } != nil, "\(run.stderrLines)")

        try "rules:\n  - id: broken\n    when: spo2 <\n".write(toFile: rules, atomically: true, encoding: .utf8)
        run.send(SIGHUP)
        #expect(run.waitForLine(onStderr: true) { $0.contains("rules not reloaded, keeping the old ones") } != nil)
        // The reason names the place: file:line:column.
        #expect(run.waitForLine(onStderr: true) { $0.contains("rules.yaml:3:") } != nil, "\(run.stderrLines.suffix(4))")
        #expect(run.isRunning)

        try """
            rules:
              - id: spo2-low
                title: "SpO2 {value}% low"
                kind: physiological
                priority: medium
                metric: spo2
                when: spo2 < 90
            """.write(toFile: rules, atomically: true, encoding: .utf8)
        run.send(SIGHUP)
        #expect(run.waitForLine(onStderr: true) { $0.contains("rules reloaded") && $0.contains("1 rules") } != nil,
                "\(run.stderrLines.suffix(4))")
        run.send(SIGTERM)
        #expect(run.wait() == 0)
    }
}
