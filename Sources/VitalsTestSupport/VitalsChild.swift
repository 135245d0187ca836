import Foundation
import Glibc

/// The built `vitals` executable run as a child process, its output read as it comes, for
/// end-to-end tests of long-running commands (`run`, `tail`, `simulate`).
///
/// The child inherits the environment (minus VITALS_DB, VITALS_ROOM, NO_COLOR, FORCE_COLOR
/// unless given), so under `umockdev-wrapper` it runs under the preload and sees the test's
/// testbed through `UMOCKDEV_DIR`.
public final class VitalsChild {
    /// The child.
    public let process = Process()
    /// What it printed on stdout.
    public let stdout = ChildOutput()
    /// What it printed on stderr.
    public let stderr = ChildOutput()
    private let outPipe = Pipe()
    private let errPipe = Pipe()

    /// `vitals` beside the test bundle in the build products directory.
    public static var executable: URL {
        var candidates: [URL] = []
        if let exe = Bundle.main.executableURL { candidates.append(exe.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for dir in candidates {
            let u = dir.appendingPathComponent("vitals")
            if FileManager.default.isExecutableFile(atPath: u.path) { return u }
        }
        return candidates[0].appendingPathComponent("vitals")
    }

    /// Starts `vitals args...` with `environment` added.
    public init(_ args: [String], environment: [String: String] = [:]) throws {
        process.executableURL = Self.executable
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        for k in ["VITALS_DB", "VITALS_ROOM", "NO_COLOR", "FORCE_COLOR"] { env[k] = nil }
        if let dir = getenv("UMOCKDEV_DIR") { env["UMOCKDEV_DIR"] = String(cString: dir) }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        Self.drain(outPipe.fileHandleForReading.fileDescriptor, into: stdout)
        Self.drain(errPipe.fileHandleForReading.fileDescriptor, into: stderr)
    }

    /// Reads `fd` to its end on a thread of its own (blocking reads; never the cooperative pool).
    private static func drain(_ fd: Int32, into buffer: ChildOutput) {
        let thread = Thread {
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                buffer.append(chunk[0..<n])
            }
            buffer.finish()
        }
        thread.start()
    }

    /// Lines printed on stdout so far.
    public var stdoutLines: [String] { stdout.lines }
    /// Lines printed on stderr so far.
    public var stderrLines: [String] { stderr.lines }
    /// True while the child runs.
    public var isRunning: Bool { process.isRunning }

    /// Waits (up to a generous `timeout`) until `condition` holds for the stdout lines; returns them.
    @discardableResult
    public func waitForLines(timeout: TimeInterval = 30, _ condition: ([String]) -> Bool) -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let lines = stdout.lines
            if condition(lines) { return lines }
            usleep(20_000)
        }
        return stdout.lines
    }

    /// Waits (up to `timeout`) until a stdout (or stderr) line satisfies `predicate`; returns it,
    /// or `nil` when none came.
    public func waitForLine(
        onStderr: Bool = false, timeout: Duration = .seconds(30), _ predicate: (String) -> Bool
    ) -> String? {
        let deadline = ContinuousClock.now + timeout
        let source = onStderr ? stderr : stdout
        while ContinuousClock.now < deadline {
            if let hit = source.lines.first(where: predicate) { return hit }
            if source.isFinished { break }
            usleep(20_000)
        }
        return source.lines.first(where: predicate)
    }

    /// Sends `signal` to the child.
    public func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// The child's process id.
    public var pid: Int32 { process.processIdentifier }

    /// Waits for the process to exit by itself (up to `timeout`) and for its output to end;
    /// `nil` when it is still running.
    public func waitForExit(timeout: TimeInterval = 60) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        guard !process.isRunning else { return nil }
        while !(stdout.isFinished && stderr.isFinished), Date() < deadline { usleep(10_000) }
        return process.terminationStatus
    }

    /// Waits for the child to exit, killing it after `timeout`; returns its status.
    @discardableResult
    public func wait(timeout: Duration = .seconds(30)) -> Int32 {
        if let status = waitForExit(timeout: timeout.secondsDouble) { return status }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Stops the child: SIGTERM, and SIGKILL if it has not exited 10 s later (a child that
    /// ignores SIGTERM must not hang the test run); waits for it.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        wait(timeout: .seconds(10))
    }

    deinit { stop() }

    /// Runs `vitals args...` to completion.
    public static func run(_ args: [String], environment: [String: String] = [:]) throws -> (status: Int32?, stdout: String, stderr: String) {
        let child = try VitalsChild(args, environment: environment)
        let status = child.waitForExit()
        if status == nil { child.wait(timeout: .zero) }  // still running after 60 s: killed, reported as nil
        return (status, child.stdout.text, child.stderr.text)
    }
}

extension Duration {
    var secondsDouble: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
