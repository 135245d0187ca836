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

    /// A device state.
    public init(
        name: String, profile: String, connection: DeviceEventKind?, connectionAt: Int64?, sensorOff: Bool,
        detachedAt: Int64?
    ) {
        self.name = name
        self.profile = profile
        self.connection = connection
        self.connectionAt = connectionAt
        self.sensorOff = sensorOff
        self.detachedAt = detachedAt
    }
}
