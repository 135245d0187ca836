import DeviceIO

/// How `vitals run` runs a room.
public struct RoomDaemonConfiguration: Sendable {
    /// The room's database file.
    public var databasePath: String
    /// Rule file or folder; `nil` records without alerting.
    public var rulesPath: String?
    /// The room's name (sessions are per room).
    public var room: String
    /// Ports assigned to profiles by serial number or path.
    public var devicesFile: DevicesFile?
    /// How alert lines print on stdout.
    public var format: EventFormat = .text
    /// Print readings and device statuses too.
    public var printReadings = false
    /// Listen to unassigned generic adapters and pick the profile that decodes cleanly.
    public var probe = false
    /// Probes may write a profile's harmless identification request to a silent line.
    public var probeActive = false
    /// Enumerate and watch udev (off: only the devices file's fixed ports).
    public var useUdev = true
    /// Run-time seconds per real second (the demo compresses time; live is 1).
    public var speed: Double = 1
    /// Routine NIBP interval for command-driven cuffs.
    public var nibpInterval: Duration = .seconds(600)
    /// How far back the labels start, ms (0 live): the demo runs a compressed session that
    /// ends now, so its labels start `duration - duration / speed` ago. The heartbeat is
    /// always labelled by the real wall clock.
    public var labelOffsetMilliseconds: Int64 = 0
    /// How often time-driven work runs (rules, quiet detection, reconnects, the database poll).
    public var tickInterval: Duration = .milliseconds(100)

    /// The room core's part of this configuration.
    public var core: RoomCore.Configuration {
        var c = RoomCore.Configuration(room: room, devicesFile: devicesFile)
        c.probe = probe
        c.probeActive = probeActive
        c.nibpInterval = nibpInterval
        return c
    }

    /// A configuration.
    public init(databasePath: String, rulesPath: String?, room: String, devicesFile: DevicesFile? = nil) {
        self.databasePath = databasePath
        self.rulesPath = rulesPath
        self.room = room
        self.devicesFile = devicesFile
    }
}
