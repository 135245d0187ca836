import Synchronization

/// Text a reader thread collects from a child's pipe.
public final class ChildOutput: Sendable {
    private let data = Mutex<[UInt8]>([])
    private let ended = Mutex(false)

    /// An empty buffer.
    public init() {}

    /// Adds bytes read from the pipe.
    public func append(_ bytes: ArraySlice<UInt8>) { data.withLock { $0.append(contentsOf: bytes) } }
    /// The pipe reached its end.
    public func finish() { ended.withLock { $0 = true } }
    /// True once the pipe reached its end.
    public var isFinished: Bool { ended.withLock { $0 } }
    /// Everything read so far.
    public var text: String { String(decoding: data.withLock { $0 }, as: UTF8.self) }

    /// The complete lines so far.
    public var lines: [String] {
        var parts = text.components(separatedBy: "\n")
        parts.removeLast()  // the unfinished line (or "" after the last newline)
        return parts
    }
}
