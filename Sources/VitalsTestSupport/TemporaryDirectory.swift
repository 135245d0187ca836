import Foundation

/// A temporary directory removed when the value is dropped.
public final class TemporaryDirectory: Sendable {
    /// Its path.
    public let path: String

    /// A new, empty directory under TMPDIR.
    public init(prefix: String = "vitals-test") throws {
        let tmp = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var bytes = Array("\(tmp)/\(prefix)-XXXXXX".utf8CString)
        guard let p = mkdtemp(&bytes) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: p)
    }

    /// A path inside it.
    public func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
