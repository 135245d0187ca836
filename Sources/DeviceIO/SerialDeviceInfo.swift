/// A serial port the system has, as a plain value: what ``UdevEnumerator`` lists and
/// ``UdevMonitor`` reports, safe to pass between threads (no libudev object inside).
public struct SerialDeviceInfo: Sendable, Hashable {
    /// The device node (`/dev/ttyUSB0`).
    public var devnode: String
    /// The sysfs path (`/sys/devices/pci0000:00/…/ttyUSB0`).
    public var syspath: String
    /// The kernel name (`ttyUSB0`).
    public var sysname: String
    /// The tty's driver subsystem parent, where sysfs shows one (`ftdi_sio`, `cdc_acm`).
    public var driver: String?
    /// Stable `/dev/serial/by-id/…` links to this port (from udev's `DEVLINKS`, or found by
    /// resolving the links in `/dev/serial/by-id`); empty without udevd.
    public var byIDPaths: [String]
    /// The USB device behind the port, or `nil` for a built-in or virtual port.
    public var usb: USBDeviceInfo?

    /// A serial device.
    public init(
        devnode: String, syspath: String = "", sysname: String? = nil, driver: String? = nil,
        byIDPaths: [String] = [], usb: USBDeviceInfo? = nil
    ) {
        self.devnode = devnode
        self.syspath = syspath
        self.sysname = sysname ?? String(devnode.split(separator: "/").last ?? Substring(devnode))
        self.driver = driver
        self.byIDPaths = byIDPaths
        self.usb = usb
    }
}
