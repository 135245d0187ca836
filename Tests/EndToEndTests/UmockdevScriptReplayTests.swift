import Foundation
import Testing
import VitalsTestSupport

/// A fixture replayed by `umockdev-run --script` under the real `vitals run`, with its real
/// timing and its device description, gives the same readings as `vitals replay` of the same
/// fixture (times aside: one is the wall clock, the other virtual).
@Suite(.serialized) struct UmockdevScriptReplayTests {
    static let cases: [(profile: String, fixture: String, serial: String)] = [
        ("masimo-ascii", "Fixtures/masimo-ascii/published-lines-3p", "MASIMO01"),
        ("nonin-df8", "Fixtures/nonin-df8/df8-constructed-examples-inferred", "NONIN001"),
    ]

    static var umockdevRun: String? {
        ["/usr/bin/umockdev-run", "/usr/local/bin/umockdev-run"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The fields that must agree: what was measured, its value, flags and the device's time.
    func readings(_ jsonl: String) throws -> [String] {
        try jsonl.split(separator: "\n").compactMap { line in
            guard let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  o["type"] as? String == "reading" else { return nil }
            return "\(o["metric"]!) \(o["value"]!) \(o["flags"]!) \(o["device_time"] ?? "-")"
        }
    }

    @Test(arguments: 0..<UmockdevScriptReplayTests.cases.count)
    func theRealProgramUnderUmockdevRunMatchesReplay(_ index: Int) throws {
        let c = Self.cases[index]
        let run = try #require(Self.umockdevRun, "umockdev-run is not installed (make test installs it)")
        let dir = try TemporaryDirectory()
        let base = RepositoryPaths.root.appendingPathComponent(c.fixture).path
        try "devices:\n  - serial: \(c.serial)\n    profile: \(c.profile)\n    label: monitor\n"
            .write(toFile: dir.file("devices.yaml"), atomically: true, encoding: .utf8)

        let p = Process()
        p.executableURL = URL(fileURLWithPath: run)
        p.arguments = [
            "--device", base + ".umockdev", "--script", "/dev/ttyUSB0=\(base).script", "--",
            "timeout", "-s", "TERM", "8", VitalsChild.executable.path, "run", "--db", dir.file("room.sqlite"),
            "--no-rules", "--devices", dir.file("devices.yaml"), "--format", "jsonl", "--readings",
        ]
        var env = ProcessInfo.processInfo.environment
        env["UMOCKDEV_DIR"] = nil
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let live = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        // timeout's 124: vitals ran until it was told to stop, then flushed and exited.
        #expect(p.terminationStatus == 124, "\(log)")

        let replay = try VitalsChild.run(["replay", "--device", "\(c.profile)=\(base).script", "--format", "jsonl"])
        #expect(replay.status == 0)
        let expected = try readings(replay.stdout)
        #expect(!expected.isEmpty)
        #expect(try readings(live) == expected, "live:\n\(live)\nlog:\n\(log)")
    }
}
