import DeviceProtocols
import Foundation
import VitalsCore

/// One recorded device stream to replay: a profile and the script of what the device sent.
public struct ReplaySource: Sendable {
    /// The device's profile.
    public var profile: any DeviceProfile.Type
    /// The recorded dialogue.
    public var script: UmockdevScript
    /// The device's name in the output (the profile, or `profile#2` for a second of its kind).
    public var device: String
    /// Where the script came from, for messages.
    public var path: String

    /// A source from a parsed script.
    public init(profile: any DeviceProfile.Type, script: UmockdevScript, device: String, path: String) {
        self.profile = profile
        self.script = script
        self.device = device
        self.path = path
    }

    /// Parses `PROFILE=FILE` specs, loads each file and names the devices. Errors name the spec,
    /// list the known profiles, or give the script's file:line:column.
    public static func load(specs: [String]) throws -> [ReplaySource] {
        var out: [ReplaySource] = []
        var seen: [String: Int] = [:]
        for spec in specs {
            guard let eq = spec.firstIndex(of: "="), eq != spec.startIndex, spec.index(after: eq) != spec.endIndex else {
                throw ReplayError.badDeviceSpec(spec)
            }
            let name = String(spec[..<eq])
            let path = String(spec[spec.index(after: eq)...])
            guard let profile = ProfileCatalog.profile(named: name) else {
                throw UnknownProfileError(name: name)
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ReplayError.unreadable(path)
            }
            let script = try UmockdevScript.parse(Array(data), path: path)
            let n = (seen[name] ?? 0) + 1
            seen[name] = n
            out.append(ReplaySource(profile: profile, script: script, device: n == 1 ? name : "\(name)#\(n)", path: path))
        }
        return out
    }
}
