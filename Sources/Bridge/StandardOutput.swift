import Glibc

/// Unbuffered line output to stdout: an alert line must reach the terminal (or the pipe) the
/// moment it is decided, not when a buffer fills.
public enum StandardOutput {
    /// Writes `line` and a newline with one `write(2)`.
    public static func line(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(1, $0.baseAddress! + offset, $0.count - offset) }
            if n > 0 {
                offset += n
            } else if n < 0, errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
