import DeviceProtocols
import VitalsCore

/// The profile chosen for a serial port, or none, and why: what `vitals devices` prints.
public struct DeviceMatch: Sendable {
    /// Why a profile was or was not chosen.
    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        /// The devices file assigns the port's USB serial number.
        case devicesFileSerial(serial: String, file: String, line: Int)
        /// The devices file assigns the port's path (a by-id link or a fixed port).
        case devicesFilePort(port: String, file: String, line: Int)
        /// The built-in table: USB ids plus manufacturer/product strings.
        case builtIn(ids: String, source: String)
        /// ``ProfileProber`` found exactly one profile that decodes the port's bytes cleanly.
        case probed(String)
        /// More than one built-in entry matches; the devices file or `--probe` must decide.
        case ambiguous(ids: String, profiles: [String])
        /// A generic USB-serial adapter: its ids say nothing about the device behind it.
        case genericAdapter(ids: String)
        /// A USB device the built-in table does not know.
        case unknownUSB(ids: String)
        /// A port without USB identity (built-in RS-232) that the devices file does not name.
        case notUSB

        /// One line for `vitals devices`.
        public var description: String {
            switch self {
            case .devicesFileSerial(let serial, let file, let line):
                "USB serial number \(serial) is assigned in \(file):\(line)"
            case .devicesFilePort(let port, let file, let line):
                "\(port) is assigned in \(file):\(line)"
            case .builtIn(let ids, let source):
                "built-in table: USB \(ids) with matching manufacturer/product (\(source))"
            case .probed(let summary):
                "probed: \(summary)"
            case .ambiguous(let ids, let profiles):
                "USB \(ids) matches several profiles (\(profiles.joined(separator: ", "))): assign it in a devices file or use --probe"
            case .genericAdapter(let ids):
                "generic USB-serial adapter \(ids): not assigned on its ids alone; assign it in a devices file or use --probe"
            case .unknownUSB(let ids):
                "USB \(ids) is not in the built-in table: assign it in a devices file or use --probe"
            case .notUSB:
                "not a USB device and not in the devices file"
            }
        }
    }

    /// The profile, or `nil` when none could be chosen.
    public var profile: (any DeviceProfile.Type)?
    /// The name the devices file gives the device, if any.
    public var label: String?
    /// Why.
    public var reason: Reason

    /// A match.
    public init(profile: (any DeviceProfile.Type)?, label: String? = nil, reason: Reason) {
        self.profile = profile
        self.label = label
        self.reason = reason
    }

    /// The device's identity in the session, when a profile was chosen: named by its label,
    /// else its USB serial number, else its port.
    public func identity(for device: SerialDeviceInfo) -> DeviceIdentity? {
        guard let profile else { return nil }
        return DeviceIdentity(
            profile: profile.id, name: label ?? device.usb?.serialNumber ?? device.devnode,
            usbVendorID: device.usb?.vendorID, usbProductID: device.usb?.productID,
            serialNumber: device.usb?.serialNumber, port: device.devnode
        )
    }
}
