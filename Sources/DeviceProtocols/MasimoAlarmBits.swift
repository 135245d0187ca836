import VitalsCore

/// The bits of a Masimo `ALARM=` token (reference/protocols-spo2.md 2.5, [3P]: the MD PnP table;
/// bits 0x01 to 0x20 independently reproduced by remkolems on a Rad-8; Masimo treats the layout as
/// proprietary, so this is reverse-engineered).
///
/// Flags on readings: every bit except "alarm silenced" and "reserved" sets `deviceAlarm`; low
/// battery also sets `lowBattery`. Bits the table does not name set `deviceAlarm` (an unknown
/// alarm is still an alarm) and are named by value in the status detail.
public enum MasimoAlarmBits {
    /// One bit: its value, its label and the flags it sets.
    public struct Bit: Sendable, Hashable {
        /// The bit's value in the ALARM code.
        public var mask: UInt32
        /// What the device means by it.
        public var label: String
        /// Quality flags a reading gets while it is set.
        public var flags: QualityFlags
    }

    /// The bits the reference names.
    public static let table: [Bit] = [
        Bit(mask: 0x0001, label: "SpO2 high limit", flags: .deviceAlarm),
        Bit(mask: 0x0002, label: "SpO2 low limit", flags: .deviceAlarm),
        Bit(mask: 0x0004, label: "pulse rate high", flags: .deviceAlarm),
        Bit(mask: 0x0008, label: "pulse rate low", flags: .deviceAlarm),
        Bit(mask: 0x0010, label: "alarm active", flags: .deviceAlarm),
        Bit(mask: 0x0020, label: "alarm silenced", flags: []),
        Bit(mask: 0x0040, label: "low battery", flags: [.deviceAlarm, .lowBattery]),
        Bit(mask: 0x0080, label: "reserved", flags: []),
        Bit(mask: 0x0100, label: "SpCO high", flags: .deviceAlarm),
        Bit(mask: 0x0200, label: "SpCO low", flags: .deviceAlarm),
        Bit(mask: 0x0400, label: "SpMet high", flags: .deviceAlarm),
        Bit(mask: 0x0800, label: "SpMet low", flags: .deviceAlarm),
        Bit(mask: 0x1000, label: "desaturation index", flags: .deviceAlarm),
        Bit(mask: 0x2000, label: "PI rate of change", flags: .deviceAlarm),
    ]

    private static let known: UInt32 = table.reduce(0) { $0 | $1.mask }

    /// Quality flags for readings sent with `code`.
    public static func flags(for code: UInt32) -> QualityFlags {
        var flags: QualityFlags = code & ~known != 0 ? .deviceAlarm : []
        for bit in table where code & bit.mask != 0 { flags.formUnion(bit.flags) }
        return flags
    }

    /// The labels of the bits set, for a status's detail.
    public static func labels(for code: UInt32) -> String {
        var parts: [String] = []
        for bit in table where code & bit.mask != 0 { parts.append(bit.label) }
        let unknown = code & ~known
        if unknown != 0 { parts.append("unknown bits 0x" + String(unknown, radix: 16, uppercase: true)) }
        return parts.isEmpty ? "no alarms" : parts.joined(separator: ", ")
    }
}
