import Foundation
import Glibc
import Synchronization

/// The built `vitals` executable run as a child process, with its output captured line by line
/// as it comes, for end-to-end tests of long-running commands (`run`, `tail`, `simulate`).
///
/// The child inherits the environment, so under `umockdev-wrapper` it runs under the preload
/// and sees the test's testbed (`UMOCKDEV_DIR`).
public final class VitalsChild: Sendable {
    private let process: Process
    private let out = Mutex<[String]>([])
    private let err = Mutex<[String]>([])
    private let partial = Mutex<(out: String, err: String)>(("", ""))

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

    /// Starts `vitals args...` with `environment` added to the test's own.
    public init(_ args: [String], environment: [String: String] = [:]) throws {
        let p = Process()
        p.executableURL = Self.executable
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["VITALS_DB"] = nil
        env["VITALS_ROOM"] = nil
        env["NO_COLOR"] = "1"
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let o = Pipe(), e = Pipe()
        p.standardOutput = o
        p.standardError = e
        p.standardInput = FileHandle.nullDevice
        process = p
        o.fileHandleForReading.readabilityHandler = { [self] h in collect(h.availableData, stdout: true) }
        e.fileHandleForReading.readabilityHandler = { [self] h in collect(h.availableData, stdout: false) }
        try p.run()
    }

    private func collect(_ data: Data, stdout: Bool) {
        guard !data.isEmpty else { return }
        let text = String(decoding: data, as: UTF8.self)
        let lines: [String] = partial.withLock { p in
            var buffer = (stdout ? p.out : p.err) + text
            var complete: [String] = []
            while let nl = buffer.firstIndex(of: "\n") {
                complete.append(String(buffer[..<nl]))
                buffer = String(buffer[buffer.index(after: nl)...])
            }
            if stdout { p.out = buffer } else { p.err = buffer }
            return complete
        }
        if stdout { out.withLock { $0 += lines } } else { err.withLock { $0 += lines } }
    }

    /// Lines printed on stdout so far.
    public var stdoutLines: [String] { out.withLock { $0 } }
    /// Lines printed on stderr so far.
    public var stderrLines: [String] { err.withLock { $0 } }
    /// The child's pid.
    public var pid: Int32 { process.processIdentifier }
    /// True while the child runs.
    public var isRunning: Bool { process.isRunning }

    /// Waits (polling, up to `timeout`) until a stdout (or stderr) line satisfies `predicate`;
    /// returns it, or `nil` on timeout.
    public func waitForLine(
        onStderr: Bool = false, timeout: Duration = .seconds(30), _ predicate: (String) -> Bool
    ) -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let hit = (onStderr ? stderrLines : stdoutLines).first(where: predicate) { return hit }
            if !process.isRunning {
                usleep(50_000)
                return (onStderr ? stderrLines : stdoutLines).first(where: predicate)
            }
            usleep(20_000)
        }
        return nil
    }

    /// Sends `signal` to the child.
    public func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the child to exit (killing it after `timeout`) and returns its status.
    @discardableResult
    public func wait(timeout: Duration = .seconds(30)) -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        usleep(100_000) // the last output
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
