import VitalsCore

extension DeviceEvent {
    /// The event a decoder's `DeviceStatus` becomes in `device_events`: sensor off/on and sync
    /// loss keep their own kinds; every other status is stored as `status` with its kind's name
    /// in `detail` (followed by the status's own description).
    public init(status: DeviceStatus, device: String, at: Int64, badFrames: Int64? = nil) {
        let kind: DeviceEventKind
        switch status.kind {
        case .sensorOff: kind = .sensorOff
        case .sensorOn: kind = .sensorOn
        case .syncLost: kind = .resync
        default: kind = .status
        }
        let detail = kind == .status
            ? status.kind.rawValue + (status.detail.isEmpty ? "" : ": " + status.detail)
            : status.detail
        self.init(
            device: device, at: at, kind: kind, metric: status.metric, code: status.code.map { Int64($0) },
            count: kind == .resync ? badFrames : nil, detail: detail)
    }

    /// The event a connection-state change becomes: `connected` when it starts streaming after
    /// connecting, `streaming` after being quiet, `quiet`, `disconnected`; `nil` for the states
    /// that are not worth a row (connecting, reconnecting).
    public init?(connection state: ConnectionState, previous: ConnectionState?, device: String, at: Int64) {
        let kind: DeviceEventKind
        switch state {
        case .streaming: kind = previous == .quiet ? .streaming : .connected
        case .quiet: kind = .quiet
        case .disconnected: kind = .disconnected
        case .connecting, .reconnecting: return nil
        }
        self.init(device: device, at: at, kind: kind)
    }
}
