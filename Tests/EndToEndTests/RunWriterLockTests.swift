import Foundation
import Glibc
import Store
import Testing
import VitalsTestSupport

/// Two `vitals run` processes on one database (issue 12): the second stops at once with a
/// message naming the first's pid, and writes nothing; once the first is gone (even by SIGKILL)
/// a new one starts and merges what the first left.
@Suite(.serialized) struct RunWriterLockTests {
    func run(_ dir: TemporaryDirectory) throws -> VitalsChild {
        try VitalsChild([
            "run", "--db", dir.file("room.sqlite"), "--no-rules", "--devices", dir.file("devices.yaml"), "--no-udev",
            "--room", "bay-1",
        ])
    }

    @Test func aSecondRunOnTheSameDatabaseIsRefusedAndTheLockDiesWithItsHolder() throws {
        let dir = try TemporaryDirectory()
        try "devices:\n  - port: \(dir.file("absent-port"))\n    profile: nonin-df7\n    label: oximeter\n".write(toFile: dir.file("devices.yaml"), atomically: true, encoding: .utf8)
        let first = try run(dir)
        #expect(first.waitForLine(onStderr: true) { $0.contains("ready:") } != nil, "\(first.stderrLines)")

        let second = try run(dir)
        #expect(second.wait(timeout: .seconds(30)) != 0)
        let message = second.stderrLines.joined(separator: "\n")
        #expect(message.contains("already recording into \(dir.file("room.sqlite"))"), "\(message)")
        #expect(message.contains("pid \(first.pid)"), "\(message)")
        #expect(!second.stderrLines.contains { $0.contains("ready:") })

        // A replay into the same file is refused as well.
        let replay = try VitalsChild.run([
            "replay", "--device", "nonin-df7=\(Self.fixtures)/nonin-df7/\(try firstFixture("nonin-df7"))",
            "--db", dir.file("room.sqlite"),
        ])
        #expect(replay.status != 0 && replay.stderr.contains("already recording into"), "\(replay.stderr)")

        // SIGKILL leaves no stale lock: the kernel drops it with the process.
        first.send(SIGKILL)
        _ = first.wait()
        let third = try run(dir)
        #expect(third.waitForLine(onStderr: true) { $0.contains("ready:") } != nil, "\(third.stderrLines)")
        third.send(SIGTERM)
        #expect(third.wait() == 0)
    }

    static var fixtures: String { RepositoryPaths.root.appendingPathComponent("Fixtures").path }

    func firstFixture(_ profile: String) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures + "/" + profile)
        return try #require(names.filter { $0.hasSuffix(".script") }.sorted().first)
    }
}
