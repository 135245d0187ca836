import VitalsCore

/// The bits of a Masimo `EXC=` token (reference/protocols-spo2.md 2.4), what each means and the
/// quality flags it puts on readings.
///
/// Bits 0x001 to 0x800 are [SPEC] (Rad-8 operator's manual, trend format; MD PnP uses the same
/// meanings on the serial line). Bits 0x001000 to 0x800000 are [3P-single] (the MD PnP table,
/// presumably from the Radical-7 manual). 0x800 ("Masimo SET") is the normal running state, not
/// an exception. Bits the tables do not name are kept in the status code and set only
/// `deviceException`.
public enum MasimoExceptionBits {
    /// One bit: its value, its label, the flags it sets, and the source of its meaning.
    public struct Bit: Sendable, Hashable {
        /// The bit's value in the EXC code.
        public var mask: UInt32
        /// What the device means by it.
        public var label: String
        /// Quality flags a reading gets while it is set.
        public var flags: QualityFlags
        /// `[SPEC]` or `[3P-single]`.
        public var source: String
    }

    /// "Masimo SET": the algorithm runs in full SET mode (the good state, not an exception).
    public static let set: UInt32 = 0x800

    /// The bits the reference names.
    public static let table: [Bit] = [
        Bit(mask: 0x001, label: "no sensor", flags: .sensorOff, source: "[SPEC]"),
        Bit(mask: 0x002, label: "defective sensor", flags: .sensorOff, source: "[SPEC]"),
        Bit(mask: 0x004, label: "low perfusion", flags: .lowPerfusion, source: "[SPEC]"),
        Bit(mask: 0x008, label: "pulse search", flags: .outOfTrack, source: "[SPEC]"),
        Bit(mask: 0x010, label: "interference", flags: .artifact, source: "[SPEC]"),
        Bit(mask: 0x020, label: "sensor off patient", flags: .sensorOff, source: "[SPEC]"),
        Bit(mask: 0x040, label: "ambient light", flags: .artifact, source: "[SPEC]"),
        Bit(mask: 0x080, label: "unrecognized sensor", flags: .sensorOff, source: "[SPEC]"),
        Bit(mask: 0x100, label: "reserved (MD PnP: incompatible sensor)", flags: [], source: "[SPEC] reserved; [3P-single] meaning"),
        Bit(mask: 0x200, label: "reserved", flags: [], source: "[SPEC]"),
        Bit(mask: 0x400, label: "low signal IQ", flags: .lowConfidence, source: "[SPEC]"),
        Bit(mask: 0x001000, label: "no cable", flags: .sensorOff, source: "[3P-single]"),
        Bit(mask: 0x002000, label: "cable life expired", flags: [], source: "[3P-single]"),
        Bit(mask: 0x004000, label: "incompatible cable", flags: .sensorOff, source: "[3P-single]"),
        Bit(mask: 0x008000, label: "unrecognized cable", flags: .sensorOff, source: "[3P-single]"),
        Bit(mask: 0x010000, label: "defective cable", flags: .sensorOff, source: "[3P-single]"),
        Bit(mask: 0x020000, label: "sensor calibrating", flags: .lowConfidence, source: "[3P-single]"),
        Bit(mask: 0x040000, label: "sensor life expired", flags: [], source: "[3P-single]"),
        Bit(mask: 0x080000, label: "emitter temperature out of range", flags: [], source: "[3P-single]"),
        Bit(mask: 0x100000, label: "sensor current limit exceeded", flags: [], source: "[3P-single]"),
        Bit(mask: 0x200000, label: "SpCO low confidence", flags: [], source: "[3P-single]"),
        Bit(mask: 0x400000, label: "SpMet low confidence", flags: [], source: "[3P-single]"),
        Bit(mask: 0x800000, label: "reserved", flags: [], source: "[3P-single]"),
    ]

    /// True when `code` reports an exception (any bit other than SET).
    public static func isException(_ code: UInt32) -> Bool { code & ~set != 0 }

    /// Quality flags for readings sent with `code`: each named bit's flags, plus
    /// `deviceException` when any bit other than SET is set.
    public static func flags(for code: UInt32) -> QualityFlags {
        var flags: QualityFlags = isException(code) ? .deviceException : []
        for bit in table where code & bit.mask != 0 { flags.formUnion(bit.flags) }
        return flags
    }

    /// The labels of the bits set, for a status's detail ("pulse search, sensor off patient").
    public static func labels(for code: UInt32) -> String {
        var parts: [String] = []
        for bit in table where code & bit.mask != 0 { parts.append(bit.label) }
        let unknown = code & ~(table.reduce(set) { $0 | $1.mask })
        if unknown != 0 { parts.append("unknown bits 0x" + String(unknown, radix: 16, uppercase: true)) }
        if parts.isEmpty { return code & set != 0 ? "no exceptions (Masimo SET)" : "no exceptions" }
        return parts.joined(separator: ", ")
    }
}
