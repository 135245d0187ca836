import ArgumentParser
import Bridge
import DeviceIO
import DeviceProtocols
import Glibc
import Store
import VitalsCore

/// `vitals devices`: the serial ports attached, the profile the room gives each one, and why:
/// decided by the room core (``DeviceSurvey``), exactly as `vitals run` decides.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List attached serial devices, the profile chosen for each, and why.",
        discussion: """
            Known monitors are recognised by their USB ids and strings. A generic USB-serial \
            adapter (FTDI, CP210x, PL2303, CH340) is never guessed from its ids: assign it by USB \
            serial number or port in a devices file, or pass --probe to listen to it and pick the \
            one profile that decodes its bytes cleanly. Devices the room identified before (kept \
            in the room database) are shown with that identity.
            """
    )

    @OptionGroup var database: DatabaseOption

    @Option(name: .customLong("devices"), help: ArgumentHelp(
        "Devices file assigning ports to profiles.", discussion: "Default: ~/.config/vitals/devices.yaml, then /etc/vitals/devices.yaml.",
        valueName: "file"
    ))
    var devicesFile: String?

    @Flag(help: "Listen to each unassigned port and identify it by decoding its bytes.")
    var probe = false

    @Flag(name: .customLong("probe-active"), help: "With --probe: a silent line may get a profile's harmless identification request.")
    var probeActive = false

    @Flag(help: "Also list virtual terminals and the 8250 ports the platform registers without hardware.")
    var all = false

    @Option(help: "text, or jsonl: one {\"type\":\"device\",…} object per port.")
    var format: OutputFormat = .text

    func run() throws {
        let file = try DevicesFile.locate(explicit: devicesFile)
        let text = format == .text
        if !text {
        } else if let file {
            print("Devices file: \(file.path) (\(file.entries.count) \(file.entries.count == 1 ? "entry" : "entries"))")
        } else {
            print("Devices file: none (looked in \(DevicesFile.defaultPaths().joined(separator: ", ")))")
        }
        // The kept identities, when the room database exists (never created by a listing).
        var known: [KnownDevice] = []
        if access(database.resolvedPath, F_OK) == 0 {
            known = try database.open().knownDevices()
            if text { print("Kept identities: \(known.count) in \(database.resolvedPath)") }
        }
        let survey = DeviceSurvey(devicesFile: file, knownDevices: known, probe: probe, probeActive: probeActive)
        let (entries, missing) = survey.run(devices: try UdevEnumerator.serialDevices(includeAll: all))
        if !text {
            for entry in entries {
                var w = JSONObjectWriter()
                w.add("type", "device")
                w.add("devnode", entry.device.devnode)
                w.add("by_id", entry.device.byIDPaths)
                w.add("usb", entry.device.usb?.ids)
                w.add("serial", entry.device.usb?.serialNumber)
                w.add("present", true)
                w.add("profile", entry.profile?.id)
                w.add("label", entry.name)
                w.add("why", entry.why)
                w.add("probe", entry.probe)
                print(w.line)
            }
            for entry in missing {
                var w = JSONObjectWriter()
                w.add("type", "device")
                w.add("devnode", "\(entry.key)")
                w.add("present", false)
                w.add("profile", entry.profileID)
                w.add("why", "\(file?.path ?? ""):\(entry.line)")
                print(w.line)
            }
            return
        }
        if entries.isEmpty { print("No serial ports found.") }
        for entry in entries {
            print("")
            print(Self.heading(entry.device))
            for link in entry.device.byIDPaths { print("  by-id:   \(link)") }
            if let profile = entry.profile {
                print("  profile: \(profile.id) (\(profile.serial))" + (entry.name.map { " as \"\($0)\"" } ?? ""))
            } else {
                print("  profile: none")
            }
            print("  why:     \(entry.why)")
            for line in entry.probe { print("           \(line)") }
        }
        for entry in missing {
            print("")
            print("\(entry.key) (\(file?.path ?? ""):\(entry.line), profile \(entry.profileID)): not present")
        }
    }

    /// `/dev/ttyUSB0  USB 0403:6001 FTDI FT232R USB UART, serial A10KZ3QB (udev properties)`.
    static func heading(_ device: SerialDeviceInfo) -> String {
        guard let usb = device.usb else { return device.devnode + "  (no USB identity)" }
        let strings = [usb.manufacturer, usb.product].compactMap { $0 }.joined(separator: " ")
        return "\(device.devnode)  USB \(usb.ids)" + (strings.isEmpty ? "" : " \(strings)")
            + (usb.serialNumber.map { ", serial \($0)" } ?? "") + " (\(usb.source.rawValue))"
    }
}
