/// The module's replies, told apart by their length byte (reference/protocols-bp.md 2.1, [DEC x2]).
public enum SunTechReplyKind: UInt8, Sendable, Hashable, CaseIterable {
    /// `3E 04 c cks`: one ASCII status character (`SunTechStatusCharacter`).
    case status = 0x04
    /// `3E 05 lo hi cks`: cuff pressure, int16 little-endian, mmHg; -1 means no value (Appciton).
    case cuffPressure = 0x05
    /// `3E 06 d0 d1 d2 cks`: calibration / return-code reply; Appciton reads byte 3 (0 = pass).
    case returnCode = 0x06
    /// The 24-byte BP result (reference 2.3).
    case bloodPressure = 0x18
    /// The 67-byte return (version) string: `LX` = Advantage, `SB` = Advantage+ (Appciton).
    case returnString = 0x43

    /// The total frame length, start byte and checksum included.
    public var length: Int { Int(rawValue) }
}
