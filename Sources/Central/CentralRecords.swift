import PostgresNIO

/// A room as the central database knows it: the generated id kept in the room's database (stable
/// across renames and reinstalls of the program) and its configured name.
public struct CentralRoom: Sendable, Hashable {
    public var id: String
    public var name: String
    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// One row of a room table as the central database stores it: its columns after `room_id`, in
/// order, and how to bind them.
public protocol CentralRow: Sendable {
    /// The central table.
    static var table: String { get }
    /// The columns after `room_id`; the first is the room's row id.
    static var columns: [String] { get }
    /// The columns a resend may bring changed (a session that ended, an alert acknowledged):
    /// updated on conflict. Empty: the row is immutable and a resend is skipped.
    static var mutableColumns: [String] { get }
    /// The key a resent row conflicts on, after `room_id`.
    static var key: String { get }
    /// Appends `columns.count` values.
    func bind(into b: inout PostgresBindings)
}

public struct CentralSession: CentralRow, Hashable {
    public var id: Int64, room: String, patientRef: String?, clinician: String?, medication: String?
    public var dose: String?, route: String?, observeMs: Int64?, limitsJSON: String, startedAt: Int64
    public var doseAt: Int64?, endedAt: Int64?, endReason: String?, autoOpened: Bool
    public init(
        id: Int64, room: String, patientRef: String?, clinician: String?, medication: String?, dose: String?,
        route: String?, observeMs: Int64?, limitsJSON: String, startedAt: Int64, doseAt: Int64?, endedAt: Int64?,
        endReason: String?, autoOpened: Bool
    ) {
        (self.id, self.room, self.patientRef, self.clinician, self.medication) = (id, room, patientRef, clinician, medication)
        (self.dose, self.route, self.observeMs, self.limitsJSON, self.startedAt) = (dose, route, observeMs, limitsJSON, startedAt)
        (self.doseAt, self.endedAt, self.endReason, self.autoOpened) = (doseAt, endedAt, endReason, autoOpened)
    }
    public static let table = "sessions"
    public static let key = "id"
    public static let columns = [
        "id", "room", "patient_ref", "clinician", "medication", "dose", "route", "observe_ms", "limits_json",
        "started_at", "dose_at", "ended_at", "end_reason", "auto_opened",
    ]
    public static let mutableColumns = Array(columns.dropFirst())
    public func bind(into b: inout PostgresBindings) {
        b.append(id); b.append(room); b.append(patientRef); b.append(clinician); b.append(medication)
        b.append(dose); b.append(route); b.append(observeMs); b.append(limitsJSON); b.append(startedAt)
        b.append(doseAt); b.append(endedAt); b.append(endReason); b.append(autoOpened)
    }
}

/// A device by its configured name (unique in its room), as readings name it.
public struct CentralDevice: CentralRow, Hashable {
    public var name: String, profile: String
    public init(name: String, profile: String) {
        (self.name, self.profile) = (name, profile)
    }
    public static let table = "devices"
    public static let key = "name"
    public static let columns = ["name", "profile"]
    public static let mutableColumns = ["profile"]
    public func bind(into b: inout PostgresBindings) {
        b.append(name); b.append(profile)
    }
}

/// A reading; `metric` is the metric's name (`spo2`, `nibp.sys`), not the room's integer code,
/// so rooms at different schema versions agree; `valueX100` is the room's fixed-point value.
public struct CentralReading: CentralRow, Hashable {
    public var id: Int64, sessionID: Int64, device: String, metric: String, t: Int64, deviceT: Int64?
    public var valueX100: Int64, flags: Int32
    public init(id: Int64, sessionID: Int64, device: String, metric: String, t: Int64, deviceT: Int64?, valueX100: Int64, flags: Int32) {
        (self.id, self.sessionID, self.device, self.metric, self.t) = (id, sessionID, device, metric, t)
        (self.deviceT, self.valueX100, self.flags) = (deviceT, valueX100, flags)
    }
    public static let table = "readings"
    public static let key = "id"
    public static let columns = ["id", "session_id", "device", "metric", "t", "device_t", "value_x100", "flags"]
    public static let mutableColumns: [String] = []
    public func bind(into b: inout PostgresBindings) {
        b.append(id); b.append(sessionID); b.append(device); b.append(metric); b.append(t)
        b.append(deviceT); b.append(valueX100); b.append(flags)
    }
}

public struct CentralDeviceEvent: CentralRow, Hashable {
    public var id: Int64, sessionID: Int64?, device: String, t: Int64, kind: String, metric: String?
    public var code: Int64?, count: Int64?, detail: String
    public init(id: Int64, sessionID: Int64?, device: String, t: Int64, kind: String, metric: String?, code: Int64?, count: Int64?, detail: String) {
        (self.id, self.sessionID, self.device, self.t, self.kind) = (id, sessionID, device, t, kind)
        (self.metric, self.code, self.count, self.detail) = (metric, code, count, detail)
    }
    public static let table = "device_events"
    public static let key = "id"
    public static let columns = ["id", "session_id", "device", "t", "kind", "metric", "code", "count", "detail"]
    public static let mutableColumns: [String] = []
    public func bind(into b: inout PostgresBindings) {
        b.append(id); b.append(sessionID); b.append(device); b.append(t); b.append(kind)
        b.append(metric); b.append(code); b.append(count); b.append(detail)
    }
}

public struct CentralAlert: CentralRow, Hashable {
    public var id: Int64, sessionID: Int64, rule: String, occurrence: Int64, kind: String, metric: String?
    public var priority: String, message: String, raisedAt: Int64, escalatedAt: Int64?, acknowledgedAt: Int64?
    public var acknowledgedBy: String?, clearedAt: Int64?
    public init(
        id: Int64, sessionID: Int64, rule: String, occurrence: Int64, kind: String, metric: String?, priority: String,
        message: String, raisedAt: Int64, escalatedAt: Int64?, acknowledgedAt: Int64?, acknowledgedBy: String?, clearedAt: Int64?
    ) {
        (self.id, self.sessionID, self.rule, self.occurrence, self.kind, self.metric) = (id, sessionID, rule, occurrence, kind, metric)
        (self.priority, self.message, self.raisedAt, self.escalatedAt) = (priority, message, raisedAt, escalatedAt)
        (self.acknowledgedAt, self.acknowledgedBy, self.clearedAt) = (acknowledgedAt, acknowledgedBy, clearedAt)
    }
    public static let table = "alerts"
    public static let key = "id"
    public static let columns = [
        "id", "session_id", "rule", "occurrence", "kind", "metric", "priority", "message", "raised_at",
        "escalated_at", "acknowledged_at", "acknowledged_by", "cleared_at",
    ]
    public static let mutableColumns = Array(columns.dropFirst())
    public func bind(into b: inout PostgresBindings) {
        b.append(id); b.append(sessionID); b.append(rule); b.append(occurrence); b.append(kind); b.append(metric)
        b.append(priority); b.append(message); b.append(raisedAt); b.append(escalatedAt); b.append(acknowledgedAt)
        b.append(acknowledgedBy); b.append(clearedAt)
    }
}

public struct CentralAlertEvent: CentralRow, Hashable {
    public var id: Int64, alertID: Int64, sessionID: Int64, t: Int64, runMs: Int64, event: String, rule: String
    public var priority: String, kind: String, metric: String?, value: Double?, message: String, device: String?, by: String?
    public init(
        id: Int64, alertID: Int64, sessionID: Int64, t: Int64, runMs: Int64, event: String, rule: String, priority: String,
        kind: String, metric: String?, value: Double?, message: String, device: String?, by: String?
    ) {
        (self.id, self.alertID, self.sessionID, self.t, self.runMs, self.event) = (id, alertID, sessionID, t, runMs, event)
        (self.rule, self.priority, self.kind, self.metric, self.value) = (rule, priority, kind, metric, value)
        (self.message, self.device, self.by) = (message, device, by)
    }
    public static let table = "alert_events"
    public static let key = "id"
    public static let columns = [
        "id", "alert_id", "session_id", "t", "run_ms", "event", "rule", "priority", "kind", "metric", "value",
        "message", "device", "by",
    ]
    public static let mutableColumns: [String] = []
    public func bind(into b: inout PostgresBindings) {
        b.append(id); b.append(alertID); b.append(sessionID); b.append(t); b.append(runMs); b.append(event)
        b.append(rule); b.append(priority); b.append(kind); b.append(metric); b.append(value); b.append(message)
        b.append(device); b.append(by)
    }
}

public struct CentralSessionEvent: CentralRow, Hashable {
    public var id: Int64, sessionID: Int64, t: Int64, kind: String, text: String, by: String?
    public init(id: Int64, sessionID: Int64, t: Int64, kind: String, text: String, by: String?) {
        (self.id, self.sessionID, self.t, self.kind, self.text, self.by) = (id, sessionID, t, kind, text, by)
    }
    public static let table = "session_events"
    public static let key = "id"
    public static let columns = ["id", "session_id", "t", "kind", "text", "by"]
    public static let mutableColumns: [String] = []
    public func bind(into b: inout PostgresBindings) {
        b.append(id); b.append(sessionID); b.append(t); b.append(kind); b.append(text); b.append(by)
    }
}

/// What one delivery writes for one room, in one transaction: parents before children
/// (sessions, devices, then readings and events), so a reader never sees a reading whose session
/// is missing. `lagRows` / `lagSeconds`: what the room still holds unsent after this batch (and
/// the age of its oldest unsent row), for the heartbeat.
public struct CentralBatch: Sendable {
    public var room: CentralRoom
    public var sessions: [CentralSession] = []
    public var devices: [CentralDevice] = []
    public var readings: [CentralReading] = []
    public var alerts: [CentralAlert] = []
    public var alertEvents: [CentralAlertEvent] = []
    public var deviceEvents: [CentralDeviceEvent] = []
    public var sessionEvents: [CentralSessionEvent] = []
    public var lagRows: Int64 = 0
    public var lagSeconds: Double = 0

    public init(room: CentralRoom) { self.room = room }

    /// Rows in the batch.
    public var rowCount: Int {
        sessions.count + devices.count + readings.count + alerts.count + alertEvents.count + deviceEvents.count
            + sessionEvents.count
    }
}
