extension DeviceStatus {
    /// The status as one JSON line beside reading lines:
    /// `{"type":"status","t":3.0,"at":"...","device":"...","status":"sensor-off","metric":null,"code":null,"detail":"..."}`,
    /// then `offset` (the byte offset in the stream) where known.
    public func jsonLine(time: RunTime, hostTime: Int64, device: String) -> String {
        var w = JSONObjectWriter()
        w.add("type", "status")
        w.add("t", seconds: time.seconds)
        w.add("at", Timestamp.iso8601(milliseconds: hostTime))
        w.add("device", device)
        w.add("status", kind.rawValue)
        w.add("metric", metric?.name)
        w.add("code", number: code.map(Double.init))
        w.add("detail", detail)
        if let byteOffset { w.add("offset", Int64(byteOffset)) }
        return w.line
    }
}
