import VitalsCore

/// One room as `vitals status` shows it: whether it is monitored, its open session, devices,
/// latest vitals under clinical labels, and active alerts most urgent first.
public struct RoomStatus: Sendable, Hashable {
    public var room: String
    /// The daemon's last heartbeat, if it ever ran here.
    public var heartbeat: RoomHeartbeat?
    /// Monitored or not, at the time of the query.
    public var monitoring: MonitoringState
    /// The open session, if any.
    public var session: SessionRecord?
    /// The session's devices (their states are unknown while not monitored).
    public var devices: [SessionDeviceState]
    /// The latest vitals, in `VitalSign.order`.
    public var vitals: [VitalSign]
    /// Active alerts by priority (high first), then raise time.
    public var alerts: [StoredAlert]
}

/// One line of vitals: "SpO2 97 %", "BP 192/114 (140) mmHg".
public struct VitalSign: Sendable, Hashable {
    /// The clinical label: SpO2, Pulse, BP, Resp, EtCO2 …
    public var label: String
    /// The value as read: "97", "192/114 (140)".
    public var value: String
    /// The unit ("%", "/min", "mmHg").
    public var unit: String
    /// The readings behind it (one, or a blood pressure's systolic, diastolic and mean).
    public var readings: [StoredReading]
    /// True when a reading is outside the session's limits (rule defaults with the patient's overrides).
    public var outOfRange: Bool
    /// The oldest reading's host time, ms since 1970 UTC.
    public var at: Int64 { readings.map(\.hostTime).min() ?? 0 }
    /// The device that measured it.
    public var device: String { readings.first?.device ?? "" }

    /// The clinical label of a metric shown on its own (BP's parts are combined).
    public static func label(_ metric: Metric) -> String {
        switch metric {
        case .spo2: "SpO2"
        case .pulse: "Pulse"
        case .pi: "PI"
        case .pleth: "Pleth"
        case .nibpSystolic: "BP sys"
        case .nibpDiastolic: "BP dia"
        case .nibpMean: "BP mean"
        case .nibpPulse: "BP pulse"
        case .hr: "HR"
        case .resp: "Resp"
        case .awrr: "awRR"
        case .etco2: "EtCO2"
        case .temp: "Temp"
        }
    }

    /// The limits (by rule-file name) a metric's value must keep: below `low` or above `high`
    /// (at or above `highInclusive`) is out of range. From Rules/ketamine.yaml's limits:
    /// `spo2_low` (below 90 alarms), `pulse_low`/`pulse_high`, and the hypertensive crisis
    /// `bp_crisis_sys`/`bp_crisis_dia` (SBP >179 or DBP >109, i.e. at or above 180/110) and
    /// `bp_low_sys`.
    static func bounds(_ metric: Metric) -> (low: String?, high: String?, highInclusive: Bool) {
        switch metric {
        case .spo2: ("spo2_low", nil, false)
        case .pulse, .hr, .nibpPulse: ("pulse_low", "pulse_high", false)
        case .nibpSystolic: ("bp_low_sys", "bp_crisis_sys", true)
        case .nibpDiastolic: (nil, "bp_crisis_dia", true)
        case .pi, .pleth, .nibpMean, .resp, .awrr, .etco2, .temp: (nil, nil, false)
        }
    }

    /// True when `value` of `metric` is outside `limits`.
    public static func isOutOfRange(_ metric: Metric, _ value: Double, limits: [String: Double]) -> Bool {
        let b = bounds(metric)
        if let name = b.low, let low = limits[name], value < low { return true }
        if let name = b.high, let high = limits[name] {
            return b.highInclusive ? value >= high : value > high
        }
        return false
    }

    /// The vitals of `readings` (latest per metric), under clinical labels, in a fixed order:
    /// SpO2, Pulse, HR, BP, Resp, EtCO2, then the rest. The pleth wave is not a vital.
    public static func signs(_ readings: [StoredReading], limits: [String: Double]) -> [VitalSign] {
        var byMetric: [Metric: StoredReading] = [:]
        for r in readings where r.metric != .pleth { byMetric[r.metric] = r }
        func single(_ m: Metric) -> VitalSign? {
            guard let r = byMetric[m] else { return nil }
            return VitalSign(
                label: label(m), value: NumberText.format(r.value), unit: m.displayUnit, readings: [r],
                outOfRange: isOutOfRange(m, r.value, limits: limits))
        }
        var out: [VitalSign] = []
        for m in [Metric.spo2, .pulse, .hr] { if let s = single(m) { out.append(s) } }
        if let sys = byMetric[.nibpSystolic], let dia = byMetric[.nibpDiastolic] {
            var text = "\(NumberText.format(sys.value))/\(NumberText.format(dia.value))"
            var parts = [sys, dia]
            if let map = byMetric[.nibpMean] {
                text += " (\(NumberText.format(map.value)))"
                parts.append(map)
            }
            out.append(VitalSign(
                label: "BP", value: text, unit: Metric.nibpSystolic.displayUnit, readings: parts,
                outOfRange: isOutOfRange(.nibpSystolic, sys.value, limits: limits)
                    || isOutOfRange(.nibpDiastolic, dia.value, limits: limits)))
        } else {
            for m in [Metric.nibpSystolic, .nibpDiastolic, .nibpMean] { if let s = single(m) { out.append(s) } }
        }
        for m in [Metric.nibpPulse, .resp, .awrr, .etco2, .temp, .pi] { if let s = single(m) { out.append(s) } }
        return out
    }
}

/// A room `status` or `tail` was asked about that the database does not know (exit 66).
public struct UnknownRoomError: Error, Sendable, Hashable, CustomStringConvertible {
    public var room: String
    public var known: [String]

    public init(room: String, known: [String]) {
        self.room = room
        self.known = known
    }

    public var description: String {
        "no room \"\(room)\" in this database (no session or `vitals run` there)"
            + (known.isEmpty ? "" : "; rooms: \(known.joined(separator: ", "))")
    }
}

extension VitalsDatabase {
    /// Every room with an open session or a heartbeat (only `room`, when given), at `now` (ms
    /// since 1970 UTC). `defaultLimits` are the rule set's limit defaults by name; a session's
    /// own limits override them.
    public func roomStatuses(room: String?, now: Int64, defaultLimits: [String: Double]) throws -> [RoomStatus] {
        let known = try knownRooms()
        if let room, !known.contains(room) { throw UnknownRoomError(room: room, known: known) }
        let beats = Dictionary(try heartbeats().map { ($0.room, $0) }, uniquingKeysWith: { a, _ in a })
        let open = Dictionary(try openSessions().map { ($0.room, $0) }, uniquingKeysWith: { a, _ in a })
        let rooms = room.map { [$0] } ?? known.filter { beats[$0] != nil || open[$0] != nil }
        return try rooms.map { name in
            let session = open[name]
            let limits = defaultLimits.merging(session?.plan.limits ?? [:]) { _, own in own }
            let alerts = try session.map { try activeAlerts(session: $0.id) } ?? []
            return RoomStatus(
                room: name, heartbeat: beats[name], monitoring: MonitoringState(beats[name], now: now), session: session,
                devices: try session.map { try deviceStates(session: $0.id) } ?? [],
                vitals: VitalSign.signs(try session.map { try latestReadings(session: $0.id) } ?? [], limits: limits),
                alerts: alerts.sorted { ($0.priority.rank, $1.raisedAt, $1.id) > ($1.priority.rank, $0.raisedAt, $0.id) })
        }
    }
}

extension AlertPriority {
    /// 2 high, 1 medium, 0 low: for ordering.
    var rank: Int {
        switch self {
        case .high: 2
        case .medium: 1
        case .low: 0
        }
    }
}

extension RoomStatus {
    /// DESIGN.md's room object: `{"type":"room","room":…,"monitoring":…,"heartbeat_at":…,
    /// "session":{…}|null,"devices":[…],"vitals":[…],"alerts":[…]}`, times in ISO 8601 UTC.
    /// A device's `state` is `unknown` while the room is not monitored.
    public var json: String {
        var w = JSONObjectWriter()
        w.add("type", "room")
        w.add("room", room)
        w.add("monitoring", monitoring.isMonitoring)
        w.add("heartbeat_at", heartbeat.map { Timestamp.iso8601(milliseconds: $0.at) })
        w.add("monitoring_since", { () -> String? in
            if case let .monitoring(since) = monitoring { return Timestamp.iso8601(milliseconds: since) }
            return nil
        }())
        if let s = session {
            var o = JSONObjectWriter()
            o.add("id", s.id)
            o.add("patient", s.plan.patientRef)
            o.add("started_at", Timestamp.iso8601(milliseconds: s.startedAt))
            o.add("dose_at", s.doseAt.map { Timestamp.iso8601(milliseconds: $0) })
            o.add("automatic", s.autoOpened)
            w.add("session", raw: o.line)
        } else {
            w.add("session", raw: "null")
        }
        w.add("devices", raw: "[" + devices.map { d in
            var o = JSONObjectWriter()
            o.add("name", d.name)
            o.add("profile", d.profile)
            o.add("state", deviceState(d))
            o.add("since", d.connectionAt.map { Timestamp.iso8601(milliseconds: $0) })
            o.add("sensor_off", d.sensorOff)
            return o.line
        }.joined(separator: ",") + "]")
        w.add("vitals", raw: "[" + vitals.flatMap { v in
            v.readings.map { r in
                var o = JSONObjectWriter()
                o.add("metric", r.metric.name)
                o.add("label", v.label)
                o.add("value", number: r.value)
                o.add("unit", r.metric.displayUnit)
                o.add("at", Timestamp.iso8601(milliseconds: r.hostTime))
                o.add("device", r.device)
                o.add("out_of_range", v.outOfRange)
                return o.line
            }
        }.joined(separator: ",") + "]")
        w.add("alerts", raw: "[" + alerts.map { a in
            var o = JSONObjectWriter()
            o.add("alert_id", a.id)
            o.add("rule", a.rule)
            o.add("priority", a.priority.rawValue)
            o.add("kind", a.kind.rawValue)
            o.add("message", a.message)
            o.add("raised_at", Timestamp.iso8601(milliseconds: a.raisedAt))
            o.add("acknowledged_by", a.acknowledgedBy)
            o.add("acknowledged_at", a.acknowledgedAt.map { Timestamp.iso8601(milliseconds: $0) })
            return o.line
        }.joined(separator: ",") + "]")
        return w.line
    }

    /// A device's state as terminals show it: `unknown` while the room is not monitored (what
    /// the last run stored is no longer news), else its last connection state.
    public func deviceState(_ d: SessionDeviceState) -> String {
        guard monitoring.isMonitoring else { return "unknown" }
        if d.detachedAt != nil { return "detached" }
        return d.connection?.rawValue ?? "connected"
    }
}
