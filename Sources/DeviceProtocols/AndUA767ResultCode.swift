/// The result code in the first two characters of an A&D UA-767PC record
/// (reference/protocols-bp.md 1.1, [DEC]; 1.2 for "anything but 80 is invalid").
///
/// `80` is a valid measurement. The helper's validator also accepts `81`, `82` and `83`; what
/// they mean is not in any source read [GAP], so they are reported as measurement errors with no
/// readings. Any other code is not a record.
public enum AndUA767ResultCode: UInt8, Sendable, Hashable, CaseIterable {
    /// `80`: a valid measurement.
    case valid = 0x80
    /// `81`: accepted by the helper, meaning unknown [GAP].
    case unknown81 = 0x81
    /// `82`: accepted by the helper, meaning unknown [GAP].
    case unknown82 = 0x82
    /// `83`: accepted by the helper, meaning unknown [GAP].
    case unknown83 = 0x83

    /// The detail of the `.measurementError` status for a code other than `80`.
    public var detail: String {
        switch self {
        case .valid: "valid measurement"
        case .unknown81, .unknown82, .unknown83:
            "result code \(String(rawValue, radix: 16, uppercase: true)): not a valid measurement (meaning unknown [GAP])"
        }
    }
}
