import DeviceIO
import DeviceProtocols
import RulesEngine
import Store
import VitalsCore

/// One port as the room core opened it: the device's name and the open's generation, so that
/// bytes from a reader of an earlier open are recognised and dropped.
public struct PortHandle: Sendable, Hashable, CustomStringConvertible {
    /// The device's name in the room (its identity's name).
    public var device: String
    /// Bumped on every open of that device.
    public var generation: Int

    /// A handle.
    public init(device: String, generation: Int) {
        self.device = device
        self.generation = generation
    }

    public var description: String { "\(device)#\(generation)" }
}

/// Everything that can happen to a room, as the shell around the core sees it. Each input is
/// given to ``RoomCore/handle(_:at:wall:)`` with its monotonic run time and its wall-clock label.
public enum RoomInput: Sendable {
    /// The room starts: the devices file's fixed ports are attached.
    case start
    /// Attach a device whose profile is already known (replay's recordings, a test's port).
    case attach(DeviceIdentity, profile: any DeviceProfile.Type, path: String, why: String)
    /// udev enumerated or hot-plugged a serial port.
    case deviceAdded(SerialDeviceInfo, why: String)
    /// udev said a serial port is gone (the unplug signal under umockdev, and often first live).
    case deviceRemoved(devnode: String)
    /// The probe the core asked for (``RoomEffect/probe(_:)``) ended: the one profile that
    /// decoded cleanly, or none, with the prober's evidence.
    case probed(SerialDeviceInfo, profile: (any DeviceProfile.Type)?, summary: String)
    /// The shell opened and configured the port of an ``RoomEffect/open(_:path:settings:)``.
    case opened(PortHandle)
    /// The open failed (busy, missing, permission).
    case openFailed(PortHandle, reason: String)
    /// Bytes read from a port (the core decodes them).
    case bytes(PortHandle, [UInt8])
    /// What a shell decoded from a port's bytes itself, with the ``PortDecoding`` the core gave
    /// it for that open (``RoomCore/decoding(for:)``): `vitals run` decodes on its reader thread.
    case decoded(PortHandle, DecodedBytes)
    /// The port reported EOF or EIO, or a write failed because the device is gone.
    case portGone(PortHandle, reason: String)
    /// Time passed; deadlines at or before the input's time are due.
    case tick
    /// The open session as the room database holds it now (read by the shell whenever it may have
    /// changed: another process started or ended a session, recorded the dose, changed limits).
    case session(RoomSession?)
    /// A command another process queued for the room (`vitals ack`, `vitals nibp start`).
    case command(DaemonCommand)
    /// The rule file was reloaded (SIGHUP) and parsed without error.
    case rules(RuleSet)
    /// A fault of the room itself began (`raised` with its message) or ended: the core raises or
    /// clears a technical alert for it (storage failing, a refused session parameter).
    case roomFault(RoomFault, message: String?)
    /// The room stops (SIGINT/SIGTERM): ports are closed politely and everything is flushed.
    case stop
}

/// Faults of the room itself, each a technical alert the core raises and clears (not a rule of
/// the rule file: they concern the bridge, not a device or the patient).
public enum RoomFault: String, Sendable, Hashable, CaseIterable {
    /// The room database cannot be written: data waits in memory and the journal.
    case recordingFailed = "recording-failed"
    /// A stored session parameter is invalid for the rules; the room runs on the rule default.
    case sessionParameterRefused = "session-parameter-refused"
    /// A monitor with a session protocol refused or ended the association: no data until the
    /// dialogue associates again.
    case associationLost = "monitor-association-lost"

    /// How urgent: recording trouble loses nothing shown but must be fixed within the session.
    var priority: AlertPriority {
        switch self {
        case .recordingFailed, .associationLost: .medium
        case .sessionParameterRefused: .low
        }
    }
}

/// The open session and what the core needs to run it that only the database knows.
public struct RoomSession: Sendable {
    /// The session as stored.
    public var record: SessionRecord
    /// The highest alert occurrence already stored in it: this run numbers its own above, so a
    /// restart never folds new events into an earlier run's rows.
    public var storedMaxOccurrence: Int
    /// Alerts an earlier run left active in this session (ended by the core on first sight: the
    /// rules re-evaluate them from new data).
    public var activeFromEarlierRun: [StoredAlert]

    /// A session context.
    public init(record: SessionRecord, storedMaxOccurrence: Int = 0, activeFromEarlierRun: [StoredAlert] = []) {
        self.record = record
        self.storedMaxOccurrence = storedMaxOccurrence
        self.activeFromEarlierRun = activeFromEarlierRun
    }
}
