import DeviceIO
import DeviceProtocols
import VitalsCore

/// One device the room daemon holds: its identity, its port and reader while open, its decoder
/// and its connection state. Touched only on the daemon's queue.
final class AttachedPort {
    let identity: DeviceIdentity
    let profile: any DeviceProfile.Type
    /// The path opened (devnode, by-id path or a fixed port).
    var path: String
    var port: SerialPort?
    var reader: PortReader?
    var decoder: any DeviceDecoder
    var machine: ConnectionStateMachine
    /// Bumped on every open so events from an old reader are recognised and dropped.
    var generation = 0
    var framesSeen = 0
    /// udev said the device is gone: wait for it to come back instead of reopening the path.
    var removed = false
    var nibp: NIBPSchedule?

    init(identity: DeviceIdentity, profile: any DeviceProfile.Type, path: String, nibp: NIBPSchedule?) {
        self.identity = identity
        self.profile = profile
        self.path = path
        self.decoder = profile.makeDecoder()
        self.machine = ConnectionStateMachine(profile: profile)
        self.nibp = nibp
    }

    var name: String { identity.name }

    /// Stops the reader and closes the port; the decoder starts afresh on the next open.
    func close() {
        reader?.stop()
        reader = nil
        port?.close()
        port = nil
        decoder = profile.makeDecoder()
        framesSeen = 0
    }
}
