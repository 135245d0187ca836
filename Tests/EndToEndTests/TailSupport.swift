import Foundation
import Synchronization
import Store
import VitalsCore
import VitalsTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The end-to-end tests' temporary directories.
typealias TailTempDirectory = TemporaryDirectory

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
