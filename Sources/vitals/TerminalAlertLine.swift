import Bridge
import Foundation
import Store
import VitalsCore

/// One alert event as `vitals tail` prints it.
enum TerminalAlertLine {
    /// `09:41:03  room-3      HIGH    raised        SpO2 below 90 %: 87  (alert 12)`; a cleared
    /// alert says how long it lasted, an acknowledgement who gave it (and the note, where the
    /// `ack` command carried one). The date is added when the event is not from today.
    static func text(_ e: StoredAlertEvent, note: String?, now: Int64, formatter: LocalTimeFormatter) -> String {
        let event = e.event
        let when = formatter.dateTime(event.hostTime).prefix(10) == formatter.dateTime(now).prefix(10)
            ? formatter.time(event.hostTime) : formatter.dateTime(event.hostTime)
        var line = "\(when)  \(e.room.padded(10))  \(TerminalStyle.priorityTag(event.priority))  "
        line += event.event.rawValue.padded(12) + " " + event.message
        switch event.event {
        case .acknowledged:
            if let by = event.by { line += " - by \(by)" }
            if let note, !note.isEmpty { line += " (\(note))" }
        case .cleared:
            if let raised = e.raisedAt { line += " - lasted \(DurationText.readable(milliseconds: event.hostTime - raised))" }
        case .raised, .escalated:
            break
        }
        return line + TerminalStyle.dim("  (alert \(e.alertID))")
    }

    /// DESIGN.md's alert object (`type`, `t`, `at`, `rule`, `priority`, `kind`, `event`,
    /// `metric`, `value`, `message`) followed by `room`, `session`, `alert_id`, `by` (null unless
    /// acknowledged) and, for an acknowledgement with one, `note`.
    ///
    /// `t` is seconds since the start of the event's session (the daemon's run clock restarts
    /// with each `vitals run`, so it cannot order a session's events; the session start can).
    static func json(_ e: StoredAlertEvent, note: String?) -> String {
        let event = e.event
        var w = JSONObjectWriter()
        w.add("type", "alert")
        w.add("t", seconds: Double(event.hostTime - (e.sessionStartedAt ?? event.hostTime)) / 1000)
        w.add("at", Timestamp.iso8601(milliseconds: event.hostTime))
        w.add("rule", event.rule)
        w.add("priority", event.priority.rawValue)
        w.add("kind", event.kind.rawValue)
        w.add("event", event.event.rawValue)
        w.add("metric", event.metric?.name)
        w.add("value", number: event.value)
        w.add("message", event.message)
        w.add("room", e.room)
        w.add("session", e.sessionID)
        w.add("alert_id", e.alertID)
        w.add("by", event.by)
        if let note, !note.isEmpty { w.add("note", note) }
        return w.line
    }
}
