import CTermios2
import DeviceProtocols
import Glibc
import Synchronization

/// A serial port opened raw with a profile's settings.
///
/// Opening follows `reference/swift-ecosystem.md` §1.1: `O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC`
/// (non-blocking so a missing carrier cannot hang the open), exclusive access twice over
/// (`TIOCEXCL`, which root may bypass, and an advisory `flock`, which it may not, and which
/// also covers umockdev's emulated ttys that refuse `TIOCEXCL`), raw mode
/// (`cfmakeraw`: no echo, no line discipline), no XON/XOFF (0x11 and 0x13 are data for several
/// devices), `CLOCAL | CREAD`, the profile's speed, data bits, parity and stop bits, RTS/CTS only
/// when the profile asks, speeds without a `B…` constant through termios2, and finally
/// `tcflush` of the output queue. The input queue is kept: a tty buffers only while it is open,
/// so what waits there arrived in the moment since `open()` and is the device's first frame
/// (the decoder skips anything malformed). ``discardInput()`` drops it where that is wanted.
///
/// The descriptor stays non-blocking, so `VMIN`/`VTIME` mean nothing here: framing and
/// inter-byte timeouts belong to the decoder. Read it with ``MultiPortReader`` (one thread for
/// many ports) or ``PortReader`` (a thread of its own); closing the port also stops a reader on it.
public final class SerialPort: Sendable {
    /// The path the port was opened by (`/dev/ttyUSB0`, `/dev/serial/by-id/…`).
    public let path: String
    /// The settings applied.
    public let settings: SerialSettings
    /// True when the port is a pseudo-terminal (a simulator, a test, umockdev's emulated
    /// `/dev/ttyUSB0`). The pty driver always runs 8 data bits without parity whatever is asked
    /// (`pty_set_termios` in the kernel's `drivers/tty/pty.c`), so ``settings``' data bits and
    /// parity are not in effect; bytes pass through unchanged, which is all a pty carries.
    public let isPseudoTerminal: Bool
    /// The descriptor, or -1 once closed. Reads and writes hold the lock, so a closed (and
    /// possibly reused) descriptor number is never read or written.
    private let descriptor: Mutex<Int32>
    /// Wakes a ``PortReader`` blocked in `poll()` when the port is closed.
    let closeSignal: WakePipe

    private init(path: String, settings: SerialSettings, isPseudoTerminal: Bool, descriptor: Int32, closeSignal: WakePipe) {
        self.path = path
        self.settings = settings
        self.isPseudoTerminal = isPseudoTerminal
        self.descriptor = Mutex(descriptor)
        self.closeSignal = closeSignal
    }

    /// Opens `path` raw with `settings`.
    ///
    /// Throws ``SerialPortError`` with cause `.busy` when another program holds the port,
    /// `.permissionDenied` (with a hint about the `dialout` group), `.noSuchDevice`,
    /// `.notATerminal` or `.unsupportedSettings`.
    public static func open(_ path: String, settings: SerialSettings) throws(SerialPortError) -> SerialPort {
        let config = try TermiosConfiguration(settings: settings, path: path)
        let closeSignal: WakePipe
        do { closeSignal = try WakePipe() } catch { throw SerialPortError(path: path, cause: .system(error)) }

        let fd = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw SerialPortError(path: path, call: "open") }
        let isPseudoTerminal: Bool
        do {
            isPseudoTerminal = try configure(fd, path: path, config)
        } catch {
            Glibc.close(fd)
            throw error
        }
        return SerialPort(path: path, settings: settings, isPseudoTerminal: isPseudoTerminal, descriptor: fd, closeSignal: closeSignal)
    }

    /// Configures `fd`; returns whether it is a pseudo-terminal.
    private static func configure(_ fd: Int32, path: String, _ config: TermiosConfiguration) throws(SerialPortError) -> Bool {
        // flock first: it refuses a second opener even when that one runs as root, where
        // TIOCEXCL does not (CAP_SYS_ADMIN bypasses it).
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { throw SerialPortError(path: path, call: "flock") }
        // ENOTTY/EINVAL here is left to tcgetattr to judge: umockdev's emulated ttys refuse
        // TIOCEXCL although they are terminals, and flock already keeps other openers out.
        if ioctl(fd, UInt(TIOCEXCL)) != 0, errno != ENOTTY, errno != EINVAL {
            throw SerialPortError(path: path, call: "ioctl(TIOCEXCL)")
        }
        var tio = termios()
        guard tcgetattr(fd, &tio) == 0 else { throw SerialPortError(path: path, call: "tcgetattr") }
        config.apply(to: &tio)
        // glibc's tcsetattr reports EINVAL when the driver silently kept other framing than
        // asked (a pty forcing 8N1) and nothing else changed; what counts is what is in effect.
        if tcsetattr(fd, TCSANOW, &tio) != 0, errno != EINVAL { throw SerialPortError(path: path, call: "tcsetattr") }
        var actual = termios()
        guard tcgetattr(fd, &actual) == 0 else { throw SerialPortError(path: path, call: "tcgetattr") }
        let isPseudoTerminal = Self.isPseudoTerminal(fd)
        if let refused = config.refusedSettings(actual: actual, pseudoTerminal: isPseudoTerminal) {
            throw SerialPortError(path: path, cause: .unsupportedSettings("the driver did not accept \(refused)"))
        }
        if let customBaud = config.customBaud, vitals_set_custom_baud(fd, UInt32(customBaud)) != 0 {
            // A pty has no line speed, and umockdev's emulated ttys (ptys too) refuse termios2.
            let code = errno
            if !(isPseudoTerminal && (code == ENOTTY || code == EINVAL)) {
                throw SerialPortError(path: path, call: "ioctl(TCSETS2 \(customBaud) baud)", code: code)
            }
        }
        guard tcflush(fd, TCOFLUSH) == 0 else { throw SerialPortError(path: path, call: "tcflush") }
        return isPseudoTerminal
    }

    /// True when `fd` is a Unix98 pty slave (character device majors 136–143).
    private static func isPseudoTerminal(_ fd: Int32) -> Bool {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFCHR else { return false }
        let device = UInt64(info.st_rdev)
        let major = ((device >> 8) & 0xFFF) | ((device >> 32) & ~0xFFF)
        return (136...143).contains(major)
    }

    /// Drops bytes waiting in the input queue (the prober does, between candidate settings).
    public func discardInput() {
        withDescriptor { fd in _ = tcflush(fd, TCIFLUSH) }
    }

    /// The open descriptor, or `nil` once closed: for reading settings back (`tcgetattr`).
    /// Do not close it or change its flags; the port owns it.
    public var fileDescriptor: Int32? {
        descriptor.withLock { $0 >= 0 ? $0 : nil }
    }

    /// True once ``close()`` has run.
    public var isClosed: Bool { fileDescriptor == nil }

    /// Writes all of `bytes` (a host command), waiting up to `timeout` for the port to accept
    /// them.
    public func write(_ bytes: [UInt8], timeout: Duration = .seconds(2)) throws(SerialPortError) {
        var offset = 0
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while offset < bytes.count {
            let result: (written: Int, code: Int32, fd: Int32) = descriptor.withLock { fd in
                guard fd >= 0 else { return (-1, EBADF, -1) }
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
                return (n, n < 0 ? errno : 0, fd)
            }
            if result.fd < 0 { throw SerialPortError(path: path, cause: .closed) }
            if result.written > 0 {
                offset += result.written
                continue
            }
            switch result.code {
            case EINTR:
                continue
            case EAGAIN:
                let left = ContinuousClock.now.duration(to: deadline)
                guard left > .zero else { throw SerialPortError(path: path, cause: .writeTimedOut) }
                var pfd = pollfd(fd: result.fd, events: Int16(POLLOUT), revents: 0)
                _ = poll(&pfd, 1, Int32(clamping: max(1, left.milliseconds)))
            case EIO, ENXIO, ENODEV:
                throw SerialPortError(path: path, cause: .noSuchDevice)
            default:
                throw SerialPortError(path: path, cause: .system(SystemCallError("write", code: result.code)))
            }
        }
    }

    /// Closes the port (and ends a ``PortReader`` on it without a `gone` event). Safe to call
    /// more than once.
    public func close() {
        let wasOpen = descriptor.withLock { fd -> Bool in
            guard fd >= 0 else { return false }
            // TIOCEXCL outlives this descriptor while anyone else holds the tty open (a pty's
            // simulator does): clear it so the port can be opened again.
            _ = ioctl(fd, UInt(TIOCNXCL))
            Glibc.close(fd)
            fd = -1
            return true
        }
        if wasOpen { closeSignal.signal() }
    }

    /// Runs `body` with the open descriptor under the port's lock; `nil` when closed.
    func withDescriptor<T>(_ body: (Int32) -> T) -> T? {
        descriptor.withLock { fd in fd >= 0 ? body(fd) : nil }
    }

    deinit {
        let fd = descriptor.withLock { $0 }
        if fd >= 0 {
            _ = ioctl(fd, UInt(TIOCNXCL))
            Glibc.close(fd)
        }
    }
}
