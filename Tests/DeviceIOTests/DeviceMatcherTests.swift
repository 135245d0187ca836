import DeviceIO
import DeviceProtocols
import Foundation
import Testing

@Suite("DeviceMatcher and the devices file")
struct DeviceMatcherTests {
    static let profiles: [any DeviceProfile.Type] = [FakeA5.self, Fake5A.self, FakeFTDIMonitor.self, FakeOwnVendor.self]

    static func ftdi(serial: String? = "A10KZ3QB", product: String? = "FT232R USB UART", devnode: String = "/dev/ttyUSB0", byID: [String] = []) -> SerialDeviceInfo {
        SerialDeviceInfo(
            devnode: devnode, syspath: "/sys/devices/pci0000:00/usb1/1-1/1-1:1.0/ttyUSB0/tty/ttyUSB0",
            byIDPaths: byID,
            usb: USBDeviceInfo(vendorID: 0x0403, productID: 0x6001, serialNumber: serial, manufacturer: "FTDI", product: product, source: .udevProperties)
        )
    }

    @Test func aGenericFTDIAdapterIsNotGuessedOnItsIdsAlone() {
        let match = DeviceMatcher(profiles: Self.profiles).match(Self.ftdi())
        #expect(match.profile == nil)
        #expect(match.reason == .genericAdapter(ids: "0403:6001"))
        #expect(match.reason.description.contains("devices file"))
        #expect(match.identity(for: Self.ftdi()) == nil)
    }

    @Test func theBuiltInTableMatchesStringsOrOwnIds() {
        let matcher = DeviceMatcher(profiles: Self.profiles)
        let byStrings = matcher.match(Self.ftdi(product: "Fake Oximeter 2000"))
        #expect(byStrings.profile?.id == "fake-ftdi-monitor")
        #expect(byStrings.reason == .builtIn(ids: "0403:6001", source: "test"))

        let own = SerialDeviceInfo(
            devnode: "/dev/ttyACM0",
            usb: USBDeviceInfo(vendorID: 0xFFF0, productID: 0x0001, source: .sysfsAttributes)
        )
        #expect(matcher.match(own).profile?.id == "fake-own-vendor")

        let unknown = SerialDeviceInfo(devnode: "/dev/ttyACM1", usb: USBDeviceInfo(vendorID: 0x1234, productID: 0x5678, source: .udevProperties))
        #expect(matcher.match(unknown).reason == .unknownUSB(ids: "1234:5678"))
        #expect(matcher.match(SerialDeviceInfo(devnode: "/dev/ttyS0")).reason == .notUSB)
    }

    @Test func theDevicesFileAssignsBySerialByIDPathAndFixedPort() throws {
        let byID = "/dev/serial/by-id/usb-FTDI_FT232R_USB_UART_B77-if00-port0"
        let yaml = """
            # room 2
            devices:
              - serial: A10KZ3QB
                profile: fake-a5
                label: oximeter bay 1
              - port: \(byID)
                profile: fake-5a
              - port: /dev/ttyS0
                profile: fake-own-vendor
                label: cuff
            """
        let file = try DevicesFile.parse(yaml, path: "devices.yaml", profiles: Self.profiles)
        #expect(file.entries.count == 3)
        #expect(file.entries[0] == DevicesFile.Entry(key: .serialNumber("A10KZ3QB"), profileID: "fake-a5", label: "oximeter bay 1", line: 3))
        let matcher = DeviceMatcher(devicesFile: file, profiles: Self.profiles)

        let bySerial = matcher.match(Self.ftdi())
        #expect(bySerial.profile?.id == "fake-a5")
        #expect(bySerial.label == "oximeter bay 1")
        #expect(bySerial.reason == .devicesFileSerial(serial: "A10KZ3QB", file: "devices.yaml", line: 3))
        #expect(bySerial.reason.description == "USB serial number A10KZ3QB is assigned in devices.yaml:3")
        let identity = try #require(bySerial.identity(for: Self.ftdi()))
        #expect(identity.name == "oximeter bay 1")
        #expect(identity.profile == "fake-a5")
        #expect(identity.port == "/dev/ttyUSB0")
        #expect(identity.usbVendorID == 0x0403)

        let second = Self.ftdi(serial: "B77", devnode: "/dev/ttyUSB1", byID: [byID])
        let byPath = matcher.match(second)
        #expect(byPath.profile?.id == "fake-5a")
        #expect(byPath.reason == .devicesFilePort(port: byID, file: "devices.yaml", line: 6))
        #expect(byPath.identity(for: second)?.name == "B77")

        let fixed = matcher.match(SerialDeviceInfo(devnode: "/dev/ttyS0"))
        #expect(fixed.profile?.id == "fake-own-vendor")
        #expect(fixed.label == "cuff")

        // An adapter the file does not name is still not guessed.
        #expect(matcher.match(Self.ftdi(serial: "OTHER")).profile == nil)
    }

    @Test func anEmptyFileAssignsNothing() throws {
        #expect(try DevicesFile.parse("", path: "d.yaml").entries.isEmpty)
        #expect(try DevicesFile.parse("devices:\n", path: "d.yaml").entries.isEmpty)
    }

    @Test(arguments: [
        ("devices:\n  - serial: X\n    profile: fake-a9\n", 3, 14, "unknown profile \"fake-a9\""),
        ("devices:\n  - serial: X\n    profil: fake-a5\n", 3, 5, "unknown key \"profil\""),
        ("devices:\n  - serial: X\n", 2, 5, "needs `profile:`"),
        ("devices:\n  - profile: fake-a5\n", 2, 5, "needs `serial:`"),
        ("devices:\n  - port: ttyS0\n    profile: fake-a5\n", 2, 11, "absolute path"),
        ("devices:\n  - serial: X\n    profile: fake-a5\n  - serial: X\n    profile: fake-5a\n", 4, 5, "already assigned on line 2"),
        ("devices:\n  - serial: X\n    profile: [fake-a5\n", 4, 1, "YAML"),
        ("devices:\n  serial: X\n", 2, 3, "must be a list"),
        ("room: 2\n", 1, 1, "unknown key \"room\""),
    ])
    func badFilesReportFileLineAndColumn(yaml: String, line: Int, column: Int, message: String) {
        let error = #expect(throws: DevicesFileError.self) {
            _ = try DevicesFile.parse(yaml, path: "/etc/vitals/devices.yaml", profiles: Self.profiles)
        }
        #expect(error?.line == line)
        #expect(error?.column == column)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        #expect(error?.description.hasPrefix("/etc/vitals/devices.yaml:\(line):\(column): error: ") == true)
    }

    @Test func locateUsesTheExplicitFileOrTheFirstDefaultThatExists() throws {
        let home = FileManager.default.temporaryDirectory.path + "/vitals-deviceio-home-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: home) }
        let environment = ["HOME": home]
        #expect(DevicesFile.defaultPaths(environment: environment) == [home + "/.config/vitals/devices.yaml", "/etc/vitals/devices.yaml"])
        #expect(DevicesFile.defaultPaths(environment: ["XDG_CONFIG_HOME": "/x"]).first == "/x/vitals/devices.yaml")
        let missing = #expect(throws: DevicesFileError.self) {
            _ = try DevicesFile.locate(explicit: home + "/nope.yaml", environment: environment)
        }
        #expect(missing?.description.contains("cannot read") == true)

        try FileManager.default.createDirectory(atPath: home + "/.config/vitals", withIntermediateDirectories: true)
        try "devices:\n  - port: /dev/ttyS0\n    profile: fake-a5\n".write(
            toFile: home + "/.config/vitals/devices.yaml", atomically: true, encoding: .utf8
        )
        let found = try #require(try DevicesFile.locate(explicit: nil, environment: environment, profiles: Self.profiles))
        #expect(found.path == home + "/.config/vitals/devices.yaml")
        #expect(found.entries.map(\.key) == [.port("/dev/ttyS0")])
    }
}
