import DeviceIO
import DeviceProtocols
import Logging
import Store
import VitalsCore

/// What the room core asks of its shell, in order. The core never performs I/O itself.
public enum RoomEffect: Sendable {
    /// Open `path` with `settings` (raw mode, exclusive) and start reading it; answer with
    /// ``RoomInput/opened(_:)`` or ``RoomInput/openFailed(_:reason:)``.
    case open(PortHandle, path: String, settings: SerialSettings)
    /// Write bytes to an open port (a command of the device's dialogue).
    case write(PortHandle, [UInt8])
    /// Stop reading and close the port.
    case close(PortHandle)
    /// Listen to an unassigned adapter and identify its profile; answer with
    /// ``RoomInput/probed(_:profile:summary:)``.
    case probe(SerialDeviceInfo)
    /// Something the room produced, for the store, the terminal and any observer.
    case emit(RoomEvent)
    /// The result of a ``RoomInput/command(_:)``, to record in the database.
    case completeCommand(id: Int64, DaemonCommandResult)
    /// A line for the log.
    case log(Logger.Level, String)
}

/// What the room produces: the pipeline's outputs, in the order they happened.
public enum RoomEvent: Sendable {
    /// A device joined the room (registered in the store before its first reading).
    case attached(DeviceIdentity, hostTime: Int64)
    /// A stamped reading.
    case reading(Observation)
    /// A waveform batch.
    case waveform(Waveform, device: String, time: RunTime, hostTime: Int64)
    /// A device status.
    case status(DeviceStatus, device: String, time: RunTime, hostTime: Int64)
    /// A connection change or a command the host sent.
    case deviceEvent(DeviceInput, device: String, time: RunTime, hostTime: Int64)
    /// An alert event.
    case alert(AlertEvent)
    /// The run is over: outputs flush.
    case finished
}

extension RoomEvent {
    /// Hands the event to `output`.
    public func deliver(to output: any PipelineOutput) {
        switch self {
        case .attached(let identity, let hostTime): output.attached(identity, hostTime: hostTime)
        case .reading(let o): output.reading(o)
        case .waveform(let w, let device, let time, let host): output.waveform(w, device: device, time: time, hostTime: host)
        case .status(let s, let device, let time, let host): output.status(s, device: device, time: time, hostTime: host)
        case .deviceEvent(let e, let device, let time, let host): output.deviceEvent(e, device: device, time: time, hostTime: host)
        case .alert(let e): output.alert(e)
        case .finished: output.finish()
        }
    }
}
