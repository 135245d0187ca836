extension Observation {
    /// The reading as one JSON line, in DESIGN.md's field order:
    /// `{"type":"reading","t":12.0,"at":"...","device":"...","metric":"spo2","value":97,"unit":"%","flags":[]}`,
    /// followed by `device_time` (ms) and `device_time_kind` where the device sent a time.
    public var jsonLine: String {
        var w = JSONObjectWriter()
        w.add("type", "reading")
        w.add("t", seconds: time.seconds)
        w.add("at", Timestamp.iso8601(milliseconds: hostTime))
        w.add("device", device)
        w.add("metric", metric.name)
        w.add("value", number: value)
        w.add("unit", metric.displayUnit)
        w.add("flags", flags.names)
        if let dt = reading.deviceTime {
            w.add("device_time", dt.milliseconds)
            w.add("device_time_kind", dt.kind.rawValue)
        }
        return w.line
    }
}
