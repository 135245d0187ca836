import VitalsCore

/// What the pipeline needs from a rules engine: evaluation driven only by inputs and explicit
/// times, never by reading a clock.
public protocol AlertEvaluator: AnyObject {
    /// A stamped reading arrived.
    func observe(_ observation: Observation) -> [AlertEvent]
    /// A device said something about itself.
    func deviceStatus(_ status: DeviceStatus, device: String, at time: RunTime) -> [AlertEvent]
    /// A device's connection changed state.
    func connection(_ state: ConnectionState, device: String, at time: RunTime) -> [AlertEvent]
    /// Time passed with no input; holds and stale-data conditions are evaluated at `time`.
    func tick(at time: RunTime) -> [AlertEvent]
    /// The dose event happened at `time`; conditions that depend on it are evaluated at once.
    func doseGiven(at time: RunTime) -> [AlertEvent]
    /// A clinician acknowledged one occurrence (the alert `vitals ack` names).
    func acknowledge(occurrence: Int, by: String, at time: RunTime) -> [AlertEvent]
    /// A device that provides `metrics` is attached, before its first reading arrives.
    func attach(device: String, provides metrics: [Metric])
    /// The earliest time a pending condition can change without new input, if any.
    var nextDeadline: RunTime? { get }
}
