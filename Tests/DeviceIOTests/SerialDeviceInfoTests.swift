@testable import DeviceIO
import Testing

@Suite("SerialDeviceInfo")
struct SerialDeviceInfoTests {
    @Test func udevEscapesAreDecoded() {
        #expect(SerialDeviceInfo.decodeUdevEscapes(#"FTDI\x20Inc."#) == "FTDI Inc.")
        #expect(SerialDeviceInfo.decodeUdevEscapes(#"Nonin\x20Medical\x2c\x20Inc"#) == "Nonin Medical, Inc")
        // Not an escape: left alone.
        #expect(SerialDeviceInfo.decodeUdevEscapes(#"a\xZZb\x2"#) == #"a\xZZb\x2"#)
        #expect(SerialDeviceInfo.decodeUdevEscapes("") == "")
    }

    @Test func theKernelNameDefaultsToTheNodesLastComponent() {
        #expect(SerialDeviceInfo(devnode: "/dev/ttyACM0").sysname == "ttyACM0")
        #expect(USBDeviceInfo(vendorID: 0x10C4, productID: 0xEA60, source: .sysfsAttributes).ids == "10c4:ea60")
    }
}
