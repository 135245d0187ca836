import DeviceProtocols
import Glibc

/// The termios flags for a profile's ``SerialSettings``, validated before the port is opened.
struct TermiosConfiguration: Sendable {
    /// The `B…` constant, or `B38400` as a stand-in when ``customBaud`` is set.
    var speed: speed_t
    /// A speed with no `B…` constant, set afterwards through termios2.
    var customBaud: Int?
    /// `CS5` … `CS8`.
    var characterSize: tcflag_t
    /// `PARENB`, plus `PARODD` for odd parity.
    var parityFlags: tcflag_t
    /// Two stop bits.
    var twoStopBits: Bool
    /// RTS/CTS hardware flow control.
    var rtsCts: Bool

    /// Validates `settings` for the port at `path`.
    init(settings: SerialSettings, path: String) throws(SerialPortError) {
        func unsupported(_ what: String) -> SerialPortError {
            SerialPortError(path: path, cause: .unsupportedSettings(what))
        }
        guard settings.baudRate > 0 else { throw unsupported("speed \(settings.baudRate)") }
        if let constant = TermiosConfiguration.standardSpeeds[settings.baudRate] {
            speed = constant
            customBaud = nil
        } else {
            guard settings.baudRate <= Int(UInt32.max) else { throw unsupported("speed \(settings.baudRate)") }
            speed = speed_t(B38400)
            customBaud = settings.baudRate
        }
        switch settings.dataBits {
        case 5: characterSize = tcflag_t(CS5)
        case 6: characterSize = tcflag_t(CS6)
        case 7: characterSize = tcflag_t(CS7)
        case 8: characterSize = tcflag_t(CS8)
        default: throw unsupported("\(settings.dataBits) data bits")
        }
        switch settings.parity {
        case .none: parityFlags = 0
        case .odd: parityFlags = tcflag_t(PARENB) | tcflag_t(PARODD)
        case .even: parityFlags = tcflag_t(PARENB)
        }
        switch settings.stopBits {
        case 1: twoStopBits = false
        case 2: twoStopBits = true
        default: throw unsupported("\(settings.stopBits) stop bits")
        }
        rtsCts = settings.rtsCts
    }

    /// Sets `tio` raw with these settings.
    func apply(to tio: inout termios) {
        cfmakeraw(&tio)
        // cfmakeraw clears IXON only; XOFF/XON are data here in both directions.
        tio.c_iflag &= ~(tcflag_t(IXON) | tcflag_t(IXOFF) | tcflag_t(IXANY))
        // Parity errors are not checked by the line (no INPCK): the byte reaches the decoder,
        // whose own frame check rejects it and counts the bad frame.
        tio.c_cflag &= ~(tcflag_t(CSIZE) | tcflag_t(PARENB) | tcflag_t(PARODD) | tcflag_t(CSTOPB) | tcflag_t(CRTSCTS))
        tio.c_cflag |= characterSize | parityFlags | tcflag_t(CLOCAL) | tcflag_t(CREAD)
        if twoStopBits { tio.c_cflag |= tcflag_t(CSTOPB) }
        if rtsCts { tio.c_cflag |= tcflag_t(CRTSCTS) }
        withUnsafeMutableBytes(of: &tio.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        cfsetispeed(&tio, speed)
        cfsetospeed(&tio, speed)
    }

    /// What of these settings `actual` (read back after setting) lacks, or `nil` when all is in
    /// effect. A pseudo-terminal's forced 8 data bits without parity is accepted.
    func refusedSettings(actual: termios, pseudoTerminal: Bool) -> String? {
        var wanted = termios()
        apply(to: &wanted)
        let flags = tcflag_t(CSTOPB) | tcflag_t(CRTSCTS) | tcflag_t(CLOCAL) | tcflag_t(CREAD)
        if actual.c_cflag & flags != wanted.c_cflag & flags { return "stop bits, flow control or CLOCAL/CREAD" }
        if !pseudoTerminal {
            let framing = tcflag_t(CSIZE) | tcflag_t(PARENB) | tcflag_t(PARODD)
            if actual.c_cflag & framing != wanted.c_cflag & framing { return "the data bits or parity" }
        }
        var copy = actual
        if customBaud == nil, cfgetospeed(&copy) != speed { return "the speed" }
        return nil
    }

    /// Speeds that have a `B…` constant in glibc.
    static let standardSpeeds: [Int: speed_t] = [
        50: speed_t(B50), 75: speed_t(B75), 110: speed_t(B110), 134: speed_t(B134), 150: speed_t(B150),
        200: speed_t(B200), 300: speed_t(B300), 600: speed_t(B600), 1200: speed_t(B1200),
        1800: speed_t(B1800), 2400: speed_t(B2400), 4800: speed_t(B4800), 9600: speed_t(B9600),
        19200: speed_t(B19200), 38400: speed_t(B38400), 57600: speed_t(B57600),
        115200: speed_t(B115200), 230400: speed_t(B230400), 460800: speed_t(B460800),
        500000: speed_t(B500000), 576000: speed_t(B576000), 921600: speed_t(B921600),
        1000000: speed_t(B1000000), 1152000: speed_t(B1152000), 1500000: speed_t(B1500000),
        2000000: speed_t(B2000000), 2500000: speed_t(B2500000), 3000000: speed_t(B3000000),
        3500000: speed_t(B3500000), 4000000: speed_t(B4000000),
    ]
}
