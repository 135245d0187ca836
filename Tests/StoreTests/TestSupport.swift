import Foundation
import Synchronization
@testable import Store
import VitalsCore
import VitalsTestSupport

/// A temporary directory removed when the value is dropped.
final class TempDirectory: Sendable {
    let path: String

    init() throws {
        let template = NSTemporaryDirectory() + "/vitals-store-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let p = mkdtemp(&bytes) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: p)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A clock tests move by hand: the writer's injected `now`.
final class TestClock: Sendable {
    private let value: Mutex<Int64>

    init(_ start: Int64 = 1_780_000_000_000) { value = Mutex(start) }

    var now: Int64 { value.withLock { $0 } }

    func advance(_ ms: Int64) { value.withLock { $0 += ms } }

    var function: @Sendable () -> Int64 { { [self] in self.now } }
}

/// Collects strings a callback receives from another thread.
final class Collector<T: Sendable>: Sendable {
    private let items = Mutex<[T]>([])

    func append(_ item: T) { items.withLock { $0.append(item) } }

    var all: [T] { items.withLock { $0 } }
}

/// Synthetic observations.
enum Sample {
    static func observation(
        _ metric: Metric, _ value: Double, at: Int64, device: String = "oximeter-1", flags: QualityFlags = [],
        deviceTime: DeviceTime? = nil
    ) -> Observation {
        Observation(
            reading: Reading(metric: metric, value: value, flags: flags, deviceTime: deviceTime), device: device,
            time: RunTime(milliseconds: 0), hostTime: at)
    }

    static func alert(
        _ event: AlertEventKind, rule: String = "spo2-low", at: Int64, occurrence: Int = 1, by: String? = nil,
        priority: AlertPriority = .high, value: Double? = 87
    ) -> AlertEvent {
        AlertEvent(
            time: RunTime(milliseconds: 1000), hostTime: at, rule: rule, priority: priority, kind: .physiological,
            event: event, metric: .spo2, value: value, message: "SpO2 \(value.map { NumberText.format($0) } ?? "-")% below 88%",
            device: "oximeter-1", by: by, occurrence: occurrence)
    }
}

/// Runs the built `vitals` executable.
enum VitalsProcess {
    /// `vitals` beside the test bundle in the build products directory.
    static var executable: URL { VitalsChild.executable }
    /// The test-only writer built beside `vitals` (the crash and kill tests' child).
    static var testWriter: URL { VitalsChild.executable.deletingLastPathComponent().appendingPathComponent("vitals-test-writer") }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `vitals args...` to completion: stdin empty, stdout and stderr read as they come (a
    /// full pipe never blocks the child), and killed after 60 s (a test never hangs on a child).
    static func run(_ args: [String], environment: [String: String] = [:]) throws -> Result {
        let child = try VitalsChild(args, environment: environment)
        let status = child.wait(timeout: .seconds(60))
        return Result(status: status, stdout: child.stdout.text, stderr: child.stderr.text)
    }
}

extension ReadingWriter {
    /// Waits until every flush queued so far has run.
    func drain() { queue.sync {} }
}

extension VitalsDatabase {
    /// `SELECT count(*)` of a table, for tests.
    func count(_ table: String, where condition: String = "1") throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE \(condition)") ?? -1 }
    }
}

/// The permission bits of a file, or nil when it does not exist.
func fileMode(_ path: String) -> mode_t? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return st.st_mode & 0o777
}
