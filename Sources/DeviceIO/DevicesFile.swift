import DeviceProtocols
import Foundation
import Yams

/// The room's own assignments of serial ports to profiles, for adapters whose USB ids say
/// nothing (FTDI, CP210x, PL2303 are in many devices) and for built-in ports.
///
/// ```yaml
/// devices:
///   - serial: A10KZ3QB                      # USB serial number of the adapter
///     profile: nonin-df7
///     label: oximeter bay 1                 # optional: the device's name in the session
///   - port: /dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A10KZ3QC-if00-port0
///     profile: suntech-advantage
///   - port: /dev/ttyS0                      # a fixed port on the PC itself
///     profile: and-ua767
/// ```
public struct DevicesFile: Sendable, Hashable {
    /// One assignment.
    public struct Entry: Sendable, Hashable {
        /// What the assignment recognises a port by.
        public enum Key: Sendable, Hashable, CustomStringConvertible {
            /// The USB serial number of the device or adapter.
            case serialNumber(String)
            /// A device path: a `/dev/serial/by-id/…` link or a fixed port like `/dev/ttyS0`.
            case port(String)

            /// `serial A10KZ3QB`, `port /dev/ttyS0`.
            public var description: String {
                switch self {
                case .serialNumber(let serial): "serial \(serial)"
                case .port(let path): "port \(path)"
                }
            }
        }

        /// What the port is recognised by.
        public var key: Key
        /// The profile's stable name (`nonin-df7`), checked against the catalog when parsed.
        public var profileID: String
        /// The device's name in the session, if given.
        public var label: String?
        /// The line of the entry in the file.
        public var line: Int

        /// An entry.
        public init(key: Key, profileID: String, label: String? = nil, line: Int = 0) {
            self.key = key
            self.profileID = profileID
            self.label = label
            self.line = line
        }
    }

    /// Where the file was read from.
    public var path: String
    /// The assignments, in file order.
    public var entries: [Entry]

    /// A devices file with `entries`.
    public init(path: String, entries: [Entry]) {
        self.path = path
        self.entries = entries
    }

    /// Where a devices file is looked for when `--devices` is not given, most specific first.
    public static func defaultPaths(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var paths: [String] = []
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty {
            paths.append(config + "/vitals/devices.yaml")
        } else if let home = environment["HOME"], !home.isEmpty {
            paths.append(home + "/.config/vitals/devices.yaml")
        }
        paths.append("/etc/vitals/devices.yaml")
        return paths
    }

    /// The devices file to use: `explicit` (which must exist) or else the first of
    /// ``defaultPaths(environment:)`` that exists; `nil` when there is none. Files are not merged.
    public static func locate(
        explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        profiles: [any DeviceProfile.Type] = ProfileCatalog.all
    ) throws(DevicesFileError) -> DevicesFile? {
        if let explicit { return try load(explicit, profiles: profiles) }
        for path in defaultPaths(environment: environment) where FileManager.default.fileExists(atPath: path) {
            return try load(path, profiles: profiles)
        }
        return nil
    }

    /// The largest devices file read: a room has a handful of ports, and a huge file (a wrong path,
    /// a log) would only keep the daemon parsing instead of monitoring.
    public static let maximumSize = 256 * 1024

    /// Reads and checks the file at `path`.
    public static func load(
        _ path: String, profiles: [any DeviceProfile.Type] = ProfileCatalog.all
    ) throws(DevicesFileError) -> DevicesFile {
        let text: String
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > maximumSize {
            throw DevicesFileError(
                path: path, line: 0, column: 0,
                message: "the devices file is \(size) bytes; a room's devices file is a few lines (at most \(maximumSize / 1024) KiB)")
        }
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw DevicesFileError(path: path, line: 0, column: 0, message: "cannot read the devices file: \(error.localizedDescription)")
        }
        return try parse(text, path: path, profiles: profiles)
    }

    /// Parses and checks `text` (named `path` in errors): every entry needs exactly one of
    /// `serial` or `port`, and a `profile` from `profiles`; unknown keys and a second entry for
    /// the same serial number or port are errors.
    public static func parse(
        _ text: String, path: String, profiles: [any DeviceProfile.Type] = ProfileCatalog.all
    ) throws(DevicesFileError) -> DevicesFile {
        func fail(_ mark: Mark?, _ message: String) -> DevicesFileError {
            DevicesFileError(path: path, line: mark?.line ?? 0, column: mark?.column ?? 0, message: message)
        }

        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, path: path)
        } catch {
            throw fail(nil, "\(error)")
        }
        guard let root else { return DevicesFile(path: path, entries: []) }
        guard let top = root.mapping else { throw fail(root.mark, "expected a mapping with a `devices:` list at the top") }
        for (key, _) in top where key.string != "devices" {
            throw fail(key.mark, "unknown key \"\(key.string ?? "")\" (expected `devices:`)")
        }
        guard let list = top["devices"] else { return DevicesFile(path: path, entries: []) }
        if list.null != nil { return DevicesFile(path: path, entries: []) }
        guard let sequence = list.sequence else { throw fail(list.mark, "`devices` must be a list of entries (`- serial: …`)") }

        let known = Set(profiles.map { $0.id })
        let knownList = profiles.map { $0.id }.joined(separator: ", ")
        var entries: [Entry] = []
        var seen: [Entry.Key: Int] = [:]
        for item in sequence {
            guard let mapping = item.mapping else {
                throw fail(item.mark, "each device entry must be a mapping with `serial` or `port`, and `profile`")
            }
            var serial: String?, port: String?, profile: String?, label: String?
            for (key, value) in mapping {
                let name = key.string ?? ""
                guard let scalar = value.scalar?.string, !scalar.isEmpty else {
                    throw fail(value.mark ?? key.mark, "`\(name)` must be a single text value")
                }
                switch name {
                case "serial": serial = scalar
                case "port": port = scalar
                case "profile": profile = scalar
                case "label": label = scalar
                default: throw fail(key.mark, "unknown key \"\(name)\" (expected serial, port, profile, label)")
                }
            }
            let key: Entry.Key
            switch (serial, port) {
            case (let serial?, nil): key = .serialNumber(serial)
            case (nil, let port?):
                guard port.hasPrefix("/") else {
                    throw fail(mapping["port"]?.mark, "port \"\(port)\" must be an absolute path (/dev/ttyS0, /dev/serial/by-id/…)")
                }
                key = .port(port)
            case (nil, nil): throw fail(item.mark, "entry needs `serial:` (USB serial number) or `port:` (device path)")
            case (_?, _?): throw fail(mapping["port"]?.mark, "entry has both `serial:` and `port:`; give one")
            }
            guard let profile else { throw fail(item.mark, "entry for \(key) needs `profile:` (one of \(knownList))") }
            guard known.contains(profile) else {
                throw fail(mapping["profile"]?.mark, "unknown profile \"\(profile)\" (known: \(knownList))")
            }
            let line = item.mark?.line ?? 0
            if let first = seen[key] {
                throw fail(item.mark, "\(key) is already assigned on line \(first)")
            }
            seen[key] = line
            entries.append(Entry(key: key, profileID: profile, label: label, line: line))
        }
        return DevicesFile(path: path, entries: entries)
    }

    /// A YAML syntax error with its position.
    private static func syntaxError(_ error: YamlError, path: String) -> DevicesFileError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return DevicesFileError(path: path, line: mark.line, column: mark.column, message: "YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return DevicesFileError(
                path: path, line: context.mark.line, column: context.mark.column,
                message: "duplicate key \(duplicates.joined(separator: ", ")) in a mapping"
            )
        case .reader(let problem, _, _, _):
            return DevicesFileError(path: path, line: 0, column: 0, message: "YAML: \(problem)")
        default:
            return DevicesFileError(path: path, line: 0, column: 0, message: "YAML: \(error)")
        }
    }
}
