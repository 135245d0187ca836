/// A device attached to a session, with when, for `vitals session show`.
public struct AttachedDevice: Sendable, Hashable {
    /// The device profile.
    public var profile: String
    /// The device's name.
    public var name: String
    /// USB vendor and product ids, where known.
    public var usbVendorID: UInt16?
    /// USB product id, where known.
    public var usbProductID: UInt16?
    /// Serial number, where known.
    public var serialNumber: String?
    /// First data of this device in the session.
    public var attachedAt: Int64
    /// When it was disconnected or the session ended.
    public var detachedAt: Int64?

    /// An attached device.
    public init(
        profile: String, name: String, usbVendorID: UInt16?, usbProductID: UInt16?, serialNumber: String?,
        attachedAt: Int64, detachedAt: Int64?
    ) {
        self.profile = profile
        self.name = name
        self.usbVendorID = usbVendorID
        self.usbProductID = usbProductID
        self.serialNumber = serialNumber
        self.attachedAt = attachedAt
        self.detachedAt = detachedAt
    }
}
