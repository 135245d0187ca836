import VitalsCore

/// Where a destination's forwarding stands: the last row delivered of each table.
///
/// Ids are the room database's own row ids. `changeSeq` counts through `forward_changes`, the
/// trigger-written log of inserted or changed `sessions` and `alerts` rows (those two tables are
/// updated in place). A fresh destination starts at all zeros: it gets the room's whole history.
public struct ForwardCursor: Sendable, Hashable, Codable {
    public var changeSeq: Int64
    public var readingID: Int64
    public var alertEventID: Int64
    public var deviceEventID: Int64
    public var sessionEventID: Int64

    public init(changeSeq: Int64 = 0, readingID: Int64 = 0, alertEventID: Int64 = 0, deviceEventID: Int64 = 0, sessionEventID: Int64 = 0) {
        self.changeSeq = changeSeq
        self.readingID = readingID
        self.alertEventID = alertEventID
        self.deviceEventID = deviceEventID
        self.sessionEventID = sessionEventID
    }
}

/// The room a database belongs to, as central systems should key it.
public struct RoomIdentity: Sendable, Hashable, Codable {
    /// Generated once per room database (32 lowercase hex digits, table `room_identity`) and never
    /// changed. Central keys are (`uid`, table, row id): a row resent after a crash or an outage
    /// has the same key, so an idempotent destination stores it once.
    public var uid: String
    /// The room's name as its sessions carry it (`sessions.room` of the newest session); `nil`
    /// before the first session. A display name only: it may change, `uid` does not.
    public var name: String?

    public init(uid: String, name: String?) {
        self.uid = uid
        self.name = name
    }
}

/// Everything in a room database after one destination's cursor, for one `deliver` call.
///
/// Each array is in row-id order, and each row carries its room-database `id`: with
/// `room.uid` that id is the row's identity anywhere else (a destination that may see a row twice,
/// after a crash between its commit and the cursor's, upserts on it). Times are integer
/// milliseconds since 1970-01-01 UTC (host clock) unless a field says otherwise.
///
/// The batch is complete in this sense: every session a reading, alert or event below refers to
/// is in `sessions` (its current full row), whether it changed or not, so a destination never
/// meets an unknown parent and can store the session before its children. `activeAlerts` is context, not change:
/// the alerts not cleared at the batch's end, changed or not (PCD-04 re-sends them periodically).
public struct RoomChangeBatch: Sendable {
    public var room: RoomIdentity
    /// Sessions inserted or changed since the cursor, plus those the other rows refer to (full
    /// rows, current state), by id.
    public var sessions: [ForwardSession]
    /// New readings, by id (which is commit order, and per device time order).
    public var readings: [ForwardReading]
    /// Alerts (one row per occurrence) inserted or changed since the cursor (full rows), by id.
    public var alerts: [ForwardAlert]
    /// New alert events (raised, escalated, acknowledged, cleared, ...), by id.
    public var alertEvents: [ForwardAlertEvent]
    /// New device events (connection, sensor, battery, error), by id.
    public var deviceEvents: [ForwardDeviceEvent]
    /// New session events (notes, dose, start, end), by id.
    public var sessionEvents: [ForwardSessionEvent]
    /// Alerts not cleared at the end of this batch, whether they changed or not (context).
    public var activeAlerts: [ForwardAlert]
    /// The cursor before this batch.
    public var from: ForwardCursor
    /// The cursor once this batch is delivered.
    public var through: ForwardCursor
    /// True when rows remain after `through` (the batch was cut at its row limit).
    public var hasMore: Bool
    /// The forwarder's clock (ms since 1970 UTC) when it follows a live room; `nil` in a
    /// `--once` run, where time is the rows' own (a destination's periodic messages then stop
    /// at the newest row's time).
    public var now: Int64?

    public init(
        room: RoomIdentity, sessions: [ForwardSession] = [], readings: [ForwardReading] = [], alerts: [ForwardAlert] = [],
        alertEvents: [ForwardAlertEvent] = [], deviceEvents: [ForwardDeviceEvent] = [],
        sessionEvents: [ForwardSessionEvent] = [], activeAlerts: [ForwardAlert] = [],
        from: ForwardCursor = ForwardCursor(), through: ForwardCursor = ForwardCursor(), hasMore: Bool = false,
        now: Int64? = nil
    ) {
        self.now = now
        self.room = room
        self.sessions = sessions
        self.readings = readings
        self.alerts = alerts
        self.alertEvents = alertEvents
        self.deviceEvents = deviceEvents
        self.sessionEvents = sessionEvents
        self.activeAlerts = activeAlerts
        self.from = from
        self.through = through
        self.hasMore = hasMore
    }

    /// True when the batch changes nothing (it may still carry `activeAlerts`).
    public var isEmpty: Bool {
        sessions.isEmpty && readings.isEmpty && alerts.isEmpty && alertEvents.isEmpty && deviceEvents.isEmpty
            && sessionEvents.isEmpty
    }
}

/// A `sessions` row (docs/SCHEMA.md).
public struct ForwardSession: Sendable, Hashable, Codable {
    public var id: Int64
    public var room: String
    /// The patient reference the clinician entered (an MRN or a study id); `nil` when none.
    public var patientRef: String?
    public var clinician: String?
    public var medication: String?
    public var dose: String?
    public var route: String?
    /// The planned observation period after the dose, ms.
    public var observeMs: Int64?
    /// The session's limit overrides as stored (a JSON object, metric limit name -> number).
    public var limitsJSON: String
    public var startedAt: Int64
    public var doseAt: Int64?
    public var endedAt: Int64?
    public var endReason: String?
    /// True when the daemon opened the session on its own (a device delivered readings with none open).
    public var autoOpened: Bool

    public init(
        id: Int64, room: String, patientRef: String?, clinician: String?, medication: String?, dose: String?,
        route: String?, observeMs: Int64?, limitsJSON: String, startedAt: Int64, doseAt: Int64?, endedAt: Int64?,
        endReason: String?, autoOpened: Bool
    ) {
        self.id = id
        self.room = room
        self.patientRef = patientRef
        self.clinician = clinician
        self.medication = medication
        self.dose = dose
        self.route = route
        self.observeMs = observeMs
        self.limitsJSON = limitsJSON
        self.startedAt = startedAt
        self.doseAt = doseAt
        self.endedAt = endedAt
        self.endReason = endReason
        self.autoOpened = autoOpened
    }
}

/// A `readings` row with its device's name and its metric resolved.
public struct ForwardReading: Sendable, Hashable, Codable {
    public var id: Int64
    public var sessionID: Int64
    /// The device's configured name (`devices.name`, unique in the room).
    public var device: String
    /// The device's profile (`nonin-ascii`, `suntech-advantage`, ...).
    public var profile: String
    public var metric: Metric
    /// In `metric.displayUnit`, exact to 0.01 (stored as value x 100).
    public var value: Double
    /// Quality flags (`QualityFlags` raw value): invalid, sensor off, artifact, ...
    public var flags: QualityFlags
    /// Host receive time, ms since 1970 UTC.
    public var t: Int64
    /// The device's own time for the value, ms, when it reported one (for NIBP the measurement
    /// time, older than `t`); its meaning (clock or counter) is the device's `device_time_kind`.
    public var deviceT: Int64?

    public init(
        id: Int64, sessionID: Int64, device: String, profile: String, metric: Metric, value: Double,
        flags: QualityFlags, t: Int64, deviceT: Int64?
    ) {
        self.id = id
        self.sessionID = sessionID
        self.device = device
        self.profile = profile
        self.metric = metric
        self.value = value
        self.flags = flags
        self.t = t
        self.deviceT = deviceT
    }
}

/// An `alerts` row: one occurrence of a rule's alert, updated as it escalates, is acknowledged
/// and clears.
public struct ForwardAlert: Sendable, Hashable, Codable {
    public var id: Int64
    public var sessionID: Int64
    public var rule: String
    /// The rule's occurrence number in this session (1, 2, ...).
    public var occurrence: Int64
    public var kind: AlertKind
    /// The metric name (`spo2`, ...) for a physiological alert; `nil` for a technical one without one.
    public var metric: String?
    /// The current priority (after any escalation).
    public var priority: AlertPriority
    public var message: String
    public var raisedAt: Int64
    public var escalatedAt: Int64?
    public var acknowledgedAt: Int64?
    public var acknowledgedBy: String?
    public var clearedAt: Int64?

    public init(
        id: Int64, sessionID: Int64, rule: String, occurrence: Int64, kind: AlertKind, metric: String?,
        priority: AlertPriority, message: String, raisedAt: Int64, escalatedAt: Int64?, acknowledgedAt: Int64?,
        acknowledgedBy: String?, clearedAt: Int64?
    ) {
        self.id = id
        self.sessionID = sessionID
        self.rule = rule
        self.occurrence = occurrence
        self.kind = kind
        self.metric = metric
        self.priority = priority
        self.message = message
        self.raisedAt = raisedAt
        self.escalatedAt = escalatedAt
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
        self.clearedAt = clearedAt
    }
}

/// An `alert_events` row: one transition of an alert.
public struct ForwardAlertEvent: Sendable, Hashable, Codable {
    public var id: Int64
    public var alertID: Int64
    public var sessionID: Int64
    /// Host time of the event, ms since 1970 UTC.
    public var t: Int64
    /// The event's time on the daemon's run clock, ms since the run started.
    public var runMs: Int64
    public var event: AlertEventKind
    public var rule: String
    /// The priority at this event.
    public var priority: AlertPriority
    public var kind: AlertKind
    public var metric: String?
    /// The metric's value that triggered the event, in its display unit.
    public var value: Double?
    public var message: String
    /// The device whose reading or status caused the event.
    public var device: String?
    /// Who acknowledged (for `acknowledged` events).
    public var by: String?

    public init(
        id: Int64, alertID: Int64, sessionID: Int64, t: Int64, runMs: Int64, event: AlertEventKind, rule: String,
        priority: AlertPriority, kind: AlertKind, metric: String?, value: Double?, message: String, device: String?,
        by: String?
    ) {
        self.id = id
        self.alertID = alertID
        self.sessionID = sessionID
        self.t = t
        self.runMs = runMs
        self.event = event
        self.rule = rule
        self.priority = priority
        self.kind = kind
        self.metric = metric
        self.value = value
        self.message = message
        self.device = device
        self.by = by
    }
}

/// A `device_events` row.
public struct ForwardDeviceEvent: Sendable, Hashable, Codable {
    public var id: Int64
    /// `nil` when no session was open.
    public var sessionID: Int64?
    public var device: String
    public var t: Int64
    /// `DeviceEventKind` raw value as stored (kept as text so that a newer kind still forwards).
    public var kind: String
    public var metric: String?
    public var code: Int64?
    public var count: Int64?
    public var detail: String

    public init(
        id: Int64, sessionID: Int64?, device: String, t: Int64, kind: String, metric: String?, code: Int64?,
        count: Int64?, detail: String
    ) {
        self.id = id
        self.sessionID = sessionID
        self.device = device
        self.t = t
        self.kind = kind
        self.metric = metric
        self.code = code
        self.count = count
        self.detail = detail
    }
}

/// A `session_events` row.
public struct ForwardSessionEvent: Sendable, Hashable, Codable {
    public var id: Int64
    public var sessionID: Int64
    public var t: Int64
    /// `SessionEventKind` raw value as stored.
    public var kind: String
    public var text: String
    public var by: String?

    public init(id: Int64, sessionID: Int64, t: Int64, kind: String, text: String, by: String?) {
        self.id = id
        self.sessionID = sessionID
        self.t = t
        self.kind = kind
        self.text = text
        self.by = by
    }
}
