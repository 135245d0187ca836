import VitalsCore

/// Readable one-line renderings of events for `--format text`.
public enum TextLines {
    /// `09:00:12.000` from a wall-clock label (UTC).
    public static func clock(_ hostTime: Int64) -> String {
        String(Timestamp.iso8601(milliseconds: hostTime).dropFirst(11).prefix(12))
    }

    /// A value as JSON prints it (`97`, `1.5`).
    public static func number(_ v: Double?) -> String {
        var s = ""
        JSONObjectWriter.appendNumber(v, to: &s)
        return s
    }

    /// A reading line.
    public static func reading(_ o: Observation) -> String {
        let flags = o.flags.isEmpty ? "" : "  [" + o.flags.names.joined(separator: ",") + "]"
        return "\(clock(o.hostTime))  \(o.device.padded(16))  \(o.metric.name.padded(10)) \(number(o.value)) \(o.metric.displayUnit)\(flags)"
    }

    /// A device status line.
    public static func status(_ s: DeviceStatus, device: String, hostTime: Int64) -> String {
        var text = "\(clock(hostTime))  \(device.padded(16))  status \(s.kind.rawValue)"
        if let m = s.metric { text += " \(m.name)" }
        if let c = s.code { text += " code=\(c)" }
        if !s.detail.isEmpty { text += ": \(s.detail)" }
        if let o = s.byteOffset { text += " (byte \(o))" }
        return text
    }

    /// A connection or command line.
    public static func deviceEvent(_ e: DeviceInput, device: String, hostTime: Int64) -> String {
        switch e {
        case .connection(let state): "\(clock(hostTime))  \(device.padded(16))  \(state.rawValue)"
        case .commandSent(let c): "\(clock(hostTime))  \(device.padded(16))  sent \(c)"
        case .decoded: "\(clock(hostTime))  \(device.padded(16))  data"
        }
    }

    /// A connection or command event as a JSON line.
    public static func deviceEventJSON(_ e: DeviceInput, device: String, time: RunTime, hostTime: Int64) -> String {
        var w = JSONObjectWriter()
        w.add("type", "device")
        w.add("t", seconds: time.seconds)
        w.add("at", Timestamp.iso8601(milliseconds: hostTime))
        w.add("device", device)
        switch e {
        case .connection(let state): w.add("event", state.rawValue)
        case .commandSent(let c):
            w.add("event", "command")
            w.add("command", c)
        case .decoded: w.add("event", "data")
        }
        return w.line
    }

    /// An alert line: time, priority, event, the message with its value.
    public static func alert(_ e: AlertEvent) -> String {
        let tag: String = switch e.priority {
        case .high: "HIGH  "
        case .medium: "MEDIUM"
        case .low: "LOW   "
        }
        var line = "\(clock(e.hostTime))  \(tag)  \(e.event.rawValue.padded(12)) \(e.message)"
        if let by = e.by { line += " (by \(by))" }
        line += "  [\(e.rule)]"
        return line
    }
}

extension String {
    /// The string padded with spaces to `width`.
    public func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
