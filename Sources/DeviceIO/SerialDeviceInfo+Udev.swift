import CUdev
import Glibc

extension SerialDeviceInfo {
    /// Reads a tty `udev_device` into a value, on the thread that owns `device`. `nil` when it
    /// has no device node.
    ///
    /// USB identity: udev's `ID_*` properties first; for each one missing, the parent USB
    /// device's sysfs attribute (`idVendor`, `idProduct`, `serial`, `manufacturer`, `product`),
    /// which is all there is without udevd (`reference/swift-ecosystem.md` §2.4–2.5). For the
    /// strings, the sysfs attribute comes before udev's `ID_VENDOR`/`ID_MODEL`, which have
    /// underscores for spaces; `ID_VENDOR_ENC`/`ID_MODEL_ENC` come first.
    init?(udevDevice device: OpaquePointer, resolveByIDLinks: Bool = true) {
        guard let devnode = Self.string(udev_device_get_devnode(device))
            ?? Self.property(device, "DEVNAME").map({ $0.hasPrefix("/") ? $0 : "/dev/" + $0 })
        else { return nil }
        let syspath = Self.string(udev_device_get_syspath(device)) ?? ""
        let sysname = Self.string(udev_device_get_sysname(device))

        let parent = Self.usbParent(of: device)
        func attribute(_ name: String) -> String? {
            guard let parent else { return nil }
            return Self.string(udev_device_get_sysattr_value(parent, name))?.trimmingSpaces.nonEmpty
        }

        var usb: USBDeviceInfo?
        let propertyVendor = (Self.property(device, "ID_VENDOR_ID") ?? Self.property(device, "ID_USB_VENDOR_ID")).flatMap(Self.hex16)
        let propertyProduct = (Self.property(device, "ID_MODEL_ID") ?? Self.property(device, "ID_USB_MODEL_ID")).flatMap(Self.hex16)
        let vendor = propertyVendor ?? attribute("idVendor").flatMap(Self.hex16)
        let product = propertyProduct ?? attribute("idProduct").flatMap(Self.hex16)
        if let vendor, let product {
            usb = USBDeviceInfo(
                vendorID: vendor, productID: product,
                serialNumber: Self.property(device, "ID_SERIAL_SHORT") ?? Self.property(device, "ID_USB_SERIAL_SHORT")
                    ?? attribute("serial"),
                manufacturer: Self.encodedProperty(device, "ID_VENDOR") ?? attribute("manufacturer")
                    ?? Self.property(device, "ID_VENDOR"),
                product: Self.encodedProperty(device, "ID_MODEL") ?? attribute("product")
                    ?? Self.property(device, "ID_MODEL"),
                source: propertyVendor != nil && propertyProduct != nil ? .udevProperties : .sysfsAttributes
            )
        }

        var links: [String] = []
        var entry = udev_device_get_devlinks_list_entry(device)
        while let current = entry {
            if let name = Self.string(udev_list_entry_get_name(current)), name.hasPrefix(Self.byIDDirectory + "/") {
                links.append(name)
            }
            entry = udev_list_entry_get_next(current)
        }
        if links.isEmpty, resolveByIDLinks { links = Self.byIDLinks(pointingAt: devnode) }

        let driver = Self.property(device, "ID_USB_DRIVER")
            ?? udev_device_get_parent(device).flatMap { Self.string(udev_device_get_driver($0)) }
        self.init(devnode: devnode, syspath: syspath, sysname: sysname, driver: driver, byIDPaths: links.sorted(), usb: usb)
    }

    /// Where udevd puts stable links to serial ports.
    static let byIDDirectory = "/dev/serial/by-id"

    /// The USB device (not interface) above `device`: by subsystem and devtype where udev
    /// knows the devtype, else the nearest ancestor with an `idVendor` attribute.
    private static func usbParent(of device: OpaquePointer) -> OpaquePointer? {
        if let parent = udev_device_get_parent_with_subsystem_devtype(device, "usb", "usb_device") {
            return parent
        }
        var current = udev_device_get_parent(device)
        while let candidate = current {
            if udev_device_get_sysattr_value(candidate, "idVendor") != nil { return candidate }
            current = udev_device_get_parent(candidate)
        }
        return nil
    }

    /// Links in `/dev/serial/by-id` that resolve to `devnode`.
    static func byIDLinks(pointingAt devnode: String) -> [String] {
        guard let directory = opendir(byIDDirectory) else { return [] }
        defer { closedir(directory) }
        let target = resolvedPath(devnode) ?? devnode
        var links: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            let link = byIDDirectory + "/" + name
            if resolvedPath(link) == target { links.append(link) }
        }
        return links
    }

    /// `realpath` of `path`, or `nil` when it does not resolve.
    static func resolvedPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func property(_ device: OpaquePointer, _ key: String) -> String? {
        string(udev_device_get_property_value(device, key))?.nonEmpty
    }

    /// `KEY_ENC` with udev's `\xHH` escapes decoded: the exact USB string (plain `KEY` has
    /// spaces replaced by underscores, so it is only the last resort).
    private static func encodedProperty(_ device: OpaquePointer, _ key: String) -> String? {
        property(device, key + "_ENC").flatMap { decodeUdevEscapes($0).trimmingSpaces.nonEmpty }
    }

    /// Decodes udev's `\xHH` escapes (`FTDI\x20Inc` → `FTDI Inc`).
    static func decodeUdevEscapes(_ text: String) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "\\"), i + 3 < utf8.count, utf8[i + 1] == UInt8(ascii: "x"),
               let value = UInt8(String(decoding: utf8[(i + 2)...(i + 3)], as: UTF8.self), radix: 16) {
                bytes.append(value)
                i += 4
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hex16(_ text: String) -> UInt16? {
        UInt16(text.trimmingSpaces, radix: 16)
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and newlines.
    fileprivate var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }

    /// `nil` when empty.
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
