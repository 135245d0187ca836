/// A (session, device) pair, as the writer remembers attachments.
struct SessionDeviceKey: Hashable, Sendable {
    /// The session id.
    var session: Int64
    /// The device id.
    var device: Int64
}
