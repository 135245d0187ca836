extension SerialDeviceInfo {
    /// The identity a room keeps for this port's device across replugs and restarts:
    /// `usb:0403:6001:A10KZ3QB` when the USB adapter has a serial number (it follows the adapter
    /// to any socket and any `ttyUSBn`), else `path:` and the port's physical position
    /// (``physicalPath``), which stays the same only while the adapter stays in the same socket.
    public var identityKey: String {
        if let usb, let serial = usb.serialNumber, !serial.isEmpty {
            return "usb:\(usb.ids):\(serial)"
        }
        return "path:\(physicalPath)"
    }

    /// Where the port sits: its sysfs device path up to the USB interface, without the kernel's
    /// `ttyUSBn` name (what `/dev/serial/by-path` encodes), or the device node of a port that sysfs
    /// does not describe.
    public var physicalPath: String {
        guard !syspath.isEmpty else { return devnode }
        let parts = syspath.split(separator: "/", omittingEmptySubsequences: false)
        guard let tty = parts.firstIndex(where: { $0.hasPrefix("tty") }), tty > 0 else { return syspath }
        return parts[..<tty].joined(separator: "/")
    }
}
