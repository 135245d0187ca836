import CUmockdev
import Foundation

/// A umockdev testbed: an emulated sysfs and /dev that libudev and `open()` see while the test
/// process runs under the umockdev preload (`umockdev-wrapper swift test --skip-build`).
public final class UmockdevTestbed {
    /// The preload is active, so the testbed is visible to this process.
    public static let preloadActive = ProcessInfo.processInfo.environment["LD_PRELOAD"]?.contains("libumockdev-preload") == true

    /// Why the umockdev tests are skipped when the preload is not active.
    public static let skipReason = "needs the umockdev preload: run `umockdev-wrapper swift test --skip-build` (`make test` does)"

    /// An FTDI FT232R adapter with udev's `ID_*` properties on the tty, as when udevd ran.
    public static func ftdiWithProperties(tty: String = "ttyUSB0", serial: String = "A10KZ3QB", usbPort: String = "1-1") -> String {
        """
        P: /devices/pci0000:00/usb1/\(usbPort)
        E: SUBSYSTEM=usb
        E: ID_VENDOR_ID=0403
        E: ID_MODEL_ID=6001
        A: idVendor=0403
        A: idProduct=6001

        P: /devices/pci0000:00/usb1/\(usbPort)/\(tty)
        N: \(tty)
        E: DEVNAME=/dev/\(tty)
        E: SUBSYSTEM=tty
        E: ID_VENDOR_ID=0403
        E: ID_MODEL_ID=6001
        E: ID_SERIAL_SHORT=\(serial)
        E: ID_VENDOR=FTDI
        E: ID_MODEL=FT232R_USB_UART

        """
    }

    /// The sysfs path of the tty `ftdiWithProperties` adds.
    public static func ttySyspath(tty: String = "ttyUSB0", usbPort: String = "1-1") -> String {
        "/sys/devices/pci0000:00/usb1/\(usbPort)/\(tty)"
    }

    /// The same adapter as a machine without udevd sees it: no `ID_*` properties, only the
    /// parent USB device's sysfs attributes (and no DEVTYPE, so the parent is found by walking up).
    public static func ftdiSysfsOnly(tty: String = "ttyUSB0") -> String {
        """
        P: /devices/pci0000:00/usb2/2-1
        E: SUBSYSTEM=usb
        A: idVendor=0403
        A: idProduct=6001
        A: serial=B77X
        A: manufacturer=FTDI
        A: product=FT232R USB UART

        P: /devices/pci0000:00/usb2/2-1/\(tty)
        N: \(tty)
        E: DEVNAME=/dev/\(tty)
        E: SUBSYSTEM=tty

        """
    }

    private let testbed: UnsafeMutablePointer<UMockdevTestbed>

    /// A new, empty testbed (sets `UMOCKDEV_DIR` for this process until released).
    public init() {
        testbed = umockdev_testbed_new()
    }

    deinit {
        g_object_unref(testbed)
    }

    /// Adds devices from umockdev's record format; emits an `add` uevent for each.
    public func add(_ record: String) throws {
        var error: UnsafeMutablePointer<GError>?
        guard umockdev_testbed_add_from_string(testbed, record, &error) != 0 else {
            let message = error.map { String(cString: $0.pointee.message) } ?? "unknown error"
            if let error { g_error_free(error) }
            throw TestbedError(message: message)
        }
    }

    /// Sends `action` (`add`, `remove`, `change`) for the device at `syspath`.
    public func uevent(_ syspath: String, _ action: String) {
        umockdev_testbed_uevent(testbed, syspath, action)
    }

    /// Removes the device at `syspath` from the testbed.
    public func remove(_ syspath: String) {
        umockdev_testbed_remove_device(testbed, syspath)
    }

    /// The device side of an emulated tty (`/dev/ttyUSB0`): what the device writes and reads.
    public func deviceFileDescriptor(_ devnode: String) -> Int32 {
        umockdev_testbed_get_dev_fd(testbed, devnode)
    }

    /// umockdev refused a device record.
    public struct TestbedError: Error, CustomStringConvertible {
        /// umockdev's message.
        public var message: String
        public var description: String { "umockdev: \(message)" }
    }
}
