import Foundation
import Store
import VitalsCore

extension SessionReport {
    /// The report as `vitals session show` prints it, times in `timeZone`.
    public func text(timeZone: TimeZone = .current) -> String {
        let fmt = LocalTimeFormatter(timeZone: timeZone)
        let s = session
        var out: [String] = []
        let state = s.isOpen ? "open" : "ended"
        out.append("Session \(s.id)  room \(s.room)  \(state)\(s.autoOpened ? "  (opened automatically when data arrived)" : "")")
        func field(_ name: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            out.append("  " + name.padding(toLength: 12, withPad: " ", startingAt: 0) + Self.oneLine(value))
        }
        field("Patient", s.plan.patientRef)
        field("Clinician", s.plan.clinician)
        field("Medication", [s.plan.medication, s.plan.dose, s.plan.route].compactMap { $0 }.joined(separator: " "))
        field("Lot", s.plan.lot)
        field("Started", fmt.dateTime(s.startedAt))
        field("Dose", s.doseAt.map { "\(fmt.dateTime($0))  (\(DurationText.readable(milliseconds: $0 - s.startedAt)) after start)" } ?? "not recorded")
        if let e = s.endedAt {
            field("Ended", "\(fmt.dateTime(e))" + (s.endReason.map { "  reason: \(Self.oneLine($0))" } ?? ""))
        }
        field("Duration", DurationText.readable(milliseconds: durationMilliseconds) + (s.isOpen ? " so far" : ""))
        if let observe = s.plan.observeMilliseconds, let until = s.observationEndsAt {
            let met = (s.endedAt ?? now) >= until
            field("Observation", "\(DurationText.readable(milliseconds: observe)) planned after \(s.doseAt == nil ? "start" : "the dose"), until \(fmt.time(until)): \(met ? "met" : "not yet met")")
        }
        if !s.plan.limits.isEmpty {
            field("Limits", s.plan.limits.sorted { $0.key < $1.key }.map { "\($0.key)=\(NumberText.format($0.value))" }.joined(separator: " "))
        }

        out.append("")
        out.append("Devices")
        if devices.isEmpty { out.append("  none") }
        for d in devices {
            var line = "  \(d.name) (\(d.profile))"
            if let v = d.usbVendorID, let p = d.usbProductID { line += String(format: "  usb %04x:%04x", v, p) }
            if let sn = d.serialNumber { line += "  serial \(Self.oneLine(sn))" }
            line += "  from \(fmt.time(d.attachedAt))"
            if let det = d.detachedAt { line += " to \(fmt.time(det))" }
            out.append(line)
        }

        out.append("")
        out.append("Readings (valid; left-out artifact/sensor-off readings in brackets)")
        if summaries.isEmpty { out.append("  none") }
        for m in summaries {
            let unit = m.metric.displayUnit
            let stats = m.count == 0 ? "no valid readings" :
                "min \(NumberText.format(m.minimum ?? 0))  median \(NumberText.format(m.median ?? 0))  max \(NumberText.format(m.maximum ?? 0)) \(unit)"
            out.append("  \(m.metric.name.padding(toLength: 11, withPad: " ", startingAt: 0)) \(String(m.count).reportLeftPadded(6))  \(stats)\(m.invalidCount > 0 ? "  [\(m.invalidCount)]" : "")")
        }

        out.append("")
        out.append("REMS blood pressure checkpoints")
        if !checkpoints.hasDose {
            out.append("  no dose time recorded: record it with `vitals session dose`")
        } else {
            let dose = s.doseAt ?? s.startedAt
            func cp(_ name: String, _ m: BPMeasurement?) {
                let label = name.padding(toLength: 28, withPad: " ", startingAt: 0)
                if let m {
                    let rel = m.at - dose
                    out.append("  \(label)\(fmt.time(m.at))  \(m.text) mmHg  (dose \(rel < 0 ? "-" : "+")\(DurationText.readable(milliseconds: abs(rel))))")
                } else {
                    out.append("  \(label)MISSING")
                }
            }
            cp("before the dose", checkpoints.baseline)
            let w = checkpoints.postDoseWindowMinutes
            cp("~\(checkpoints.windows.postDoseCheckMilliseconds / 60_000) min after (\(w.lowerBound)-\(w.upperBound) min)", checkpoints.postDose)
            cp("before discharge (\(checkpoints.windows.beforeDischargeMilliseconds / 60_000) min)", checkpoints.beforeDischarge)
        }

        out.append("")
        out.append("Alerts")
        if alerts.isEmpty { out.append("  none") }
        for a in alerts {
            var line = "  \(fmt.time(a.raisedAt))  \(a.priority.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)) \(a.rule)  \(Self.oneLine(a.message))"
            if let e = a.escalatedAt { line += "; escalated \(fmt.time(e))" }
            if let ack = a.acknowledgedAt {
                line += "; acknowledged \(fmt.time(ack))" + (a.acknowledgedBy.map { " by \(Self.oneLine($0))" } ?? "")
            } else {
                line += "; not acknowledged"
            }
            line += a.clearedAt.map { "; cleared \(fmt.time($0))" } ?? "; not cleared"
            out.append(line)
        }

        if !events.isEmpty {
            out.append("")
            out.append("Events")
            for e in events {
                out.append("  \(fmt.time(e.at))  \(e.kind.rawValue)\(e.text.isEmpty ? "" : "  " + Self.oneLine(e.text))\(e.by.map { "  (\(Self.oneLine($0)))" } ?? "")")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// Right-aligned in `width` columns (longer strings are kept whole).
    func reportLeftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
