import VitalsCore

/// Something that receives what the pipeline produces: the store, the terminal printer, a
/// test's collector. Every method has an empty default so a sink takes only what it needs.
public protocol PipelineOutput: AnyObject {
    /// A device joined the room, before its first reading.
    func attached(_ identity: DeviceIdentity, hostTime: Int64)
    /// A stamped reading.
    func reading(_ observation: Observation)
    /// A waveform batch from `device` at `time`.
    func waveform(_ waveform: Waveform, device: String, time: RunTime, hostTime: Int64)
    /// A device status.
    func status(_ status: DeviceStatus, device: String, time: RunTime, hostTime: Int64)
    /// A connection state change, or a command the host sent (`command` set).
    func deviceEvent(_ event: DeviceInput, device: String, time: RunTime, hostTime: Int64)
    /// An alert event; sinks must never throw back into the alert path.
    func alert(_ event: AlertEvent)
    /// The run is over: flush.
    func finish()
}

extension PipelineOutput {
    /// Ignored by default.
    public func attached(_ identity: DeviceIdentity, hostTime: Int64) {}
    /// Ignored by default.
    public func reading(_ observation: Observation) {}
    /// Ignored by default.
    public func waveform(_ waveform: Waveform, device: String, time: RunTime, hostTime: Int64) {}
    /// Ignored by default.
    public func status(_ status: DeviceStatus, device: String, time: RunTime, hostTime: Int64) {}
    /// Ignored by default.
    public func deviceEvent(_ event: DeviceInput, device: String, time: RunTime, hostTime: Int64) {}
    /// Ignored by default.
    public func alert(_ event: AlertEvent) {}
    /// Nothing to flush by default.
    public func finish() {}
}
