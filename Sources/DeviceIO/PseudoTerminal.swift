import Glibc
import Synchronization

/// A pseudo-terminal pair: the simulated device holds the master side, the program under test
/// opens ``slavePath`` exactly as it opens `/dev/ttyUSB0`.
///
/// Used by `vitals simulate`, the demo and tests. The slave is put in raw mode at once (so
/// bytes written before the program configures the port are not echoed or cooked) and one
/// slave descriptor is kept open here, so the master does not read EIO while no program has
/// the port open. ``close()`` closes the master: a reader of the slave then sees EOF, which
/// is how an unplug looks.
public final class PseudoTerminal: Sendable {
    /// The master side's descriptor (the device end): write device bytes here, read the
    /// host's commands from here. Valid until ``close()``.
    public let masterFileDescriptor: Int32
    /// The slave's path (`/dev/pts/3`).
    public let slavePath: String
    /// A symlink to ``slavePath`` made at creation (`/tmp/vitals-oximeter`), removed on close.
    public let linkPath: String?
    private let descriptors: Mutex<(master: Int32, slave: Int32)?>

    /// Opens a new pair; with `linkPath`, also makes a symlink there to the slave, replacing
    /// an existing symlink (but never a regular file).
    public init(linkPath: String? = nil) throws(SystemCallError) {
        var master: Int32 = -1
        var slave: Int32 = -1
        guard openpty(&master, &slave, nil, nil, nil) == 0 else { throw SystemCallError("openpty") }
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
        _ = fcntl(slave, F_SETFD, FD_CLOEXEC)
        var tio = termios()
        if tcgetattr(slave, &tio) == 0 {
            cfmakeraw(&tio)
            _ = tcsetattr(slave, TCSANOW, &tio)
        }
        var name = [CChar](repeating: 0, count: 128)
        let nameResult = ttyname_r(slave, &name, name.count)
        guard nameResult == 0 else {
            let error = SystemCallError("ttyname_r", code: nameResult)
            Glibc.close(master)
            Glibc.close(slave)
            throw error
        }
        let path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if let linkPath {
            var info = stat()
            if lstat(linkPath, &info) == 0, info.st_mode & S_IFMT == S_IFLNK { unlink(linkPath) }
            guard symlink(path, linkPath) == 0 else {
                let error = SystemCallError("symlink \(linkPath)")
                Glibc.close(master)
                Glibc.close(slave)
                throw error
            }
        }
        masterFileDescriptor = master
        slavePath = path
        self.linkPath = linkPath
        descriptors = Mutex((master, slave))
    }

    /// Writes all of `bytes` to the master side, as the device would send them. Waits while the
    /// pty's buffer is full (nobody has read the slave for a while); a simulator that must keep
    /// its pace without a reader should drain it by opening the slave.
    public func write(_ bytes: [UInt8]) throws(SystemCallError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(masterFileDescriptor, $0.baseAddress! + offset, $0.count - offset) }
            if n > 0 {
                offset += n
            } else if n < 0, errno == EINTR || errno == EAGAIN {
                var pfd = pollfd(fd: masterFileDescriptor, events: Int16(POLLOUT), revents: 0)
                _ = poll(&pfd, 1, 100)
            } else {
                throw SystemCallError("write \(slavePath) master")
            }
        }
    }

    /// Reads what the host wrote to the port, waiting up to `timeout` for the first byte;
    /// empty when nothing came.
    public func read(maxCount: Int = 4096, timeout: Duration) throws(SystemCallError) -> [UInt8] {
        var pfd = pollfd(fd: masterFileDescriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&pfd, 1, Int32(clamping: timeout.milliseconds))
        guard ready > 0 else {
            if ready < 0, errno != EINTR { throw SystemCallError("poll \(slavePath) master") }
            return []
        }
        var buffer = [UInt8](repeating: 0, count: max(1, maxCount))
        let n = buffer.withUnsafeMutableBytes { Glibc.read(masterFileDescriptor, $0.baseAddress!, $0.count) }
        guard n >= 0 else { throw SystemCallError("read \(slavePath) master") }
        return Array(buffer[0..<n])
    }

    /// Closes both sides held here (the program's own slave descriptors then read EOF) and
    /// removes the symlink. Safe to call more than once.
    public func close() {
        let open = descriptors.withLock { current in
            defer { current = nil }
            return current
        }
        guard let open else { return }
        Glibc.close(open.slave)
        Glibc.close(open.master)
        if let linkPath { unlink(linkPath) }
    }

    deinit { close() }
}
