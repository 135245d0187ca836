import VitalsCore

/// `--format jsonl` of `vitals session list` and `vitals session show`: one JSON object a line,
/// each with a `type`; times in ISO 8601 UTC.
extension SessionRecord {
    /// `{"type":"session","id":…,"room":…,"patient":…,"started_at":…,"ended_at":…,"open":…,…}`.
    public func json(now: Int64) -> String {
        var w = JSONObjectWriter()
        w.add("type", "session")
        w.add("id", id)
        w.add("room", room)
        w.add("patient", plan.patientRef)
        w.add("clinician", plan.clinician)
        w.add("medication", plan.medication)
        w.add("dose", plan.dose)
        w.add("route", plan.route)
        w.add("started_at", Timestamp.iso8601(milliseconds: startedAt))
        w.add("dose_at", doseAt.map { Timestamp.iso8601(milliseconds: $0) })
        w.add("ended_at", endedAt.map { Timestamp.iso8601(milliseconds: $0) })
        w.add("end_reason", endReason)
        w.add("duration_s", number: Double((endedAt ?? now) - startedAt) / 1000)
        w.add("open", isOpen)
        w.add("automatic", autoOpened)
        var limits = JSONObjectWriter()
        for (name, value) in plan.limits.sorted(by: { $0.key < $1.key }) { limits.add(name, number: value) }
        w.add("limits", raw: limits.line)
        return w.line
    }
}

extension SessionReport {
    /// The session object, then one object per device, metric summary, REMS checkpoint, alert
    /// and session event.
    public var jsonLines: [String] {
        var out = [session.json(now: now)]
        func iso(_ ms: Int64?) -> String? { ms.map { Timestamp.iso8601(milliseconds: $0) } }
        for d in devices {
            var w = JSONObjectWriter()
            w.add("type", "device")
            w.add("name", d.name)
            w.add("profile", d.profile)
            w.add("serial", d.serialNumber)
            w.add("attached_at", iso(d.attachedAt))
            w.add("detached_at", iso(d.detachedAt))
            out.append(w.line)
        }
        for s in summaries {
            var w = JSONObjectWriter()
            w.add("type", "summary")
            w.add("metric", s.metric.name)
            w.add("unit", s.metric.displayUnit)
            w.add("count", Int64(s.count))
            w.add("invalid", Int64(s.invalidCount))
            w.add("min", number: s.minimum)
            w.add("median", number: s.median)
            w.add("max", number: s.maximum)
            out.append(w.line)
        }
        for (name, bp) in [("baseline", checkpoints.baseline), ("post_dose", checkpoints.postDose), ("before_discharge", checkpoints.beforeDischarge)] {
            var w = JSONObjectWriter()
            w.add("type", "checkpoint")
            w.add("checkpoint", name)
            w.add("at", iso(bp?.at))
            w.add("sys", number: bp?.systolic)
            w.add("dia", number: bp?.diastolic)
            w.add("device", bp?.device)
            out.append(w.line)
        }
        for a in alerts {
            var w = JSONObjectWriter()
            w.add("type", "alert")
            w.add("alert_id", a.id)
            w.add("rule", a.rule)
            w.add("priority", a.priority.rawValue)
            w.add("kind", a.kind.rawValue)
            w.add("message", a.message)
            w.add("raised_at", iso(a.raisedAt))
            w.add("acknowledged_at", iso(a.acknowledgedAt))
            w.add("acknowledged_by", a.acknowledgedBy)
            w.add("cleared_at", iso(a.clearedAt))
            out.append(w.line)
        }
        for e in events {
            var w = JSONObjectWriter()
            w.add("type", "event")
            w.add("at", iso(e.at))
            w.add("kind", e.kind.rawValue)
            w.add("text", e.text)
            w.add("by", e.by)
            out.append(w.line)
        }
        return out
    }
}
