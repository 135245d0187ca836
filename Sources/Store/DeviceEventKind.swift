/// What a device event records (the `kind` column of `device_events`).
public enum DeviceEventKind: String, Sendable, Hashable, CaseIterable {
    /// The port opened and the device was recognised.
    case connected
    /// The device went away (unplugged, port closed).
    case disconnected
    /// The device stopped sending for longer than its profile allows.
    case quiet
    /// The device is sending again after being quiet.
    case streaming
    /// The sensor came off, or no finger.
    case sensorOff = "sensor-off"
    /// The sensor is back on.
    case sensorOn = "sensor-on"
    /// The decoder lost and found frame sync; `count` holds the bad frames counted so far.
    case resync
    /// The host sent a command to the device; `detail` names it.
    case commandSent = "command-sent"
    /// Any other device status (its `DeviceStatus.Kind` raw value in `detail`).
    case status
    /// The host's wall clock stepped (NTP, `date -s`): recorded under the device `host`, with
    /// the step in ms in `count` (negative: back) and in words in `detail`. Labels after it use
    /// the new time; rule timing, on the monotonic clock, is unaffected.
    case clockStep = "clock-step"
}
