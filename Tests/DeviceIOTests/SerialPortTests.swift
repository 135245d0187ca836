import CTermios2
import DeviceIO
import DeviceProtocols
import Glibc
import Testing

extension TTYTests {
    @Suite("SerialPort on a real pty")
    struct SerialPortTests {
        /// The Contec CMS50 legacy stream's settings.
        static let contec = SerialSettings(baudRate: 19200, dataBits: 8, parity: .odd, stopBits: 1)

        static func attributes(_ port: SerialPort) throws -> termios {
            var tio = termios()
            let fd = try #require(port.fileDescriptor)
            try #require(tcgetattr(fd, &tio) == 0)
            return tio
        }

        static func has(_ flags: tcflag_t, _ flag: some BinaryInteger) -> Bool { flags & tcflag_t(flag) != 0 }

        @Test func contecSettingsAreApplied() throws {
            let pty = try PseudoTerminal()
            defer { pty.close() }
            let port = try SerialPort.open(pty.slavePath, settings: Self.contec)
            defer { port.close() }
            let tio = try Self.attributes(port)
            #expect(cfgetospeed([tio]) == speed_t(B19200))
            #expect(cfgetispeed([tio]) == speed_t(B19200))
            // The pty driver keeps 8 data bits and clears PARENB whatever is asked
            // (drivers/tty/pty.c); the port knows it. TermiosConfigurationTests check the 8O1 flags
            // that a real UART receives.
            #expect(port.isPseudoTerminal)
            #expect(tio.c_cflag & tcflag_t(CSIZE) == tcflag_t(CS8))
            #expect(Self.has(tio.c_cflag, PARODD))
            #expect(!Self.has(tio.c_cflag, CSTOPB))
            #expect(Self.has(tio.c_cflag, CLOCAL))
            #expect(Self.has(tio.c_cflag, CREAD))
            #expect(!Self.has(tio.c_cflag, CRTSCTS))
            // No software flow control: 0x11 and 0x13 are data.
            #expect(!Self.has(tio.c_iflag, IXON))
            #expect(!Self.has(tio.c_iflag, IXOFF))
            #expect(!Self.has(tio.c_iflag, IXANY))
            // Raw: no echo, no canonical mode, no signals, no output processing, no CR/LF mapping.
            #expect(!Self.has(tio.c_lflag, ECHO))
            #expect(!Self.has(tio.c_lflag, ICANON))
            #expect(!Self.has(tio.c_lflag, ISIG))
            #expect(!Self.has(tio.c_oflag, OPOST))
            #expect(!Self.has(tio.c_iflag, ICRNL))
        }

        @Test func sevenEvenTwoWithRtsCts() throws {
            let pty = try PseudoTerminal()
            defer { pty.close() }
            let settings = SerialSettings(baudRate: 2400, dataBits: 7, parity: .even, stopBits: 2, rtsCts: true)
            let port = try SerialPort.open(pty.slavePath, settings: settings)
            defer { port.close() }
            let tio = try Self.attributes(port)
            #expect(cfgetospeed([tio]) == speed_t(B2400))
            #expect(!Self.has(tio.c_cflag, PARODD))
            #expect(Self.has(tio.c_cflag, CSTOPB))
            #expect(Self.has(tio.c_cflag, CRTSCTS))
        }

        @Test func exclusiveAccessRefusesASecondOpen() throws {
            let pty = try PseudoTerminal()
            defer { pty.close() }
            let first = try SerialPort.open(pty.slavePath, settings: Self.contec)
            var exclusive: Int32 = 0
            // TIOCGEXCL is `_IOR('T', 0x40, int)`, a macro Swift cannot import.
            let tiocgexcl: UInt = 0x8004_5440
            #expect(ioctl(try #require(first.fileDescriptor), tiocgexcl, &exclusive) == 0)
            #expect(exclusive == 1)

            let error = #expect(throws: SerialPortError.self) {
                _ = try SerialPort.open(pty.slavePath, settings: Self.contec)
            }
            #expect(error?.cause == .busy)
            #expect(error?.path == pty.slavePath)
            #expect(error?.description.contains("busy") == true)
            // The message names the usual holders and the commands that tell them apart.
            for hint in ["fuser -v \(pty.slavePath)", "lsof \(pty.slavePath)", "systemctl status ModemManager", "brltty",
                         "another `vitals run`"] {
                #expect(error?.description.contains(hint) == true, "busy message lacks \(hint)")
            }

            // Closing releases it for the next opener (TIOCNXCL, flock released).
            first.close()
            let second = try SerialPort.open(pty.slavePath, settings: Self.contec)
            second.close()
        }

        /// termios2 on a pty: the kernel stores the custom speed (and otherwise ignores it), so the
        /// BOTHER call path is exercised and read back even without a real UART.
        @Test func nonStandardSpeedGoesThroughTermios2() throws {
            let pty = try PseudoTerminal()
            defer { pty.close() }
            let port = try SerialPort.open(pty.slavePath, settings: SerialSettings(baudRate: 250_000))
            defer { port.close() }
            #expect(vitals_get_baud(try #require(port.fileDescriptor)) == 250_000)
            let other = try PseudoTerminal()
            defer { other.close() }
            let standard = try SerialPort.open(other.slavePath, settings: SerialSettings(baudRate: 115_200))
            defer { standard.close() }
            #expect(vitals_get_baud(try #require(standard.fileDescriptor)) == 115_200)
        }

        @Test func errorsNameThePortAndTheCause() throws {
            let missing = #expect(throws: SerialPortError.self) {
                _ = try SerialPort.open("/dev/ttyVITALSNOPE0", settings: Self.contec)
            }
            #expect(missing?.cause == .noSuchDevice)
            #expect(missing?.description.hasPrefix("/dev/ttyVITALSNOPE0: no such device") == true)

            let notATTY = #expect(throws: SerialPortError.self) {
                _ = try SerialPort.open("/dev/null", settings: Self.contec)
            }
            #expect(notATTY?.cause == .notATerminal)

            let pty = try PseudoTerminal()
            defer { pty.close() }
            let unsupported = #expect(throws: SerialPortError.self) {
                _ = try SerialPort.open(pty.slavePath, settings: SerialSettings(baudRate: 9600, dataBits: 9))
            }
            #expect(unsupported?.cause == .unsupportedSettings("9 data bits"))

            let denied = SerialPortError(path: "/dev/ttyUSB0", cause: .permissionDenied)
            #expect(denied.description.contains("dialout"))
        }

        @Test func writesReachTheDeviceSideAndFailOnceClosed() throws {
            let pty = try PseudoTerminal()
            defer { pty.close() }
            let port = try SerialPort.open(pty.slavePath, settings: Self.contec)
            let command: [UInt8] = [0x3A, 0x20, 0xA6, 0x11, 0x13, 0x0A, 0x0D]
            try port.write(command)
            var received: [UInt8] = []
            while received.count < command.count {
                let chunk = try pty.read(timeout: .seconds(5))
                if chunk.isEmpty { break }
                received += chunk
            }
            // Raw output: no CR/LF translation, XON/XOFF passed through.
            #expect(received == command)
            port.close()
            #expect(port.isClosed)
            let error = #expect(throws: SerialPortError.self) { try port.write([0x00]) }
            #expect(error?.cause == .closed)
        }

        @Test func pseudoTerminalSymlinkPointsAtTheSlaveAndIsRemoved() throws {
            let link = "/tmp/vitals-deviceio-test-\(getpid())-link"
            let pty = try PseudoTerminal(linkPath: link)
            var buffer = [CChar](repeating: 0, count: 256)
            let n = readlink(link, &buffer, buffer.count)
            #expect(n > 0)
            #expect(String(decoding: buffer.prefix(max(0, n)).map { UInt8(bitPattern: $0) }, as: UTF8.self) == pty.slavePath)
            let port = try SerialPort.open(link, settings: Self.contec)
            port.close()
            pty.close()
            #expect(access(link, F_OK) != 0)
        }
    }
}
