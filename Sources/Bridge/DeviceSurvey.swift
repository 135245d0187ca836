import DeviceIO
import DeviceProtocols
import Glibc
import Store
import VitalsCore

/// What `vitals devices` shows: every serial port, and what the room would do with it, decided
/// by the room core itself (its matcher, the kept identities, its probe plan), so the listing can
/// never disagree with `vitals run`. Probes the core asks for run with the same
/// ``ProfileProber`` the daemon uses; nothing else is opened.
public struct DeviceSurvey {
    /// One port and the room's decision about it.
    public struct Entry: Sendable {
        /// The port.
        public var device: SerialDeviceInfo
        /// The profile the room attaches, if any.
        public var profile: (any DeviceProfile.Type)?
        /// The name the device gets in the room.
        public var name: String?
        /// The decision and its evidence (the match, the probe's summary, the kept identity).
        public var why: String
        /// The probe's plan and per-candidate counts, when a probe ran.
        public var probe: [String]
    }

    /// The room's devices file.
    public var devicesFile: DevicesFile?
    /// Identities kept in the room database.
    public var knownDevices: [KnownDevice]
    /// Probe unassigned adapters.
    public var probe: Bool
    /// Probes may send a harmless identification request.
    public var probeActive: Bool

    /// A survey.
    public init(devicesFile: DevicesFile?, knownDevices: [KnownDevice] = [], probe: Bool = false, probeActive: Bool = false) {
        self.devicesFile = devicesFile
        self.knownDevices = knownDevices
        self.probe = probe || probeActive
        self.probeActive = probeActive
    }

    /// Decides every device in `devices` (udev's list) plus the devices file's fixed ports present
    /// on disk; `prober` carries out a probe the core asks for (the real port by default).
    /// Returns the entries and the devices file's entries that are not present.
    public func run(
        devices listed: [SerialDeviceInfo],
        prober: (SerialDeviceInfo, ProbePlan) -> Result<ProbeOutcome, SerialPortError> = { device, plan in
            Result { () throws(SerialPortError) in try ProfileProber().probe(path: device.devnode, plan: plan) }
        }
    ) -> (entries: [Entry], missing: [DevicesFile.Entry]) {
        var configuration = RoomCore.Configuration(room: "survey", devicesFile: devicesFile)
        configuration.probe = probe
        configuration.probeActive = probeActive
        configuration.knownDevices = knownDevices
        let core = RoomCore(configuration: configuration, rules: nil)
        var devices = listed
        var missing: [DevicesFile.Entry] = []
        // Fixed ports named in the devices file that enumeration leaves out (or that udev does
        // not know, such as a pty link) are shown too.
        for entry in devicesFile?.entries ?? [] {
            guard case .port(let port) = entry.key else { continue }
            if devices.contains(where: { $0.devnode == port || $0.byIDPaths.contains(port) }) { continue }
            if access(port, F_OK) == 0 {
                devices.append(SerialDeviceInfo(devnode: port))
            } else {
                missing.append(entry)
            }
        }
        var clock = RunTime.zero
        var probeLines: [String: [String]] = [:]
        func feed(_ input: RoomInput) {
            var pending = [input]
            while !pending.isEmpty {
                let effects = core.handle(pending.removeFirst(), at: clock, wall: 0)
                for effect in effects {
                    guard case .probe(let device, let plan) = effect else { continue }
                    var lines = ["plan: \(plan)"] + plan.notProbed.map { "not probed: \($0)" }
                    switch prober(device, plan) {
                    case .success(let outcome):
                        lines += outcome.candidates.filter { $0.statistics.bytes > 0 }.map { "\($0)" }
                        pending.append(.probed(device, profile: outcome.profile, summary: outcome.summary))
                        clock = clock.advanced(by: outcome.elapsed ?? .zero)
                    case .failure(let error):
                        pending.append(.probed(device, profile: nil, summary: "probe failed: \(error)"))
                    }
                    probeLines[device.devnode] = lines
                }
            }
        }
        feed(.start)
        for device in listed { feed(.deviceAdded(device, why: "listed")) }
        let states = core.devices
        let entries = devices.map { device -> Entry in
            let state = states.first { $0.path == device.devnode || device.byIDPaths.contains($0.path) }
            let why = state?.why ?? core.decisions[device.devnode] ?? "not attached"
            return Entry(
                device: device, profile: state.flatMap { ProfileCatalog.profile(named: $0.profile) }, name: state?.name,
                why: why, probe: probeLines[device.devnode] ?? [])
        }
        return (entries, missing)
    }
}
