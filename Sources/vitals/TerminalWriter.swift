#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered stdout for live output: each line reaches the pipe or terminal when written
/// (`vitals tail` must show an alert the moment it is read, and a test reading the pipe must see
/// it without waiting for a buffer to fill).
enum TerminalWriter {
    /// Writes `text` and a newline to stdout at once.
    static func line(_ text: String) {
        write(text + "\n")
    }

    /// Writes `text` to stdout at once, retrying short writes and EINTR.
    static func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeMutableBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
        bytes.removeAll()
    }
}
