/// What the store knows of a device in a session now, for `vitals status`: its profile, its
/// latest connection event and whether its sensor is off.
public struct SessionDeviceState: Sendable, Hashable {
    /// The device's name.
    public var name: String
    /// Its profile (`nonin-df7`, ...).
    public var profile: String
    /// The latest of `connected`, `streaming`, `quiet`, `disconnected` recorded in the session;
    /// `nil` when none was (the device's data arrived, so it was connected).
    public var connection: DeviceEventKind?
    /// When that connection event happened.
    public var connectionAt: Int64?
    /// True when the latest sensor event is `sensor-off`.
    public var sensorOff: Bool
    /// When it was detached from the session, if it was.
    public var detachedAt: Int64?
    /// The latest reply to a host command recorded in the session when it is a refusal
    /// (`command-rejected`): its detail, naming the command where the device's protocol lets the
    /// decoder know it ("NAK to select data format DF7"); `nil` when the latest reply was an
    /// acceptance or none came (issue 13.4).
    public var commandRefused: String?

    /// A device state.
    public init(
        name: String, profile: String, connection: DeviceEventKind?, connectionAt: Int64?, sensorOff: Bool,
        detachedAt: Int64?, commandRefused: String? = nil
    ) {
        self.name = name
        self.profile = profile
        self.connection = connection
        self.connectionAt = connectionAt
        self.sensorOff = sensorOff
        self.detachedAt = detachedAt
        self.commandRefused = commandRefused
    }
}
