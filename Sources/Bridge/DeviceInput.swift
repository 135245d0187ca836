import VitalsCore

/// What reaches the pipeline from one device at one moment: the input side of a room.
public enum DeviceInput: Sendable, Hashable {
    /// A decoder event from the device's bytes.
    case decoded(DecoderEvent)
    /// The device's connection changed state.
    case connection(ConnectionState)
    /// The host wrote a command to the device (recorded as a device event).
    case commandSent(String)
}
