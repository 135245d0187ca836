#if canImport(Glibc)
import Glibc
#endif

/// Buffered stdout for high-volume output (replay prints a line a reading), flushed at the end
/// or when the buffer fills. Live alert output flushes every line instead.
final class LineOutput {
    private var buffer: [UInt8] = []
    private let limit: Int

    init(limit: Int = 1 << 16) {
        self.limit = limit
        buffer.reserveCapacity(limit + 1024)
    }

    func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count >= limit { flush() }
    }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer[offset...].withUnsafeBytes { Glibc.write(1, $0.baseAddress, $0.count) }
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                break
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}
