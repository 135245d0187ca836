/// The time a device puts on its data, kept beside the host's time on every reading.
///
/// Devices disagree on what they send: some a calendar clock with no zone (Masimo, SunTech),
/// some a free-running counter (Nonin's 1/3-second TMR). Both are kept as milliseconds, with
/// the kind saying how to read them.
public struct DeviceTime: Sendable, Hashable, Codable {
    /// How to read `milliseconds`.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The device's own calendar clock, read as if it were UTC (its zone is unknown).
        case clock
        /// A counter that starts at an arbitrary point (power-on, wrap).
        case counter
    }

    /// Milliseconds: since 1970-01-01 for `.clock`, since the counter's origin for `.counter`.
    public var milliseconds: Int64
    /// How to read `milliseconds`.
    public var kind: Kind

    /// A device time.
    public init(milliseconds: Int64, kind: Kind) {
        self.milliseconds = milliseconds
        self.kind = kind
    }

    /// A calendar time as the device shows it (proleptic Gregorian, zone unknown, taken as UTC).
    /// Returns `nil` for an impossible date.
    public init?(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int = 0) {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
              (0...59).contains(minute), (0...60).contains(second), (0...999).contains(millisecond),
              day <= DeviceTime.daysIn(month: month, year: year)
        else { return nil }
        let days = DeviceTime.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        self.init(milliseconds: seconds * 1000 + Int64(millisecond), kind: .clock)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's civil-from-days inverse).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
