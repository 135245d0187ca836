import ArgumentParser
import DeviceIO
import DeviceProtocols
import VitalsCore
import Glibc

/// `vitals devices`: the serial ports attached, the profile each one gets, and why.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List attached serial devices, the profile chosen for each, and why.",
        discussion: """
            Known monitors are recognised by their USB ids and strings. A generic USB-serial \
            adapter (FTDI, CP210x, PL2303, CH340) is never guessed from its ids: assign it by USB \
            serial number or port in a devices file, or pass --probe to listen to it and pick the \
            one profile that decodes its bytes cleanly.
            """
    )

    @Option(name: .customLong("devices"), help: ArgumentHelp(
        "Devices file assigning ports to profiles.", discussion: "Default: ~/.config/vitals/devices.yaml, then /etc/vitals/devices.yaml.",
        valueName: "file"
    ))
    var devicesFile: String?

    @Flag(help: "Listen to each unassigned port and identify it by decoding its first seconds of bytes.")
    var probe = false

    @Option(help: ArgumentHelp("Seconds to listen under each candidate serial setting when probing.", valueName: "seconds"))
    var probeSeconds: Double = 3

    @Flag(help: "Also list virtual terminals and the 8250 ports the platform registers without hardware.")
    var all = false

    @Option(help: "text, or jsonl: one {\"type\":\"device\",…} object per port.")
    var format: OutputFormat = .text

    func validate() throws {
        guard probeSeconds > 0, probeSeconds <= 60 else { throw ValidationError("--probe-seconds must be between 0 and 60") }
    }

    func run() throws {
        let file = try DevicesFile.locate(explicit: devicesFile)
        let matcher = DeviceMatcher(devicesFile: file)
        if format == .jsonl {
        } else if let file {
            print("Devices file: \(file.path) (\(file.entries.count) \(file.entries.count == 1 ? "entry" : "entries"))")
        } else {
            print("Devices file: none (looked in \(DevicesFile.defaultPaths().joined(separator: ", ")))")
        }

        var devices = try UdevEnumerator.serialDevices(includeAll: all)
        // Fixed ports named in the devices file that enumeration leaves out (or that udev does
        // not know, such as a pty link) are shown too.
        var missing: [DevicesFile.Entry] = []
        for entry in file?.entries ?? [] {
            guard case .port(let port) = entry.key else { continue }
            if devices.contains(where: { $0.devnode == port || $0.byIDPaths.contains(port) }) { continue }
            if access(port, F_OK) == 0 {
                devices.append(SerialDeviceInfo(devnode: port))
            } else {
                missing.append(entry)
            }
        }

        if format == .jsonl {
            for device in devices {
                var match = matcher.match(device)
                if match.profile == nil, probe {
                    match = Self.probe(device, profiles: matcher.profiles, seconds: probeSeconds) ?? match
                }
                var w = JSONObjectWriter()
                w.add("type", "device")
                w.add("devnode", device.devnode)
                w.add("by_id", device.byIDPaths)
                w.add("usb", device.usb?.ids)
                w.add("serial", device.usb?.serialNumber)
                w.add("present", true)
                w.add("profile", match.profile?.id)
                w.add("label", match.label)
                w.add("why", "\(match.reason)")
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
        if devices.isEmpty { print("No serial ports found.") }
        for device in devices {
            print("")
            print(Self.heading(device))
            for link in device.byIDPaths { print("  by-id:   \(link)") }
            var match = matcher.match(device)
            if match.profile == nil, probe {
                match = Self.probe(device, profiles: matcher.profiles, seconds: probeSeconds) ?? match
            }
            if let profile = match.profile {
                print("  profile: \(profile.id) (\(profile.serial))" + (match.label.map { " as \"\($0)\"" } ?? ""))
            } else {
                print("  profile: none")
            }
            print("  why:     \(match.reason)")
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

    /// Probes `device`, printing progress; the match when one profile decoded cleanly.
    static func probe(_ device: SerialDeviceInfo, profiles: [any DeviceProfile.Type], seconds: Double) -> DeviceMatch? {
        var distinct: Set<SerialSettings> = []
        for profile in profiles { distinct.insert(profile.serial) }
        let settings = distinct.count
        print("  probing: \(profiles.count) profiles, \(settings) serial settings, \(seconds) s each…")
        do {
            let outcome = try ProfileProber().probe(
                path: device.devnode, candidates: profiles, listeningFor: .milliseconds(Int64(seconds * 1000))
            )
            for candidate in outcome.candidates where candidate.statistics.frames > 0 {
                print("           \(candidate)")
            }
            guard let profile = outcome.profile else {
                print("  probe:   \(outcome.summary)")
                return nil
            }
            return DeviceMatch(profile: profile, reason: .probed(outcome.summary))
        } catch {
            print("  probe:   \(error)")
            return nil
        }
    }
}
