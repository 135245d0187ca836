import DeviceIO
import VitalsTestSupport
import DeviceProtocols
import Glibc
import Testing

extension TTYTests {
    /// udev enumeration, hot-plug and an emulated `/dev/ttyUSB0` on a umockdev testbed. The
    /// testbed is process-wide (`UMOCKDEV_DIR`), so these tests run one at a time.
    @Suite(
        "DeviceIO on a umockdev testbed", .serialized,
        .enabled(if: UmockdevTestbed.preloadActive, Comment(rawValue: UmockdevTestbed.skipReason))
    )
    struct UmockdevTests {
        static let ttySyspath = "/sys/devices/pci0000:00/usb1/1-1/ttyUSB0"

        @Test func enumeratesAnFTDIAdapterWithItsUdevProperties() throws {
            let testbed = UmockdevTestbed()
            try testbed.add(UmockdevTestbed.ftdiWithProperties())
            let devices = try UdevEnumerator.serialDevices()
            let device = try #require(devices.first { $0.devnode == "/dev/ttyUSB0" })
            #expect(device.sysname == "ttyUSB0")
            #expect(device.syspath == Self.ttySyspath)
            let usb = try #require(device.usb)
            #expect(usb.vendorID == 0x0403)
            #expect(usb.productID == 0x6001)
            #expect(usb.serialNumber == "A10KZ3QB")
            #expect(usb.manufacturer == "FTDI")
            #expect(usb.product == "FT232R_USB_UART")
            #expect(usb.source == .udevProperties)
            // A generic adapter: found, but not assigned a profile on its ids.
            let match = DeviceMatcher().match(device)
            #expect(match.profile == nil)
            #expect(match.reason == .genericAdapter(ids: "0403:6001"))
        }

        @Test func withoutUdevPropertiesTheParentsSysfsAttributesAreRead() throws {
            let testbed = UmockdevTestbed()
            try testbed.add(UmockdevTestbed.ftdiSysfsOnly())
            let devices = try UdevEnumerator.serialDevices()
            let usb = try #require(devices.first { $0.devnode == "/dev/ttyUSB0" }?.usb)
            #expect(usb == USBDeviceInfo(
                vendorID: 0x0403, productID: 0x6001, serialNumber: "B77X", manufacturer: "FTDI",
                product: "FT232R USB UART", source: .sysfsAttributes
            ))
        }

        @Test(arguments: [UdevMonitor.Source.udev, .kernel])
        func addAndRemoveReachTheMonitor(source: UdevMonitor.Source) async throws {
            let testbed = UmockdevTestbed()
            let events = EventCollector<UdevEvent>()
            // The monitor must start after the testbed exists: it binds its socket into it.
            let monitor = try UdevMonitor(source: source) { events.append($0) }
            defer { monitor.stop() }
            #expect(monitor.source == source)

            // Adding emits `add` for the USB parent and then the tty; only the tty is reported.
            try testbed.add(UmockdevTestbed.ftdiWithProperties())
            let added = await events.wait { $0.contains { $0.action == .add } }
            #expect(added.count == 1)
            let add = try #require(added.first)
            #expect(add.action == .add)
            #expect(add.device.devnode == "/dev/ttyUSB0")
            #expect(add.device.usb?.vendorID == 0x0403)

            testbed.uevent(Self.ttySyspath, "remove")
            let all = await events.wait { $0.contains { $0.action == .remove } }
            let remove = try #require(all.last)
            #expect(remove.action == .remove)
            #expect(remove.device.devnode == "/dev/ttyUSB0")
            #expect(all.count == 2)
        }

        @Test func aReplugUnderTheNextNameIsAnnounced() async throws {
            let testbed = UmockdevTestbed()
            try testbed.add(UmockdevTestbed.ftdiWithProperties())
            let (monitor, stream) = try UdevMonitor.stream(source: .udev)
            testbed.uevent(Self.ttySyspath, "remove")
            testbed.remove(Self.ttySyspath)
            testbed.remove("/sys/devices/pci0000:00/usb1/1-1")
            // The kernel often gives a replugged adapter the next name; the serial number stays.
            try testbed.add(UmockdevTestbed.ftdiWithProperties(tty: "ttyUSB1"))
            var seen: [UdevEvent] = []
            for await event in stream {
                seen.append(event)
                if event.action == .add { monitor.stop() }
            }
            #expect(seen.map(\.action) == [.remove, .add])
            #expect(seen.map(\.device.devnode) == ["/dev/ttyUSB0", "/dev/ttyUSB1"])
            #expect(seen.last?.device.usb?.serialNumber == "A10KZ3QB")
        }

        /// umockdev answers the termios2 ioctl with ENOTTY; a pty has no line speed, so the
        /// port opens anyway (a real UART that refused the speed would be an error).
        @Test func aCustomSpeedIsAcceptedOnTheEmulatedPort() throws {
            let testbed = UmockdevTestbed()
            try testbed.add(UmockdevTestbed.ftdiWithProperties())
            let port = try SerialPort.open("/dev/ttyUSB0", settings: SerialSettings(baudRate: 250_000))
            #expect(port.isPseudoTerminal)
            #expect(port.fileDescriptor != nil)
            port.close()
        }

        @Test func theEmulatedPortCarriesBytesBothWays() async throws {
            let testbed = UmockdevTestbed()
            try testbed.add(UmockdevTestbed.ftdiWithProperties())
            let contec = SerialSettings(baudRate: 19200, parity: .odd)
            let port = try SerialPort.open("/dev/ttyUSB0", settings: contec)
            defer { port.close() }
            // umockdev backs the node with a pty.
            #expect(port.isPseudoTerminal)
            let busy = #expect(throws: SerialPortError.self) { _ = try SerialPort.open("/dev/ttyUSB0", settings: contec) }
            #expect(busy?.cause == .busy)

            let events = EventCollector<PortEvent>()
            let reader = try PortReader(port: port) { events.append($0) }
            defer { reader.stop() }
            let device = testbed.deviceFileDescriptor("/dev/ttyUSB0")
            try #require(device >= 0)
            let sent: [UInt8] = Array(0...255) + [0x11, 0x13, 0x0D, 0x0A]
            #expect(sent.withUnsafeBytes { Glibc.write(device, $0.baseAddress!, $0.count) } == sent.count)
            let received = await events.wait { PortReaderTests.bytes($0).count >= sent.count }
            #expect(PortReaderTests.bytes(received) == sent)

            // A host command written to the port reaches the device side unchanged.
            let command: [UInt8] = [0x3A, 0x79, 0x03, 0x00, 0x4A]
            try port.write(command)
            var fromHost: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 64)
            while fromHost.count < command.count {
                var pfd = pollfd(fd: device, events: Int16(POLLIN), revents: 0)
                guard poll(&pfd, 1, 5000) > 0 else { break }
                let n = buffer.withUnsafeMutableBytes { Glibc.read(device, $0.baseAddress!, $0.count) }
                guard n > 0 else { break }
                fromHost += buffer[0..<n]
            }
            #expect(fromHost == command)
        }
    }
}
