@testable import DeviceIO
import DeviceProtocols
import Glibc
import Testing

/// The flags a real UART receives. A pty cannot show data bits and parity (its driver forces
/// 8N1), so they are checked on the termios value the port hands to `tcsetattr`.
@Suite("Termios flags for a profile's settings")
struct TermiosConfigurationTests {
    static func configured(_ settings: SerialSettings) throws -> termios {
        let config = try TermiosConfiguration(settings: settings, path: "/dev/ttyTEST")
        var tio = termios()
        // Start from a cooked, flow-controlled line, as a port left by another program may be.
        tio.c_iflag = tcflag_t(IXON) | tcflag_t(IXOFF) | tcflag_t(ICRNL)
        tio.c_lflag = tcflag_t(ECHO) | tcflag_t(ICANON) | tcflag_t(ISIG)
        tio.c_cflag = tcflag_t(CS7) | tcflag_t(PARENB) | tcflag_t(CSTOPB) | tcflag_t(CRTSCTS)
        config.apply(to: &tio)
        return tio
    }

    static func has(_ flags: tcflag_t, _ flag: some BinaryInteger) -> Bool { flags & tcflag_t(flag) != 0 }

    @Test func contecEightOddOne() throws {
        let tio = try Self.configured(SerialSettings(baudRate: 19200, dataBits: 8, parity: .odd, stopBits: 1))
        #expect(tio.c_cflag & tcflag_t(CSIZE) == tcflag_t(CS8))
        #expect(Self.has(tio.c_cflag, PARENB))
        #expect(Self.has(tio.c_cflag, PARODD))
        #expect(!Self.has(tio.c_cflag, CSTOPB))
        #expect(!Self.has(tio.c_cflag, CRTSCTS))
        #expect(Self.has(tio.c_cflag, CLOCAL) && Self.has(tio.c_cflag, CREAD))
        #expect(!Self.has(tio.c_iflag, IXON) && !Self.has(tio.c_iflag, IXOFF) && !Self.has(tio.c_iflag, IXANY))
        #expect(!Self.has(tio.c_iflag, ICRNL))
        #expect(!Self.has(tio.c_lflag, ECHO) && !Self.has(tio.c_lflag, ICANON) && !Self.has(tio.c_lflag, ISIG))
        var copy = tio
        #expect(cfgetospeed(&copy) == speed_t(B19200))
        #expect(cfgetispeed(&copy) == speed_t(B19200))
    }

    @Test func sevenEvenTwoWithHardwareFlowControl() throws {
        let tio = try Self.configured(SerialSettings(baudRate: 1200, dataBits: 7, parity: .even, stopBits: 2, rtsCts: true))
        #expect(tio.c_cflag & tcflag_t(CSIZE) == tcflag_t(CS7))
        #expect(Self.has(tio.c_cflag, PARENB))
        #expect(!Self.has(tio.c_cflag, PARODD))
        #expect(Self.has(tio.c_cflag, CSTOPB))
        #expect(Self.has(tio.c_cflag, CRTSCTS))
    }

    @Test func eightNoneOneClearsParity() throws {
        let tio = try Self.configured(SerialSettings(baudRate: 9600))
        #expect(tio.c_cflag & tcflag_t(CSIZE) == tcflag_t(CS8))
        #expect(!Self.has(tio.c_cflag, PARENB))
        #expect(!Self.has(tio.c_cflag, CSTOPB))
        #expect(!Self.has(tio.c_cflag, CRTSCTS))
    }

    @Test func speedsWithoutAConstantGoThroughTermios2() throws {
        let custom = try TermiosConfiguration(settings: SerialSettings(baudRate: 250_000), path: "/dev/ttyTEST")
        #expect(custom.customBaud == 250_000)
        let standard = try TermiosConfiguration(settings: SerialSettings(baudRate: 115_200), path: "/dev/ttyTEST")
        #expect(standard.customBaud == nil)
        #expect(standard.speed == speed_t(B115200))
        #expect(throws: SerialPortError(path: "/dev/ttyTEST", cause: .unsupportedSettings("3 stop bits"))) {
            _ = try TermiosConfiguration(settings: SerialSettings(baudRate: 9600, stopBits: 3), path: "/dev/ttyTEST")
        }
    }

    @Test func aDriverThatDropsParityIsRefusedUnlessItIsAPty() throws {
        let config = try TermiosConfiguration(settings: SerialSettings(baudRate: 19200, parity: .odd), path: "/dev/ttyTEST")
        var actual = termios()
        config.apply(to: &actual)
        #expect(config.refusedSettings(actual: actual, pseudoTerminal: false) == nil)
        actual.c_cflag &= ~tcflag_t(PARENB)
        #expect(config.refusedSettings(actual: actual, pseudoTerminal: false) == "the data bits or parity")
        #expect(config.refusedSettings(actual: actual, pseudoTerminal: true) == nil)
        actual.c_cflag |= tcflag_t(CRTSCTS)
        #expect(config.refusedSettings(actual: actual, pseudoTerminal: true) != nil)
    }
}
