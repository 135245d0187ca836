import Foundation
import Synchronization
import Store
import VitalsCore

#if canImport(Glibc)
import Glibc
#endif

/// A temporary directory removed when the value is dropped.
final class TailTempDirectory: Sendable {
    let path: String

    init() throws {
        var bytes = Array((NSTemporaryDirectory() + "/vitals-e2e-XXXXXX").utf8CString)
        guard let p = mkdtemp(&bytes) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: p)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Text a reader thread collects from a child's pipe.
final class TailOutputBuffer: Sendable {
    private let data = Mutex<[UInt8]>([])
    private let ended = Mutex(false)

    func append(_ bytes: ArraySlice<UInt8>) { data.withLock { $0.append(contentsOf: bytes) } }
    func finish() { ended.withLock { $0 = true } }
    var isFinished: Bool { ended.withLock { $0 } }
    var text: String { String(decoding: data.withLock { $0 }, as: UTF8.self) }

    /// The complete lines so far.
    var lines: [String] {
        var parts = text.components(separatedBy: "\n")
        parts.removeLast()  // the unfinished line (or "" after the last newline)
        return parts
    }
}

/// The built `vitals` executable run as a child process, its output read as it comes.
final class VitalsChild {
    let process = Process()
    let stdout = TailOutputBuffer()
    let stderr = TailOutputBuffer()
    private let outPipe = Pipe()
    private let errPipe = Pipe()

    /// `vitals` beside the test bundle in the build products directory.
    static var executable: URL {
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

    /// Starts `vitals args...`; VITALS_DB, VITALS_ROOM, NO_COLOR and FORCE_COLOR are cleared
    /// unless `environment` sets them.
    init(_ args: [String], environment: [String: String] = [:]) throws {
        process.executableURL = Self.executable
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        for k in ["VITALS_DB", "VITALS_ROOM", "NO_COLOR", "FORCE_COLOR"] { env[k] = nil }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        Self.drain(outPipe.fileHandleForReading.fileDescriptor, into: stdout)
        Self.drain(errPipe.fileHandleForReading.fileDescriptor, into: stderr)
    }

    /// Reads `fd` to its end on a thread of its own (blocking reads; never the cooperative pool).
    private static func drain(_ fd: Int32, into buffer: TailOutputBuffer) {
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

    /// Waits (up to a generous `timeout`) until `condition` holds for the output lines; returns them.
    @discardableResult
    func waitForLines(timeout: TimeInterval = 30, _ condition: ([String]) -> Bool) -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let lines = stdout.lines
            if condition(lines) { return lines }
            usleep(20_000)
        }
        return stdout.lines
    }

    /// Waits for the process to exit by itself (up to `timeout`) and for its output to end.
    func waitForExit(timeout: TimeInterval = 60) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        guard !process.isRunning else { return nil }
        while !(stdout.isFinished && stderr.isFinished), Date() < deadline { usleep(10_000) }
        return process.terminationStatus
    }

    /// Stops the child (SIGTERM) and waits for it.
    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    /// Runs `vitals args...` to completion.
    static func run(_ args: [String], environment: [String: String] = [:]) throws -> (status: Int32?, stdout: String, stderr: String) {
        let child = try VitalsChild(args, environment: environment)
        let status = child.waitForExit()
        return (status, child.stdout.text, child.stderr.text)
    }
}

/// Writes sessions, readings and alerts the way `vitals run` does: through `ReadingWriter`.
enum TailFixture {
    static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    static func writer(_ db: VitalsDatabase, room: String = "room-1") -> ReadingWriter {
        ReadingWriter(database: db, configuration: WriterConfiguration(room: room), onError: { _ in })
    }

    /// An alert event on the wall clock, its message naming `n` so lines can be told apart.
    static func alert(
        _ event: AlertEventKind, n: Int, rule: String = "spo2-low", occurrence: Int, priority: AlertPriority = .high,
        by: String? = nil, value: Double = 87
    ) -> AlertEvent {
        AlertEvent(
            time: RunTime(milliseconds: Int64(n) * 1000), hostTime: now(), rule: rule, priority: priority,
            kind: .physiological, event: event, metric: .spo2, value: value, message: "event \(n): SpO2 \(Int(value)) %",
            device: "oximeter-1", by: by, occurrence: occurrence)
    }

    /// Parses a JSON line into an object.
    static func json(_ line: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }
}
