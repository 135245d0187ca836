import Bridge
import VitalsCore

/// Collects everything a pipeline emits, for assertions.
final class RecordingOutput: PipelineOutput {
    var readings: [Observation] = []
    var statuses: [DeviceStatus] = []
    var alerts: [AlertEvent] = []
    var deviceEvents: [(DeviceInput, String)] = []
    var finished = false

    func reading(_ o: Observation) { readings.append(o) }
    func status(_ s: DeviceStatus, device: String, time: RunTime, hostTime: Int64) { statuses.append(s) }
    func deviceEvent(_ e: DeviceInput, device: String, time: RunTime, hostTime: Int64) { deviceEvents.append((e, device)) }
    func alert(_ e: AlertEvent) { alerts.append(e) }
    func finish() { finished = true }
}

/// An evaluator that records when it was called and raises an alert on each tick at a deadline.
final class ScriptedEvaluator: AlertEvaluator {
    var ticks: [RunTime] = []
    var observed: [RunTime] = []
    var deadlines: [RunTime]
    var doses: [RunTime] = []

    init(deadlines: [RunTime] = []) { self.deadlines = deadlines }

    func observe(_ o: Observation) -> [AlertEvent] {
        observed.append(o.time)
        guard o.value < 90 else { return [] }
        return [AlertEvent(time: o.time, hostTime: o.hostTime, rule: "low", priority: .high, kind: .physiological,
                           event: .raised, metric: o.metric, value: o.value, message: "low")]
    }
    func deviceStatus(_ s: DeviceStatus, device: String, at time: RunTime) -> [AlertEvent] { [] }
    func connection(_ state: ConnectionState, device: String, at time: RunTime) -> [AlertEvent] { [] }
    func tick(at time: RunTime) -> [AlertEvent] {
        ticks.append(time)
        if let first = deadlines.first, first == time {
            deadlines.removeFirst()
            return [AlertEvent(time: time, hostTime: 0, rule: "deadline", priority: .low, kind: .technical,
                               event: .raised, message: "deadline")]
        }
        return []
    }
    func doseGiven(at time: RunTime) -> [AlertEvent] { doses.append(time); return [] }
    func attach(device: String, provides metrics: [Metric]) {}
    func acknowledge(occurrence: Int, by: String, at time: RunTime) -> [AlertEvent] { [] }
    var nextDeadline: RunTime? { deadlines.first }
}
