import Glibc

/// Why a serial port could not be opened, configured or written: names the port and says what
/// the user can do about it.
public struct SerialPortError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Cause: Sendable, Hashable {
        /// Another program (or another part of this one) holds the port with exclusive access
        /// (`TIOCEXCL` gives `EBUSY`; the advisory `flock` gives `EWOULDBLOCK`).
        case busy
        /// The user may not open the port (`EACCES`, `EPERM`).
        case permissionDenied
        /// Nothing is attached under that name (`ENOENT`, `ENODEV`, `ENXIO`): unplugged or mistyped.
        case noSuchDevice
        /// The path is not a terminal (termios calls fail with `ENOTTY`).
        case notATerminal
        /// The profile asks for something the port cannot do (`7E3`, speed 0).
        case unsupportedSettings(String)
        /// The port was closed before this call.
        case closed
        /// A write did not complete within its time limit (flow control holding it back, or
        /// the device is not reading).
        case writeTimedOut
        /// Any other failure of a system call.
        case system(SystemCallError)
    }

    /// The port's path (`/dev/ttyUSB0`).
    public var path: String
    /// What went wrong.
    public var cause: Cause

    /// An error for `path`.
    public init(path: String, cause: Cause) {
        self.path = path
        self.cause = cause
    }

    /// Classifies the `errno` of a failed `call` on `path`.
    init(path: String, call: String, code: Int32 = errno) {
        self.path = path
        switch code {
        case EBUSY, EWOULDBLOCK: cause = .busy
        case EACCES, EPERM: cause = .permissionDenied
        case ENOENT, ENODEV, ENXIO: cause = .noSuchDevice
        case ENOTTY: cause = .notATerminal
        default: cause = .system(SystemCallError(call, code: code))
        }
    }

    /// One line for the log or the terminal, with a hint where there is one.
    public var description: String {
        switch cause {
        case .busy:
            "\(path): busy: another program has the port open with exclusive access. "
                + "`fuser -v \(path)` or `lsof \(path)` names it. The usual ones: ModemManager probing a new adapter "
                + "(`systemctl status ModemManager`; install contrib/60-vitals.rules, or `sudo systemctl stop ModemManager`), "
                + "brltty claiming a USB-serial adapter as a braille display (`systemctl status brltty`; `sudo apt remove brltty`), "
                + "another `vitals run` (`pgrep -a vitals`), or a terminal program (screen, minicom, picocom)"
        case .permissionDenied:
            "\(path): permission denied: add the user to the port's group (usually `dialout`: `sudo usermod -aG dialout $USER`, then log in again) or install contrib/60-vitals.rules"
        case .noSuchDevice:
            "\(path): no such device (unplugged, or the name is wrong)"
        case .notATerminal:
            "\(path): not a serial port (termios calls fail on it)"
        case .unsupportedSettings(let what):
            "\(path): unsupported serial settings: \(what)"
        case .closed:
            "\(path): the port is closed"
        case .writeTimedOut:
            "\(path): write timed out (the device is not accepting data)"
        case .system(let error):
            "\(path): \(error)"
        }
    }
}
