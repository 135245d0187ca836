/// Who produced an observation: the device profile and how this one device is known.
public struct DeviceIdentity: Sendable, Hashable, Codable {
    /// The device profile (`nonin-df7`, `suntech-advantage`, ...).
    public var profile: String
    /// A stable name for this device within a room: a label from the devices file, the USB
    /// serial number, or the port path; in replay, the profile (suffixed `#2` for a second one).
    public var name: String
    /// USB vendor id, where known.
    public var usbVendorID: UInt16?
    /// USB product id, where known.
    public var usbProductID: UInt16?
    /// USB serial number, where known.
    public var serialNumber: String?
    /// The port it is attached to (`/dev/ttyUSB0`), or the fixture it was replayed from.
    public var port: String?

    /// A device identity.
    public init(
        profile: String, name: String, usbVendorID: UInt16? = nil, usbProductID: UInt16? = nil,
        serialNumber: String? = nil, port: String? = nil
    ) {
        self.profile = profile
        self.name = name
        self.usbVendorID = usbVendorID
        self.usbProductID = usbProductID
        self.serialNumber = serialNumber
        self.port = port
    }
}
