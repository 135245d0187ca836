/// A device connection's state, as DeviceIO tracks it and technical rules read it.
public enum ConnectionState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Port found, opening and configuring it.
    case connecting
    /// Valid frames arriving.
    case streaming
    /// Port open but no valid frame for longer than the profile's expected gap.
    case quiet
    /// The port went away (unplug, EIO, EOF).
    case disconnected
    /// Trying to open the port again, with backoff.
    case reconnecting
}
