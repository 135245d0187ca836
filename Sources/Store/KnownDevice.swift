/// A device the room identified once (by a probe, or the devices file), kept so that a replug or
/// a restart attaches it at once instead of probing again: table `known_devices` (docs/SCHEMA.md).
public struct KnownDevice: Sendable, Hashable {
    /// The identity key: `usb:VVVV:PPPP:SERIAL` for an adapter with a USB serial number, else
    /// `path:...` (the port's physical position: its USB path in sysfs, as `/dev/serial/by-path`
    /// names it, or the device node of a port without USB).
    public var key: String
    /// USB vendor id, when the port is USB.
    public var usbVendorID: UInt16?
    /// USB product id.
    public var usbProductID: UInt16?
    /// USB serial number, when the adapter has one.
    public var serialNumber: String?
    /// The physical path, when the identity is by path.
    public var path: String?
    /// The profile the device speaks.
    public var profile: String
    /// Its serial settings as text (`9600 8N1`), for people: the profile owns the real settings.
    public var settings: String
    /// The device's name in the room (its id in sessions).
    public var name: String
    /// How it was identified: `probe` or `devices-file`.
    public var source: String
    /// The evidence (the probe's summary, or the devices file's line).
    public var evidence: String
    /// When it was first identified, ms since 1970 UTC.
    public var firstSeen: Int64
    /// When it was last attached by this identity.
    public var lastSeen: Int64

    /// A known device.
    public init(
        key: String, usbVendorID: UInt16? = nil, usbProductID: UInt16? = nil, serialNumber: String? = nil, path: String? = nil,
        profile: String, settings: String, name: String, source: String, evidence: String, firstSeen: Int64, lastSeen: Int64
    ) {
        self.key = key
        self.usbVendorID = usbVendorID
        self.usbProductID = usbProductID
        self.serialNumber = serialNumber
        self.path = path
        self.profile = profile
        self.settings = settings
        self.name = name
        self.source = source
        self.evidence = evidence
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}
