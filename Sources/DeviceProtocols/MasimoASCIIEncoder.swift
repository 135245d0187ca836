import VitalsCore

/// A simulated Masimo Radical-7 sending ASCII 1: one line a second, shaped like the Radical-7
/// lines the reference quotes (reference/protocols-spo2.md 2.3, [3P]):
/// `MM/DD/YY HH:MM:SS SN=---------- SPO2=097% BPM=064 PI=04.69% SPCO=--.-% SPMET=--.-% DESAT=-- PIDELTA=+-- PVI=--- ALARM=0000 EXC=000800`
/// then CR LF. The parameters this bridge does not read are sent as unavailable (dashes).
///
/// Date and time: `snapshot.deviceTime` when given; otherwise the encoder's own clock, which
/// starts at 01/01/26 09:00:00 and advances one second a line.
///
/// Values: `nil` is dash-filled (`---%`, `---`, `--.--%`); SpO2 and pulse are written with
/// three digits, PI rounded to two decimals (`04.69`).
///
/// EXC and ALARM: `snapshot.deviceCode`, when set, carries both: its low 16 bits are the EXC
/// bits (12-bit [SPEC] table plus the [3P] cable bits up to 0x8000) and its high 16 bits the
/// ALARM bits. Without a device code EXC starts as 0x800 (Masimo SET, the normal state) and
/// ALARM as 0. Flags then add bits: `sensorOff` EXC 0x020 (sensor off patient), `lowPerfusion`
/// 0x004, `outOfTrack` 0x008 (pulse search), `artifact` 0x010 (interference), `lowConfidence`
/// 0x400 (low signal IQ); `deviceAlarm` ALARM 0x0010 (alarm active), `lowBattery` 0x0040.
public struct MasimoASCIIEncoder: DeviceEncoder {
    /// The encoder's clock when a snapshot has no device time: 2026-01-01 09:00:00.
    public static let defaultStart = DeviceTime(year: 2026, month: 1, day: 1, hour: 9, minute: 0, second: 0)!
    private var clock = MasimoASCIIEncoder.defaultStart

    /// A simulated device at power-on.
    public init() {}

    /// One second.
    public var period: Duration { .seconds(1) }

    /// The EXC bits a snapshot is sent with.
    public static func exceptionBits(for snapshot: VitalSnapshot) -> UInt32 {
        var exc = snapshot.deviceCode.map { $0 & 0xFFFF } ?? MasimoExceptionBits.set
        let f = snapshot.flags
        if f.contains(.sensorOff) { exc |= 0x020 }
        if f.contains(.lowPerfusion) { exc |= 0x004 }
        if f.contains(.outOfTrack) { exc |= 0x008 }
        if f.contains(.artifact) { exc |= 0x010 }
        if f.contains(.lowConfidence) { exc |= 0x400 }
        return exc
    }

    /// The ALARM bits a snapshot is sent with.
    public static func alarmBits(for snapshot: VitalSnapshot) -> UInt32 {
        var alarm = snapshot.deviceCode.map { $0 >> 16 } ?? 0
        if snapshot.flags.contains(.deviceAlarm) { alarm |= 0x0010 }
        if snapshot.flags.contains(.lowBattery) { alarm |= 0x0040 }
        return alarm
    }

    /// The one line of a second showing `snapshot`, sent at the start of the second.
    public mutating func encode(_ snapshot: VitalSnapshot) -> [EncodedChunk] {
        let time: DeviceTime
        if let given = snapshot.deviceTime {
            time = given
        } else {
            time = clock
            clock.milliseconds += 1000
        }
        return [EncodedChunk(offset: .zero, bytes: Array(Self.line(for: snapshot, at: time).utf8))]
    }

    /// The line for `snapshot` at `time`, with its CR LF.
    public static func line(for snapshot: VitalSnapshot, at time: DeviceTime) -> String {
        let spo2 = snapshot.spo2.map { pad(min(max($0, 0), 999), 3) } ?? "---"
        let bpm = snapshot.pulse.map { pad(min(max($0, 0), 999), 3) } ?? "---"
        let pi = snapshot.perfusionIndex.map { value -> String in
            let hundredths = Int((min(max(value, 0), 99.99) * 100).rounded())
            return pad(hundredths / 100, 2) + "." + pad(hundredths % 100, 2)
        } ?? "--.--"
        let alarm = hex(alarmBits(for: snapshot), 4)
        let exc = hex(exceptionBits(for: snapshot), 6)
        return "\(stamp(time)) SN=---------- SPO2=\(spo2)% BPM=\(bpm) PI=\(pi)% SPCO=--.-% SPMET=--.-% "
            + "DESAT=-- PIDELTA=+-- PVI=--- ALARM=\(alarm) EXC=\(exc)\r\n"
    }

    /// `MM/DD/YY HH:MM:SS` for a `.clock` device time.
    public static func stamp(_ time: DeviceTime) -> String {
        let seconds = time.milliseconds >= 0 ? time.milliseconds / 1000 : (time.milliseconds - 999) / 1000
        var days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        // Civil date from days since 1970-01-01 (the inverse of DeviceTime's day count).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return "\(pad(month, 2))/\(pad(day, 2))/\(pad(((year % 100) + 100) % 100, 2)) "
            + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    private static func hex(_ n: UInt32, _ width: Int) -> String {
        let s = String(n, radix: 16, uppercase: true)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
