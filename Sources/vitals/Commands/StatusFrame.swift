import Store
import VitalsCore

/// The text `vitals status` shows for each room, made to be read at a glance: a loud banner when
/// the room is not monitored, the session line, active alerts most urgent first (acknowledged
/// ones dimmed and marked), vitals under clinical labels with out-of-range values marked, then
/// the devices. Every line fits `width` columns (cut with an ellipsis, measured before colour),
/// and the frame fits `height` lines: the banner and headers come first and the rest is cut with
/// a "… n more lines" marker, so the header never scrolls away.
struct StatusFrame {
    let width: Int
    let height: Int?
    let formatter = LocalTimeFormatter()

    /// The frame for `rooms` at `now` (ms since 1970 UTC), then where the room forwards to
    /// (`forwarding`, from `VitalsDatabase.forwardDestinations`; issue 17).
    func lines(_ rooms: [RoomStatus], filteredTo room: String?, now: Int64, forwarding: [ForwardDestinationState] = []) -> [String] {
        guard !rooms.isEmpty else {
            let whereText = room.map { " in room \"\($0)\"" } ?? ""
            return ["No open session\(whereText) (start one with `vitals session start`, or run `vitals run`)."]
                + self.forwarding(forwarding)
        }
        var out: [String] = []
        for (index, r) in rooms.enumerated() {
            if index > 0 { out.append("") }
            out += self.room(r, now: now)
        }
        return fitHeight(out + self.forwarding(forwarding))
    }

    /// One room's lines.
    func room(_ r: RoomStatus, now: Int64) -> [String] {
        var out: [String] = []
        switch r.monitoring {
        case .monitoring:
            break
        case .stopped, .never:
            // Reverse video in the high colour; plain capitals without colour.
            let banner = fit("!! \(r.monitoring.text(formatter)) !!")
            out.append(TerminalStyle.banner(banner))
        }
        // The monitoring state comes right after the room, so a narrow terminal never cuts it;
        // the rest wraps onto indented lines instead of being cut.
        var parts = [r.room]
        if r.monitoring.isMonitoring { parts.append(r.monitoring.text(formatter)) }
        if let s = r.session {
            parts.append("session \(s.id)")
            if let p = s.plan.patientRef { parts.append("patient \(p)") } else if s.autoOpened { parts.append("(automatic)") }
            parts.append("started \(formatter.time(s.startedAt)) (\(DurationText.readable(milliseconds: now - s.startedAt)))")
            if let dose = s.doseAt { parts.append("dose \(formatter.time(dose)) (\(DurationText.readable(milliseconds: now - dose)) ago)") }
        } else {
            parts.append("no open session")
        }
        out += packed(parts).map { TerminalStyle.bold($0) }
        guard r.session != nil else { return out }

        if r.alerts.isEmpty {
            out.append(fit("  No active alerts."))
        } else {
            out.append("  ALERTS")
            for a in r.alerts {
                var text = "\(formatter.time(a.raisedAt))  \(a.message)  (alert \(a.id))"
                if let by = a.acknowledgedBy { text += "  acknowledged by \(by)" }
                // The tag is padded to six columns before colour, so the cut is measured on plain text.
                let plain = String(fit("  XXXXXX  " + text).dropFirst(10))
                if a.acknowledgedBy != nil {
                    out.append(TerminalStyle.dim("  " + "ack'd ".padded(6) + "  " + plain))
                } else {
                    out.append("  " + TerminalStyle.priorityTag(a.priority) + "  " + plain)
                }
            }
        }

        out.append("  VITALS")
        if r.vitals.isEmpty { out.append("  (no readings yet)") }
        let wide = width >= 100
        for v in r.vitals {
            let value = "\(v.value) \(v.unit)"
            let mark = v.outOfRange ? "!" : " "
            let age = DurationText.readable(milliseconds: max(0, now - v.at)) + " ago"
            var line = "  \(v.label.padded(8)) \(value.padded(wide ? 22 : 18)) \(mark) \(age.padded(wide ? 10 : 8))"
            let flags = Set(v.readings.flatMap { $0.flags.names }).sorted().joined(separator: ",")
            if wide { line += "  \(v.device.padded(20))" }
            if !flags.isEmpty { line += "  \(flags)" }
            line = fit(line)
            out.append(v.outOfRange ? TerminalStyle.colour(line, .high) : line)
        }

        out.append("  DEVICES")
        if r.devices.isEmpty { out.append("  (no device has sent data)") }
        for d in r.devices {
            var state = r.deviceState(d)
            if r.monitoring.isMonitoring, let at = d.connectionAt, d.detachedAt == nil { state += " since \(formatter.time(at))" }
            if r.monitoring.isMonitoring, d.sensorOff { state += ", sensor off" }
            let line = fit("  \(d.name.padded(wide ? 20 : 14)) \(d.profile.padded(wide ? 20 : 16)) \(state)")
            // A device not delivering (or without its sensor on) stands out, in the medium colour.
            let troubled = !r.monitoring.isMonitoring || d.sensorOff || d.detachedAt != nil
                || d.connection == .quiet || d.connection == .disconnected || d.commandRefused != nil
            out.append(troubled ? TerminalStyle.colour(line, .medium) : line)
            // On a line of its own: the refusal names the command, too long to share the state's.
            if let refused = d.commandRefused {
                out.append(TerminalStyle.colour(fit("    command refused: \(refused)"), .medium))
            }
        }
        return out
    }

    /// Each `vitals forward` destination and how far behind the room it is (nothing when the
    /// room forwards nowhere).
    func forwarding(_ destinations: [ForwardDestinationState]) -> [String] {
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

    /// `lines` cut to the height, the last line saying how many were left out.
    func fitHeight(_ lines: [String]) -> [String] {
        guard let height, height > 1, lines.count > height else { return lines }
        return Array(lines.prefix(height - 1)) + [TerminalStyle.dim(fit("… \(lines.count - height + 1) more lines (a taller terminal, or --room)"))]
    }

    /// `line` cut to the width (with an ellipsis).
    /// `parts` joined by two spaces into lines of at most `width` columns, continuation lines
    /// indented by two; a part wider than a line is cut.
    func packed(_ parts: [String]) -> [String] {
        var lines: [String] = []
        var current = ""
        for part in parts {
            if current.isEmpty {
                current = lines.isEmpty ? part : "  " + part
            } else if current.count + 2 + part.count <= width {
                current += "  " + part
            } else {
                lines.append(fit(current))
                current = "  " + part
            }
        }
        if !current.isEmpty { lines.append(fit(current)) }
        return lines
    }

    func fit(_ line: String) -> String {
        var l = Substring(line)
        while l.last == " " { l = l.dropLast() }
        return l.count <= width ? String(l) : String(l.prefix(max(1, width - 1))) + "…"
    }
}
