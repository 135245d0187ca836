/// The USB device a serial port belongs to, as udev or sysfs describes it.
public struct USBDeviceInfo: Sendable, Hashable {
    /// Where the identity was read from.
    public enum Source: String, Sendable, Hashable {
        /// udev's `ID_VENDOR_ID`/`ID_MODEL_ID`/`ID_SERIAL_SHORT`/… properties (udevd ran its rules).
        case udevProperties = "udev properties"
        /// The parent USB device's sysfs attributes `idVendor`, `idProduct`, `serial`,
        /// `manufacturer`, `product` (no udevd: containers, some CI machines).
        case sysfsAttributes = "sysfs attributes"
    }

    /// USB vendor id (`0x0403`).
    public var vendorID: UInt16
    /// USB product id (`0x6001`).
    public var productID: UInt16
    /// The USB serial number string, where the device has one.
    public var serialNumber: String?
    /// The USB manufacturer string (`FTDI`).
    public var manufacturer: String?
    /// The USB product string (`FT232R USB UART`).
    public var product: String?
    /// Where the vendor and product ids were read from.
    public var source: Source

    /// A USB identity.
    public init(
        vendorID: UInt16, productID: UInt16, serialNumber: String? = nil, manufacturer: String? = nil,
        product: String? = nil, source: Source
    ) {
        self.vendorID = vendorID
        self.productID = productID
        self.serialNumber = serialNumber
        self.manufacturer = manufacturer
        self.product = product
        self.source = source
    }

    /// `0403:6001`.
    public var ids: String { Self.hex(vendorID) + ":" + Self.hex(productID) }

    private static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
