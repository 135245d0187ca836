import VitalsCore

/// The host's side of one device's conversation: what the bridge writes to the device, decided
/// only from what the device said, what the room asked, and the time.
///
/// Sans-IO, like the decoders: the room core owns one dialogue per open port, feeds it the
/// decoder's events and the clock, and writes the bytes it returns. A dialogue never touches a
/// descriptor or reads a clock. Streaming devices use ``StandardDialogue`` (the profile's
/// `commandsOnConnect`, and nothing else); monitors with a session protocol (IntelliVue
/// association and polls, GE S/5 displayed-values requests, Contec V7 keep-alives) and
/// command-driven cuffs (SunTech's start → `K` → get result) implement their own.
public protocol HostDialogue: Sendable {
    /// The port was opened at `time`: what to write first (a select-format, a version request,
    /// an association request).
    mutating func opened(at time: RunTime) -> [HostWrite]
    /// The decoder produced `events` from bytes that arrived at `time`: the replies they call for
    /// (a measurement-complete `K` asks for the result; an MDS create event report is answered).
    mutating func received(_ events: [DecoderEvent], at time: RunTime) -> [HostWrite]
    /// Time passed: polls, keep-alives and reply timeouts due at or before `time`.
    mutating func tick(at time: RunTime) -> [HostWrite]
    /// The earliest time at which `tick` has something to do, or `nil`.
    var nextDeadline: RunTime? { get }
    /// The room asks for `command` (the NIBP schedule, a clinician's `vitals nibp start`): the
    /// bytes to write, or `nil` when this device cannot do it.
    mutating func request(_ command: HostCommand, at time: RunTime) -> [HostWrite]?
    /// The bridge is about to close the port on purpose (SIGTERM, a replaced device): the bytes
    /// that end the device's session politely (a release request, a stop command).
    mutating func closing(at time: RunTime) -> [HostWrite]
    /// The dialogue's state in a few words, for `vitals devices` and the log ("associated,
    /// polling every 1 s"); empty for devices that just stream.
    var summary: String { get }
}

/// Bytes the host writes to a device, with what they are for (stored as a device event).
public struct HostWrite: Sendable, Hashable {
    /// What the bytes ask, in the words a field engineer reads in the log
    /// ("start-measurement (interval)", "association request").
    public var label: String
    /// Exactly the bytes to write.
    public var bytes: [UInt8]

    /// A write.
    public init(_ label: String, _ bytes: [UInt8]) {
        self.label = label
        self.bytes = bytes
    }
}

extension HostDialogue {
    /// Nothing timed by default.
    public mutating func tick(at time: RunTime) -> [HostWrite] { [] }
    /// Nothing timed by default.
    public var nextDeadline: RunTime? { nil }
    /// Nothing to say on close by default.
    public mutating func closing(at time: RunTime) -> [HostWrite] { [] }
    /// Nothing to show by default.
    public var summary: String { "" }
}

/// The dialogue of a profile described by its table of commands: `commandsOnConnect` when the
/// port opens, a room's request answered from `bytes(for:)`, and for a command-driven cuff the
/// result asked for when the profile says a measurement is complete.
///
/// This is the one place that decides what "command-driven" means: a profile that can both start
/// a measurement and be asked for its result (``DeviceProfile/isCommandDriven``).
public struct StandardDialogue: HostDialogue {
    let profile: any DeviceProfile.Type
    /// A measurement the host started and whose completion it waits for.
    private(set) var measuring = false

    /// The dialogue of `profile`.
    public init(profile: any DeviceProfile.Type) { self.profile = profile }

    public mutating func opened(at time: RunTime) -> [HostWrite] {
        measuring = false
        return profile.commandsOnConnect.compactMap { c in
            profile.bytes(for: c).map { HostWrite("\(c.rawValue) (on connect)", $0) }
        }
    }

    public mutating func received(_ events: [DecoderEvent], at time: RunTime) -> [HostWrite] {
        guard profile.isCommandDriven else { return [] }
        var out: [HostWrite] = []
        for case .status(let s) in events {
            if profile.reportsMeasurementComplete(s) {
                measuring = false
                if let bytes = profile.bytes(for: .requestResult) {
                    out.append(HostWrite("\(HostCommand.requestResult.rawValue) (measurement complete)", bytes))
                }
            } else if s.kind == .measurementError || s.kind == .commandRejected {
                measuring = false
            }
        }
        return out
    }

    public mutating func request(_ command: HostCommand, at time: RunTime) -> [HostWrite]? {
        guard let bytes = profile.bytes(for: command) else { return nil }
        if command == .startMeasurement { measuring = true }
        return [HostWrite(command.rawValue, bytes)]
    }

    public var summary: String { measuring ? "measuring" : "" }
}

extension DeviceProfile {
    /// True for a cuff the host drives: it can be told to start a measurement and asked for the
    /// result (SunTech Advantage). The NIBP schedule runs only for these.
    public static var isCommandDriven: Bool {
        bytes(for: .startMeasurement) != nil && bytes(for: .requestResult) != nil
    }
}
