import Foundation

/// Everything `vitals session show` prints about one session, gathered in one place.
public struct SessionReport: Sendable, Hashable {
    /// The session.
    public var session: SessionRecord
    /// Its devices.
    public var devices: [AttachedDevice]
    /// Per-metric count, min, median, max.
    public var summaries: [MetricSummary]
    /// The REMS BP checkpoints.
    public var checkpoints: REMSCheckpoints
    /// Alerts with their acknowledgements.
    public var alerts: [StoredAlert]
    /// Dose, notes, checkpoints, discharge.
    public var events: [SessionEvent]
    /// The time the report was made (the end of an open session, for durations).
    public var now: Int64

    /// A report.
    public init(
        session: SessionRecord, devices: [AttachedDevice], summaries: [MetricSummary], checkpoints: REMSCheckpoints,
        alerts: [StoredAlert], events: [SessionEvent], now: Int64
    ) {
        self.session = session
        self.devices = devices
        self.summaries = summaries
        self.checkpoints = checkpoints
        self.alerts = alerts
        self.events = events
        self.now = now
    }

    /// Start to end (or to `now` while open).
    public var durationMilliseconds: Int64 { (session.endedAt ?? now) - session.startedAt }

    /// Newlines and other control characters shown escaped, so stored text cannot forge lines.
    public static func oneLine(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F || (0x80..<0xA0).contains(u.value) {
                    out += String(format: "\\x%02X", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out
    }
}
