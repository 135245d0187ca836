import Bridge
import Store
import VitalsCore

/// The text `vitals status` shows: each open session's devices, latest values and active
/// alerts, every line at most `width` columns (measured before colour is added).
struct StatusFrame {
    let database: VitalsDatabase
    let width: Int
    let formatter = LocalTimeFormatter()

    /// The lines for the open sessions (of `room` only, when given) at `now`.
    func lines(room: String?, now: Int64) throws -> [String] {
        let sessions = try database.openSessions(room: room)
        guard !sessions.isEmpty else {
            let whereText = room.map { " in room \"\($0)\"" } ?? ""
            return ["No open session\(whereText) (start one with `vitals session start`, or run `vitals run`)."] + (try forwarding(now: now))
        }
        var out: [String] = []
        for (index, s) in sessions.enumerated() {
            if index > 0 { out.append("") }
            out += try session(s, now: now)
        }
        return out + (try forwarding(now: now))
    }

    /// Each `vitals forward` destination and how far behind the room it is (nothing when the
    /// room forwards nowhere).
    func forwarding(now: Int64) throws -> [String] {
        let destinations = try database.forwardDestinations(now: now)
        guard !destinations.isEmpty else { return [] }
        var out = ["", "FORWARDING"]
        for d in destinations {
            let behind = d.lagRows == 0
                ? "up to date"
                : "\(d.lagRows) rows behind, oldest \(DurationText.readable(milliseconds: Int64(d.lagSeconds * 1000))) old"
            out.append(fit("  \(d.destination)  \(behind); last delivery \(formatter.time(d.lastDeliveryAt))"))
        }
        return out
    }

    func session(_ s: SessionRecord, now: Int64) throws -> [String] {
        var out: [String] = []
        var head = "\(s.room)  session \(s.id)"
        if let p = s.plan.patientRef { head += "  patient \(p)" } else if s.autoOpened { head += "  (automatic)" }
        head += "  started \(formatter.time(s.startedAt)) (\(DurationText.readable(milliseconds: now - s.startedAt)))"
        out.append(fit(head))
        if let dose = s.doseAt {
            out.append(fit("  dose at \(formatter.time(dose)), \(DurationText.readable(milliseconds: now - dose)) ago"))
        }

        let devices = try database.deviceStates(session: s.id)
        out.append("  DEVICE              PROFILE             STATE")
        if devices.isEmpty { out.append("  (no device has sent data)") }
        for d in devices {
            var state = d.detachedAt != nil ? "detached" : (d.connection?.rawValue ?? "connected")
            if let at = d.connectionAt, d.detachedAt == nil { state += " since \(formatter.time(at))" }
            if d.sensorOff { state += ", sensor off" }
            let line = fit("  \(d.name.padded(18))  \(d.profile.padded(18))  \(state)")
            // A device not delivering (or without its sensor on) stands out, in the medium colour.
            let troubled = d.sensorOff || d.detachedAt != nil || d.connection == .quiet || d.connection == .disconnected
                || d.commandRefused != nil
            out.append(troubled ? TerminalStyle.colour(line, .medium) : line)
            // On a line of its own: the refusal names the command, too long to share the state's.
            if let refused = d.commandRefused {
                out.append(TerminalStyle.colour(fit("    command refused: \(refused)"), .medium))
            }
        }

        let readings = try database.latestReadings(session: s.id).filter { $0.metric != .pleth }
        out.append("  METRIC      VALUE         AGE       DEVICE              FLAGS")
        if readings.isEmpty { out.append("  (no readings yet)") }
        for r in readings {
            let value = "\(NumberText.format(r.value)) \(r.metric.displayUnit)"
            let age = DurationText.readable(milliseconds: max(0, now - r.hostTime))
            let flags = r.flags.names.joined(separator: ",")
            out.append(fit("  \(r.metric.name.padded(10))  \(value.padded(12))  \(age.padded(8))  \(r.device.padded(18))  \(flags)"))
        }

        let alerts = try database.activeAlerts(session: s.id)
        if alerts.isEmpty {
            out.append("  No active alerts.")
        } else {
            out.append("  ACTIVE ALERTS")
            for a in alerts {
                var text = "\(formatter.time(a.raisedAt))  \(a.message)"
                if let by = a.acknowledgedBy { text += " - acknowledged by \(by)" }
                text += "  (alert \(a.id))"
                // The tag is padded to six columns before colour, so the cut is measured on plain text.
                let plain = fit("  XXXXXX  " + text)
                out.append("  " + TerminalStyle.priorityTag(a.priority) + String(plain.dropFirst(8)))
            }
        }
        return out
    }

    /// `line` cut to the width (with an ellipsis).
    func fit(_ line: String) -> String {
        var l = Substring(line)
        while l.last == " " { l = l.dropLast() }
        return l.count <= width ? String(l) : String(l.prefix(width - 1)) + "…"
    }
}
