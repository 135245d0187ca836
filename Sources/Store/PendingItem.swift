import VitalsCore

/// Something waiting in a `ReadingWriter`'s memory to be committed with the next batch.
enum PendingItem: Sendable {
    /// A device's identity, to upsert into `devices`.
    case device(DeviceIdentity, at: Int64)
    /// An alert event; `ticket` names a `commitAlert` call waiting for it.
    case alert(AlertEvent, ticket: Int64?)
    /// A device event.
    case deviceEvent(DeviceEvent)
    /// A session event (`sessionID` 0: the room's open session).
    case sessionEvent(SessionEvent)
    /// About a second of waveform from one device.
    case waveform(device: String, at: Int64, Waveform)
}
