import DeviceProtocols

/// Chooses a profile for a serial port: the devices file first (by USB serial number, then by
/// path), then the built-in table of each profile's ``USBMatch``es.
///
/// A generic adapter (FTDI 0403:6001, CP210x, PL2303, CH340) is never assigned on its ids
/// alone: ``USBMatch/matches(vendorID:productID:manufacturer:product:)`` refuses it unless the
/// entry also names manufacturer or product strings. Such a port gets no profile, with a
/// reason saying how to assign one (devices file, or `--probe` with ``ProfileProber``).
public struct DeviceMatcher: Sendable {
    /// The room's devices file, if any.
    public var devicesFile: DevicesFile?
    /// The profiles to choose from (the catalog by default).
    public var profiles: [any DeviceProfile.Type]
    /// Resolves a path through symlinks (`realpath`); injectable for tests.
    var resolve: @Sendable (String) -> String?

    /// A matcher over `profiles` with an optional devices file.
    public init(devicesFile: DevicesFile? = nil, profiles: [any DeviceProfile.Type] = ProfileCatalog.all) {
        self.devicesFile = devicesFile
        self.profiles = profiles
        self.resolve = { SerialDeviceInfo.resolvedPath($0) }
    }

    /// The profile for `device`, and why.
    public func match(_ device: SerialDeviceInfo) -> DeviceMatch {
        if let file = devicesFile {
            if let serial = device.usb?.serialNumber,
               let entry = file.entries.first(where: { $0.key == .serialNumber(serial) }),
               let profile = profile(named: entry.profileID) {
                return DeviceMatch(
                    profile: profile, label: entry.label,
                    reason: .devicesFileSerial(serial: serial, file: file.path, line: entry.line)
                )
            }
            for entry in file.entries {
                guard case .port(let port) = entry.key, refersTo(port, device), let profile = profile(named: entry.profileID) else {
                    continue
                }
                return DeviceMatch(
                    profile: profile, label: entry.label,
                    reason: .devicesFilePort(port: port, file: file.path, line: entry.line)
                )
            }
        }

        guard let usb = device.usb else { return DeviceMatch(profile: nil, reason: .notUSB) }
        var found: [(profile: any DeviceProfile.Type, match: USBMatch)] = []
        for profile in profiles {
            if let match = profile.usbMatches.first(where: {
                $0.matches(vendorID: usb.vendorID, productID: usb.productID, manufacturer: usb.manufacturer, product: usb.product)
            }) {
                found.append((profile, match))
            }
        }
        if found.count == 1 {
            return DeviceMatch(profile: found[0].profile, reason: .builtIn(ids: usb.ids, source: found[0].match.source))
        }
        if found.count > 1 {
            return DeviceMatch(profile: nil, reason: .ambiguous(ids: usb.ids, profiles: found.map { $0.profile.id }))
        }
        if USBMatch.isGeneric(vendorID: usb.vendorID, productID: usb.productID) {
            return DeviceMatch(profile: nil, reason: .genericAdapter(ids: usb.ids))
        }
        return DeviceMatch(profile: nil, reason: .unknownUSB(ids: usb.ids))
    }

    private func profile(named id: String) -> (any DeviceProfile.Type)? {
        profiles.first { $0.id == id }
    }

    /// True when `path` names `device`: its node, one of its by-id links, or a link to its node.
    private func refersTo(_ path: String, _ device: SerialDeviceInfo) -> Bool {
        if path == device.devnode || device.byIDPaths.contains(path) { return true }
        guard let resolved = resolve(path) else { return false }
        return resolved == device.devnode || resolve(device.devnode) == resolved
    }
}
