/// The error codes of a BP result's byte 20 and of the self-test reply (reference/protocols-bp.md
/// 2.4, meanings from Appciton's message table, [DEC]).
///
/// The byte values are the ones the reference says to implement: Appciton compares against
/// both `0x55...` and `0x85...`; the second set is the same numbers written in decimal, so it is
/// taken to be Appciton's bug and the byte carries 85 = 0x55 and so on.
public enum SunTechErrorCode: UInt8, Sendable, Hashable, CaseIterable {
    /// 0x01: weak or no oscillometric signal.
    case weakSignal = 0x01
    /// 0x02: artifact / erratic signal.
    case artifact = 0x02
    /// 0x03: BP out of range.
    case outOfRange = 0x03
    /// 0x04: measurement time limit exceeded.
    case timeLimitExceeded = 0x04
    /// 0x55 (85): pneumatic blockage.
    case pneumaticBlockage = 0x55
    /// 0x56 (86): terminated by user.
    case terminatedByUser = 0x56
    /// 0x57 (87): inflate timeout, air leak or loose cuff.
    case inflateTimeout = 0x57
    /// 0x58 (88): safety timeout.
    case safetyTimeout = 0x58
    /// 0x59 (89): cuff overpressure.
    case cuffOverpressure = 0x59
    /// 0x5A (90): power supply out of range / hardware problem.
    case powerSupply = 0x5A
    /// 0x5B (91): permission problem (safety override fitted, or autozero out of range).
    case permission = 0x5B
    /// 0x61 (97): transducer out of range.
    case transducerOutOfRange = 0x61
    /// 0x63 (99): EEPROM calibration data failure.
    case eepromFailure = 0x63

    /// What the code means.
    public var meaning: String {
        switch self {
        case .weakSignal: "weak or no oscillometric signal"
        case .artifact: "artifact / erratic signal"
        case .outOfRange: "BP out of range"
        case .timeLimitExceeded: "measurement time limit exceeded"
        case .pneumaticBlockage: "pneumatic blockage"
        case .terminatedByUser: "terminated by user"
        case .inflateTimeout: "inflate timeout, air leak or loose cuff"
        case .safetyTimeout: "safety timeout"
        case .cuffOverpressure: "cuff overpressure"
        case .powerSupply: "power supply out of range / hardware problem"
        case .permission: "permission problem (safety override fitted, or autozero out of range)"
        case .transducerOutOfRange: "transducer out of range"
        case .eepromFailure: "EEPROM calibration data failure"
        }
    }

    /// The detail a `.measurementError` status carries for byte `code`, known or not:
    /// `error 0x55 (85): pneumatic blockage`.
    public static func detail(for code: UInt8) -> String {
        let hex = String(code, radix: 16, uppercase: true)
        let head = "error 0x\(hex.count < 2 ? "0" + hex : hex) (\(code))"
        guard let known = SunTechErrorCode(rawValue: code) else {
            return head + ": not in the reference's table"
        }
        return head + ": " + known.meaning
    }
}
