/// A libudev call that failed: the udev library could not be used at all.
public struct UdevError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The call that failed (`udev_new`, `udev_monitor_new_from_netlink(kernel)`).
    public var call: String
    /// The `errno` it left, where it sets one (0 when it did not).
    public var code: Int32

    /// A failure of `call`.
    public init(call: String, code: Int32) {
        self.call = call
        self.code = code
    }

    /// `udev_enumerate_scan_devices failed (errno 13)`, with a hint.
    public var description: String {
        "\(call) failed" + (code != 0 ? " (errno \(code))" : "")
            + ": is /sys mounted? (device discovery needs sysfs; hot-plug without udevd needs the host's network namespace)"
    }
}
