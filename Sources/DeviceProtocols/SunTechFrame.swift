/// Byte-level rules of the SunTech Advantage OEM NIBP module's serial protocol
/// (reference/protocols-bp.md 2.1-2.2, [DEC x2]: Appciton `SuntechProvider.cpp` and DesktopFX
/// `NIBP*.java`; no SunTech document was found).
///
/// Host frames are `3A` + command bytes + checksum, with no length byte. Module frames are
/// `3E` + total length + data + checksum. In both directions the checksum is the two's
/// complement of the 8-bit sum of every preceding byte, so a whole frame sums to 0 mod 256.
public enum SunTechFrame {
    /// First byte of every host frame (':').
    public static let hostStart: UInt8 = 0x3A
    /// First byte of every module frame ('>').
    public static let moduleStart: UInt8 = 0x3E
    /// The longest module frame, in bytes (the 0x43 return string).
    public static let maximumLength = 0x43

    /// The byte that makes `bytes` plus itself sum to 0 mod 256.
    public static func checksum<C: Collection>(_ bytes: C) -> UInt8 where C.Element == UInt8 {
        var sum: UInt8 = 0
        for b in bytes { sum &+= b }
        return 0 &- sum
    }

    /// True when `frame` (checksum included) sums to 0 mod 256.
    public static func sumsToZero<C: Collection>(_ frame: C) -> Bool where C.Element == UInt8 {
        var sum: UInt8 = 0
        for b in frame { sum &+= b }
        return sum == 0
    }

    /// A host frame: `3A`, `body`, checksum.
    public static func hostFrame(_ body: [UInt8]) -> [UInt8] {
        let head = [hostStart] + body
        return head + [checksum(head)]
    }

    /// A module frame: `3E`, the total length, `data`, checksum.
    public static func moduleFrame(_ data: [UInt8]) -> [UInt8] {
        let head = [moduleStart, UInt8(truncatingIfNeeded: data.count + 3)] + data
        return head + [checksum(head)]
    }

    /// The total length of the host frame whose command byte is `command` (start byte and
    /// checksum included), or `nil` for a command byte the reference does not list (2.2).
    public static func hostFrameLength(command: UInt8) -> Int? {
        switch command {
        case 0x20, 0x87, 0x28: 3 // start BP: adult, paediatric, neonate
        case 0x8A, 0x00: 3 // reset, get module data
        case 0x04: 4 // calibrate transducer
        case 0x79, 0x17: 5 // two-byte requests; set initial inflate pressure
        case 0x0C, 0x86: 6 // control pneumatics; venous stasis
        case 0x81: 7 // sleep
        default: nil
        }
    }
}
