import GRDB
import VitalsCore

extension VitalsDatabase {
    /// The readings of `sessionID` in time order (host time, then commit order).
    ///
    /// Readings are found through the session's reading-id range (`first_reading_id` ..
    /// `last_reading_id`), which keeps the table free of a per-reading index (docs/SCHEMA.md).
    public func readings(session sessionID: Int64, metric: Metric? = nil) throws(StoreError) -> [StoredReading] {
        try reading { db in
            guard let s = try Self.session(db, id: sessionID) else { throw StoreError.unknownSession(id: sessionID) }
            guard let range = s.readingIDs else { return [] }
            var sql = """
                SELECT r.id, r.session_id, d.name, r.metric, r.value_x100, r.flags, r.t, r.device_t
                FROM readings r JOIN devices d ON d.id = r.device_id
                WHERE r.id BETWEEN ? AND ? AND r.session_id = ?
                """
            var args: StatementArguments = [range.lowerBound, range.upperBound, sessionID]
            if let metric {
                sql += " AND r.metric = ?"
                args += [metric.storageCode]
            }
            sql += " ORDER BY r.t, r.id"
            return try Row.fetchAll(db, sql: sql, arguments: args).compactMap(Self.storedReading)
        }
    }

    static func storedReading(_ row: Row) -> StoredReading? {
        guard let metric = Metric(storageCode: row[3]) else { return nil }
        let flags: Int64 = row[5]
        return StoredReading(
            id: row[0], sessionID: row[1], device: row[2], metric: metric,
            value: ReadingValue.decode(row[4]), flags: QualityFlags(rawValue: UInt32(truncatingIfNeeded: flags)),
            hostTime: row[6], deviceTime: row[7])
    }

    /// Count, min, median and max of each metric over the session's valid readings.
    public func summary(session sessionID: Int64) throws(StoreError) -> [MetricSummary] {
        let all = try readings(session: sessionID)
        var valid: [Metric: [Double]] = [:]
        var invalid: [Metric: Int] = [:]
        for r in all {
            if r.flags.isPhysiologicallyValid {
                valid[r.metric, default: []].append(r.value)
            } else {
                invalid[r.metric, default: 0] += 1
            }
        }
        let metrics = Set(valid.keys).union(invalid.keys).sorted()
        return metrics.map { MetricSummary(metric: $0, values: valid[$0] ?? [], invalidCount: invalid[$0] ?? 0) }
    }

    /// The cuff measurements of a session: each valid systolic reading paired with the diastolic
    /// reading the same device sent within two seconds of it.
    public func bloodPressures(session sessionID: Int64) throws(StoreError) -> [BPMeasurement] {
        let bp = try readings(session: sessionID).filter {
            ($0.metric == .nibpSystolic || $0.metric == .nibpDiastolic) && $0.flags.isPhysiologicallyValid
        }
        let dias = bp.filter { $0.metric == .nibpDiastolic }
        return bp.filter { $0.metric == .nibpSystolic }.map { sys in
            let dia = dias.first { $0.device == sys.device && abs($0.hostTime - sys.hostTime) <= 2000 }
            return BPMeasurement(at: sys.hostTime, systolic: sys.value, diastolic: dia?.value, device: sys.device)
        }
    }

    /// The REMS BP checkpoints of a session in `windows` (the rule set's `rems:` section; see
    /// `REMSCheckpoints`); `now` stands in for the end of an open session.
    public func remsCheckpoints(session sessionID: Int64, now: Int64, windows: REMSWindows = .standard) throws(StoreError) -> REMSCheckpoints {
        let s = try session(id: sessionID)
        guard let dose = s.doseAt else {
            return REMSCheckpoints(baseline: nil, postDose: nil, beforeDischarge: nil, hasDose: false, windows: windows)
        }
        let all = try bloodPressures(session: sessionID)
        let baseline = all.last { $0.at <= dose && $0.at >= dose - windows.predoseWindowMilliseconds }
        let target = dose + windows.postDoseCheckMilliseconds
        let window = (dose + windows.postDoseWindowMilliseconds.lowerBound)...(dose + windows.postDoseWindowMilliseconds.upperBound)
        let post = all.filter { window.contains($0.at) }.min { abs($0.at - target) < abs($1.at - target) }
        let end = s.endedAt ?? now
        let discharge = all.last {
            $0.at > window.upperBound && $0.at <= end && $0.at >= end - windows.beforeDischargeMilliseconds
        }
        return REMSCheckpoints(baseline: baseline, postDose: post, beforeDischarge: discharge, hasDose: true, windows: windows)
    }

    /// Alert events with an id greater than `id`, oldest first, at most `limit`: what
    /// `vitals tail` polls for (pass 0 first, then the last id it printed). `room` filters.
    public func alertEvents(after id: Int64, room: String? = nil, limit: Int = 1000) throws(StoreError) -> [StoredAlertEvent] {
        try reading { db in
            var sql = """
                SELECT e.*, s.room FROM alert_events e JOIN sessions s ON s.id = e.session_id WHERE e.id > ?
                """
            var args: StatementArguments = [id]
            if let room {
                sql += " AND s.room = ?"
                args += [room]
            }
            sql += " ORDER BY e.id LIMIT ?"
            args += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: args).compactMap(Self.storedAlertEvent)
        }
    }

    /// The alert events of a session in order.
    public func alertEvents(session sessionID: Int64) throws(StoreError) -> [StoredAlertEvent] {
        try reading { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT e.*, s.room FROM alert_events e JOIN sessions s ON s.id = e.session_id
                    WHERE e.session_id = ? ORDER BY e.t, e.id
                    """,
                arguments: [sessionID]
            ).compactMap(Self.storedAlertEvent)
        }
    }

    /// The id of the newest alert event (0 when there is none): where `vitals tail` starts
    /// when it should print only new events.
    public func lastAlertEventID() throws(StoreError) -> Int64 {
        try reading { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM alert_events") ?? 0 }
    }

    static func storedAlertEvent(_ row: Row) -> StoredAlertEvent? {
        guard let priority = AlertPriority(rawValue: row["priority"]), let kind = AlertKind(rawValue: row["kind"]),
              let ev = AlertEventKind(rawValue: row["event"])
        else { return nil }
        let metricName: String? = row["metric"]
        let event = AlertEvent(
            time: RunTime(milliseconds: row["run_ms"]), hostTime: row["t"], rule: row["rule"], priority: priority,
            kind: kind, event: ev, metric: metricName.flatMap(Metric.init(name:)), value: row["value"],
            message: row["message"], device: row["device"], by: row["by"])
        return StoredAlertEvent(id: row["id"], alertID: row["alert_id"], sessionID: row["session_id"], room: row["room"], event: event)
    }

    /// The alerts (occurrences) of a session with their acknowledgements, in the order raised.
    public func alerts(session sessionID: Int64) throws(StoreError) -> [StoredAlert] {
        try reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alerts WHERE session_id = ? ORDER BY raised_at, id", arguments: [sessionID])
                .compactMap(Self.storedAlert)
        }
    }

    /// The devices attached to a session.
    public func devices(session sessionID: Int64) throws(StoreError) -> [AttachedDevice] {
        try reading { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.*, sd.attached_at, sd.detached_at FROM session_devices sd JOIN devices d ON d.id = sd.device_id
                    WHERE sd.session_id = ? ORDER BY sd.attached_at, d.name
                    """,
                arguments: [sessionID]
            ).map { row in
                let vendor: Int64? = row["usb_vendor"]
                let product: Int64? = row["usb_product"]
                return AttachedDevice(
                    profile: row["profile"], name: row["name"], usbVendorID: vendor.map { UInt16(truncatingIfNeeded: $0) },
                    usbProductID: product.map { UInt16(truncatingIfNeeded: $0) }, serialNumber: row["serial"],
                    attachedAt: row["attached_at"], detachedAt: row["detached_at"])
            }
        }
    }

    /// The device events of a session in time order.
    public func deviceEvents(session sessionID: Int64) throws(StoreError) -> [DeviceEvent] {
        try reading { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.name, e.* FROM device_events e JOIN devices d ON d.id = e.device_id
                    WHERE e.session_id = ? ORDER BY e.t, e.id
                    """,
                arguments: [sessionID]
            ).compactMap { row in
                guard let kind = DeviceEventKind(rawValue: row["kind"]) else { return nil }
                let metricCode: Int? = row["metric"]
                return DeviceEvent(
                    device: row[0], at: row["t"], kind: kind, metric: metricCode.flatMap(Metric.init(storageCode:)),
                    code: row["code"], count: row["count"], detail: row["detail"])
            }
        }
    }

    /// The waveform chunks of a session in time order, decoded.
    public func waveforms(session sessionID: Int64) throws(StoreError) -> [StoredWaveform] {
        try reading { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.name, w.* FROM waveform_chunks w JOIN devices d ON d.id = w.device_id
                    WHERE w.session_id = ? ORDER BY w.t, w.id
                    """,
                arguments: [sessionID]
            ).compactMap { row in
                guard let metric = Metric(storageCode: row["metric"]),
                      let samples = WaveformEncoding.decode(row["samples"], encoding: row["encoding"])
                else { return nil }
                let flags: Int64 = row["flags"]
                return StoredWaveform(
                    device: row[0], startAt: row["t"],
                    waveform: Waveform(
                        metric: metric, sampleRate: row["sample_rate"], samples: samples,
                        flags: QualityFlags(rawValue: UInt32(truncatingIfNeeded: flags))))
            }
        }
    }

    /// What stands in the way of ending `sessionID` at `now`: the planned observation not over,
    /// or the last valid value of a metric outside one of the session's limits.
    ///
    /// A limit counts when its name is `<metric>_low`/`_high` (also `_min`/`_max`), the metric
    /// written with `_` or `.` (`spo2_low`, `nibp_sys_high`, `nibp.sys_high`). `extraLimits`
    /// are the rules' defaults, used where the session has none of its own.
    public func endWarnings(session sessionID: Int64, now: Int64, extraLimits: [String: Double] = [:]) throws(StoreError) -> [EndWarning] {
        let s = try session(id: sessionID)
        var warnings: [EndWarning] = []
        if let until = s.observationEndsAt, until > now {
            warnings.append(.observationNotOver(until: until, remainingMilliseconds: until - now))
        }
        let limits = extraLimits.merging(s.plan.limits) { _, own in own }
        guard !limits.isEmpty else { return warnings }
        var lastValid: [Metric: StoredReading] = [:]
        for r in try readings(session: sessionID) where r.flags.isPhysiologicallyValid {
            lastValid[r.metric] = r
        }
        for (name, limitValue) in limits.sorted(by: { $0.key < $1.key }) {
            guard let (metric, isLow) = Self.limitTarget(name), let last = lastValid[metric] else { continue }
            if isLow ? last.value < limitValue : last.value > limitValue {
                warnings.append(.outsideLimit(metric: metric, value: last.value, limit: name, limitValue: limitValue))
            }
        }
        return warnings
    }

    /// The metric a limit name bounds and whether it is a lower bound.
    static func limitTarget(_ name: String) -> (Metric, Bool)? {
        for (suffix, isLow) in [("_low", true), ("_min", true), ("_high", false), ("_max", false)] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if let m = Metric(name: base) ?? Metric(name: base.replacingOccurrences(of: "_", with: ".")) {
                return (m, isLow)
            }
        }
        return nil
    }
}
