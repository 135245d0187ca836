import Glibc

/// A pipe whose read end a polling thread watches, so another thread can wake it to stop.
///
/// Closing a descriptor that another thread is polling is racy (the number can be reused at
/// once), so threads are told to stop through this pipe and close their own descriptors.
final class WakePipe: Sendable {
    /// The end the polling thread watches for `POLLIN`.
    let readEnd: Int32
    private let writeEnd: Int32

    /// A new non-blocking, close-on-exec pipe.
    init() throws(SystemCallError) {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SystemCallError("pipe") }
        // pipe2 is a GNU extension the Glibc module does not export; set the flags one by one
        // (a fork between the calls could leak these two descriptors; the bridge never forks).
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        readEnd = fds[0]
        writeEnd = fds[1]
    }

    /// Wakes the watching thread. Safe to call more than once and from any thread.
    func signal() {
        var byte: UInt8 = 1
        _ = Glibc.write(writeEnd, &byte, 1)
    }

    deinit {
        Glibc.close(readEnd)
        Glibc.close(writeEnd)
    }
}
