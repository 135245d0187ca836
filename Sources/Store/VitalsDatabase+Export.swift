import GRDB
import VitalsCore

extension VitalsDatabase {
    /// Writes a session's record in `format`, one line at a time through `write` (each line
    /// without its newline).
    public func export(session sessionID: Int64, format: ExportFormat, write: (String) -> Void) throws(StoreError) {
        if format == .fhir {
            write(try fhirBundle(session: sessionID))
            return
        }
        let s = try session(id: sessionID)
        let readings = try readings(session: sessionID)
        let kinds = try deviceTimeKinds()
        switch format {
        case .csv:
            write("session_id,at,t,device,metric,value,unit,flags,device_time,device_time_kind")
            for r in readings {
                let fields: [String] = [
                    String(sessionID), Timestamp.iso8601(milliseconds: r.hostTime),
                    Self.seconds(r.hostTime - s.startedAt), r.device, r.metric.name, NumberText.format(r.value),
                    r.metric.displayUnit, r.flags.names.joined(separator: "|"),
                    r.deviceTime.map { String($0) } ?? "", r.deviceTime == nil ? "" : (kinds[r.device]?.rawValue ?? ""),
                ]
                write(fields.map(Self.csvField).joined(separator: ","))
            }
        case .fhir:
            return  // written above, before the readings are loaded twice
        case .jsonl:
            write(Self.sessionLine(s))
            var lines: [(Int64, Int, String)] = []
            for r in readings {
                let reading = Reading(
                    metric: r.metric, value: r.value, flags: r.flags,
                    deviceTime: r.deviceTime.map { DeviceTime(milliseconds: $0, kind: kinds[r.device] ?? .clock) })
                let o = Observation(
                    reading: reading, device: r.device, time: RunTime(milliseconds: r.hostTime - s.startedAt), hostTime: r.hostTime)
                lines.append((r.hostTime, 0, o.jsonLine))
            }
            for a in try alertEvents(session: sessionID) {
                var e = a.event
                e.time = RunTime(milliseconds: e.hostTime - s.startedAt)
                lines.append((e.hostTime, 1, e.jsonLine))
            }
            for d in try deviceEvents(session: sessionID) {
                var w = JSONObjectWriter()
                w.add("type", "device-event")
                w.add("t", seconds: RunTime(milliseconds: d.at - s.startedAt).seconds)
                w.add("at", Timestamp.iso8601(milliseconds: d.at))
                w.add("device", d.device)
                w.add("event", d.kind.rawValue)
                if let m = d.metric { w.add("metric", m.name) }
                if let c = d.code { w.add("code", c) }
                if let c = d.count { w.add("count", c) }
                w.add("detail", d.detail)
                lines.append((d.at, 2, w.line))
            }
            for e in try events(session: sessionID) {
                var w = JSONObjectWriter()
                w.add("type", "session-event")
                w.add("t", seconds: RunTime(milliseconds: e.at - s.startedAt).seconds)
                w.add("at", Timestamp.iso8601(milliseconds: e.at))
                w.add("event", e.kind.rawValue)
                w.add("text", e.text)
                w.add("by", e.by)
                lines.append((e.at, 3, w.line))
            }
            // Stable: equal times keep readings, alerts, device events, session events in that order.
            for line in lines.enumerated().sorted(by: { ($0.element.0, $0.element.1, $0.offset) < ($1.element.0, $1.element.1, $1.offset) }) {
                write(line.element.2)
            }
        }
    }

    /// The `{"type":"session",...}` line that opens a JSONL export.
    static func sessionLine(_ s: SessionRecord) -> String {
        var w = JSONObjectWriter()
        w.add("type", "session")
        w.add("id", s.id)
        w.add("room", s.room)
        w.add("patient_ref", s.plan.patientRef)
        w.add("clinician", s.plan.clinician)
        w.add("medication", s.plan.medication)
        w.add("dose", s.plan.dose)
        w.add("route", s.plan.route)
        w.add("started_at", Timestamp.iso8601(milliseconds: s.startedAt))
        w.add("dose_at", s.doseAt.map { Timestamp.iso8601(milliseconds: $0) })
        w.add("ended_at", s.endedAt.map { Timestamp.iso8601(milliseconds: $0) })
        w.add("end_reason", s.endReason)
        w.add("observe_s", number: s.plan.observeMilliseconds.map { Double($0) / 1000 })
        w.add("auto_opened", s.autoOpened)
        w.add("limits", raw: limitsJSON(s.plan.limits))
        return w.line
    }

    /// The device-time kind each device sends, by name.
    func deviceTimeKinds() throws(StoreError) -> [String: DeviceTime.Kind] {
        try reading { db in
            var out: [String: DeviceTime.Kind] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT name, device_time_kind FROM devices WHERE device_time_kind IS NOT NULL") {
                if let k = DeviceTime.Kind(rawValue: row[1]) { out[row[0]] = k }
            }
            return out
        }
    }

    static func seconds(_ ms: Int64) -> String {
        let sign = ms < 0 ? "-" : ""
        let a = abs(ms)
        let frac = a % 1000
        return "\(sign)\(a / 1000).\(frac < 10 ? "00" : frac < 100 ? "0" : "")\(frac)"
    }

    /// RFC 4180: quote a field holding a comma, quote, CR or LF; double inner quotes.
    static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
