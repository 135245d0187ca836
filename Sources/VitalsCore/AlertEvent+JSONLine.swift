extension AlertEvent {
    /// The event as one JSON line, in DESIGN.md's field order:
    /// `{"type":"alert","t":615.0,"at":"...","rule":"spo2-low","priority":"high","kind":"physiological","event":"raised","metric":"spo2","value":88,"message":"..."}`,
    /// then `device` and `by` where known, and `"data_lost":true` only when the alert's data is lost.
    public var jsonLine: String {
        var w = JSONObjectWriter()
        w.add("type", "alert")
        w.add("t", seconds: time.seconds)
        w.add("at", Timestamp.iso8601(milliseconds: hostTime))
        w.add("rule", rule)
        w.add("priority", priority.rawValue)
        w.add("kind", kind.rawValue)
        w.add("event", event.rawValue)
        w.add("metric", metric?.name)
        w.add("value", number: value)
        w.add("message", message)
        if let device { w.add("device", device) }
        if let by { w.add("by", by) }
        if dataLost { w.add("data_lost", true) }
        return w.line
    }
}
