import CUdev
import Glibc

/// Lists the serial ports attached now.
///
/// Every libudev object is created, used and released inside one synchronous call, so each
/// lives on a single thread for its whole life, as libudev (systemd 252) requires. Works
/// without udevd: the ports are still listed, with their USB identity read from sysfs.
public enum UdevEnumerator {
    /// The `tty` devices that are real serial ports, sorted by device node.
    ///
    /// Virtual terminals (`/sys/devices/virtual/tty/…`) and the legacy 8250 ports that the
    /// platform driver registers whether or not hardware exists (`ttyS1`…`ttyS31`) are left
    /// out unless `includeAll` is set. Devices are not filtered on udev's "initialized" flag:
    /// without udevd nothing is initialized.
    public static func serialDevices(includeAll: Bool = false) throws(UdevError) -> [SerialDeviceInfo] {
        guard let udev = udev_new() else { throw UdevError(call: "udev_new", code: errno) }
        defer { udev_unref(udev) }
        guard let enumerate = udev_enumerate_new(udev) else { throw UdevError(call: "udev_enumerate_new", code: errno) }
        defer { udev_enumerate_unref(enumerate) }
        udev_enumerate_add_match_subsystem(enumerate, "tty")
        let rc = udev_enumerate_scan_devices(enumerate)
        guard rc >= 0 else { throw UdevError(call: "udev_enumerate_scan_devices", code: -rc) }

        var devices: [SerialDeviceInfo] = []
        var entry = udev_enumerate_get_list_entry(enumerate)
        while let current = entry {
            entry = udev_list_entry_get_next(current)
            guard let syspath = udev_list_entry_get_name(current),
                  let device = udev_device_new_from_syspath(udev, syspath)
            else { continue }
            defer { udev_device_unref(device) }
            guard includeAll || isRealSerialPort(device), let info = SerialDeviceInfo(udevDevice: device) else { continue }
            devices.append(info)
        }
        return devices.sorted { $0.devnode < $1.devnode }
    }

    /// False for virtual terminals and for 8250 ports registered by the platform driver.
    static func isRealSerialPort(_ device: OpaquePointer) -> Bool {
        if let syspath = udev_device_get_syspath(device), String(cString: syspath).contains("/devices/virtual/") {
            return false
        }
        guard let parent = udev_device_get_parent(device) else { return false }
        if let subsystem = udev_device_get_subsystem(parent), String(cString: subsystem) == "platform" {
            return false
        }
        return true
    }
}
