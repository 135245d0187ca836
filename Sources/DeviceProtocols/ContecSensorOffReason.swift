/// Which status bits of a Contec-family frame put the sensor off, as a plain value: the frame's
/// report is built and compared 60 times a second, and a `String` in it made every copy retain
/// and release. `text` is the reason as the `sensor-off` status gives it.
enum ContecSensorOffReason: UInt8, Sendable, Hashable {
    case none
    // CMS50 legacy stream.
    case fingerOut, probeError, fingerOutAndProbeError
    // BerryMed.
    case probeUnplugged, noFinger, probeUnpluggedAndNoFinger

    /// The reason in words ("finger out", "probe unplugged, no finger"); empty for `none`.
    var text: String {
        switch self {
        case .none: ""
        case .fingerOut: "finger out"
        case .probeError: "probe error"
        case .fingerOutAndProbeError: "finger out, probe error"
        case .probeUnplugged: "probe unplugged"
        case .noFinger: "no finger"
        case .probeUnpluggedAndNoFinger: "probe unplugged, no finger"
        }
    }

    /// The reason for two status bits: `first`, `second` or `both` when each is set.
    static func of(_ a: Bool, _ first: Self, _ b: Bool, _ second: Self, both: Self) -> Self {
        switch (a, b) {
        case (true, true): both
        case (true, false): first
        case (false, true): second
        case (false, false): .none
        }
    }
}
