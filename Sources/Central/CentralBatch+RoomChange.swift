import Store
import VitalsCore

extension CentralBatch {
    /// The central rows of the forwarder's `batch`; `lagRows` / `lagSeconds` are what the room
    /// still holds after it (`VitalsDatabase.forwardLag`).
    public init(_ batch: RoomChangeBatch, lagRows: Int64 = 0, lagSeconds: Double = 0) {
        self.init(room: CentralRoom(id: batch.room.uid, name: batch.room.name ?? batch.room.uid))
        sessions = batch.sessions.map {
            CentralSession(
                id: $0.id, room: $0.room, patientRef: $0.patientRef, clinician: $0.clinician, medication: $0.medication,
                dose: $0.dose, route: $0.route, observeMs: $0.observeMs, limitsJSON: $0.limitsJSON, startedAt: $0.startedAt,
                doseAt: $0.doseAt, endedAt: $0.endedAt, endReason: $0.endReason, autoOpened: $0.autoOpened)
        }
        // One row per device: an upsert may not touch the same row twice in one statement.
        var profiles: [String: String] = [:]
        for r in batch.readings { profiles[r.device] = r.profile }
        devices = profiles.sorted { $0.key < $1.key }.map { CentralDevice(name: $0.key, profile: $0.value) }
        readings = batch.readings.map {
            CentralReading(
                id: $0.id, sessionID: $0.sessionID, device: $0.device, metric: $0.metric.name, t: $0.t, deviceT: $0.deviceT,
                valueX100: Int64(($0.value * 100).rounded()), flags: Int32(bitPattern: $0.flags.rawValue))
        }
        alerts = batch.alerts.map {
            CentralAlert(
                id: $0.id, sessionID: $0.sessionID, rule: $0.rule, occurrence: $0.occurrence, kind: $0.kind.rawValue,
                metric: $0.metric, priority: $0.priority.rawValue, message: $0.message, raisedAt: $0.raisedAt,
                escalatedAt: $0.escalatedAt, acknowledgedAt: $0.acknowledgedAt, acknowledgedBy: $0.acknowledgedBy,
                clearedAt: $0.clearedAt)
        }
        alertEvents = batch.alertEvents.map {
            CentralAlertEvent(
                id: $0.id, alertID: $0.alertID, sessionID: $0.sessionID, t: $0.t, runMs: $0.runMs, event: $0.event.rawValue,
                rule: $0.rule, priority: $0.priority.rawValue, kind: $0.kind.rawValue, metric: $0.metric, value: $0.value,
                message: $0.message, device: $0.device, by: $0.by)
        }
        deviceEvents = batch.deviceEvents.map {
            CentralDeviceEvent(
                id: $0.id, sessionID: $0.sessionID, device: $0.device, t: $0.t, kind: $0.kind, metric: $0.metric, code: $0.code,
                count: $0.count, detail: $0.detail)
        }
        sessionEvents = batch.sessionEvents.map {
            CentralSessionEvent(id: $0.id, sessionID: $0.sessionID, t: $0.t, kind: $0.kind, text: $0.text, by: $0.by)
        }
        self.lagRows = lagRows
        self.lagSeconds = lagSeconds
    }
}
