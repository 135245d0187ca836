import VitalsCore

/// One data line of Masimo's serial output, ASCII 1 or ASCII 2 (reference/protocols-spo2.md 2.3,
/// 2.4), read token by token.
///
/// Shape: `MM/DD/YY HH:MM:SS` then space-separated `KEY=VALUE` tokens ([3P] for ASCII 1, [SPEC]
/// for the ASCII 2 trend line). Tokens are read by name, case-insensitively, in any order, with
/// any number of spaces or tabs between them; keys this bridge has no use for (SPCO, SPMET,
/// DESAT, PIDELTA, PVI, SPHB, SPOC, RESVD, EXC1, ...) and bare words are ignored. Names read:
/// `SPO2` (ASCII 2 prints `SpO2`), `BPM` (ASCII 2: `PR`), `PI`, `EXC` (hex, optionally followed
/// by `:labels` as ASCII 2 prints them), `ALARM` (hex), `SN`.
///
/// Values: a trailing `%` is optional; a value made of dashes (`---`, `--.--`, with `%`) is
/// unavailable [3P]; ASCII 2 prints zeros instead of dashes when the sensor is off [SPEC], so 0
/// for SpO2, pulse and PI is unavailable too [INFERRED].
///
/// A line is rejected (a bad frame, no reading) when: a byte is not printable ASCII; the date or
/// time is missing, malformed, impossible or given twice; none of SPO2, BPM/PR, PI is present;
/// a name is given twice; a value is malformed; or a value is out of range (SpO2 over 100,
/// pulse over 300 [INFERRED plausibility bound]). Well-formed means the fixed widths
/// every published line shows, ASCII 1 and 2 alike: SPO2 and BPM/PR exactly 3 digits, PI `NN.NN`,
/// EXC and ALARM 1 to 8 hex digits. Fixed widths matter: with no checksum, a dropped or doubled
/// digit would otherwise pass as another value.
public struct MasimoASCIILine: Sendable, Hashable {
    /// A value as the line gives it.
    public enum Field<Value: Sendable & Hashable>: Sendable, Hashable {
        /// The token is not on the line.
        case absent
        /// The token says "no value"; the associated text is the token as sent.
        case missing(String)
        /// The value.
        case present(Value)

        /// The same field with its value transformed.
        func map<T: Sendable & Hashable>(_ transform: (Value) -> T) -> Field<T> {
            switch self {
            case .absent: .absent
            case .missing(let s): .missing(s)
            case .present(let v): .present(transform(v))
            }
        }
    }

    /// The device clock at the start of the line (`.clock`, year 20YY).
    public var deviceTime: DeviceTime
    /// `SPO2=`, %.
    public var spo2: Field<Int> = .absent
    /// `BPM=` or `PR=`, /min.
    public var pulse: Field<Int> = .absent
    /// `PI=`, %.
    public var perfusionIndex: Field<Double> = .absent
    /// `EXC=` bits, when on the line.
    public var exception: UInt32?
    /// `ALARM=` bits, when on the line.
    public var alarm: UInt32?
    /// `SN=`, when on the line and not dashes.
    public var serialNumber: String?

    /// Longest line taken (the longest published line is about 230 characters).
    public static let maxLength = 512

    /// A line with its time and nothing else yet.
    init(deviceTime: DeviceTime) { self.deviceTime = deviceTime }

    /// Parses one line without its terminator.
    public static func parse(_ line: ArraySlice<UInt8>) throws(MasimoLineRejection) -> MasimoASCIILine {
        for b in line where !(b == 0x09 || (0x20...0x7E).contains(b)) {
            throw MasimoLineRejection("byte 0x\(String(b, radix: 16, uppercase: true)) is not printable ASCII")
        }
        let text = String(decoding: line, as: UTF8.self)
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        var date: (Int, Int, Int)?
        var time: (Int, Int, Int)?
        var seen: Set<String> = []
        var spo2: Field<Int> = .absent
        var pulse: Field<Int> = .absent
        var pi: Field<Double> = .absent
        var exc: UInt32?
        var alarm: UInt32?
        var serial: String?
        for token in tokens {
            guard let eq = token.firstIndex(of: "=") else {
                if let d = triple(token, separator: "/") {
                    guard date == nil else { throw MasimoLineRejection("date given twice") }
                    date = d
                } else if let t = triple(token, separator: ":") {
                    guard time == nil else { throw MasimoLineRejection("time given twice") }
                    time = t
                }
                continue
            }
            var key = token[..<eq].uppercased()
            let value = token[token.index(after: eq)...]
            if key == "PR" { key = "BPM" }
            guard ["SPO2", "BPM", "PI", "EXC", "ALARM", "SN"].contains(key) else { continue }
            guard seen.insert(key).inserted else { throw MasimoLineRejection("\(key) given twice") }
            switch key {
            case "SPO2": spo2 = try integer(value, token: token, max: 100)
            case "BPM": pulse = try integer(value, token: token, max: 300)
            case "PI": pi = try decimal(value, token: token, max: 100)
            case "EXC": exc = try hex(value.prefix(while: { $0 != ":" }), token: token)
            case "ALARM": alarm = try hex(value, token: token)
            default: serial = value.isEmpty || value.allSatisfy({ $0 == "-" }) ? nil : String(value)
            }
        }
        guard let date, let time else { throw MasimoLineRejection("no MM/DD/YY HH:MM:SS date and time") }
        guard let dt = DeviceTime(year: 2000 + date.2, month: date.0, day: date.1,
                                  hour: time.0, minute: time.1, second: time.2) else {
            throw MasimoLineRejection("impossible date or time")
        }
        guard seen.contains("SPO2") || seen.contains("BPM") || seen.contains("PI") else {
            throw MasimoLineRejection("no SPO2, BPM or PI token")
        }
        var result = MasimoASCIILine(deviceTime: dt)
        result.spo2 = spo2
        result.pulse = pulse
        result.perfusionIndex = pi
        result.exception = exc
        result.alarm = alarm
        result.serialNumber = serial
        return result
    }

    /// `NN/NN/NN` or `NN:NN:NN` as three numbers.
    private static func triple(_ token: Substring, separator: Character) -> (Int, Int, Int)? {
        let parts = token.split(separator: separator, omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCIIDigitCharacter) }) else {
            return nil
        }
        return (Int(parts[0])!, Int(parts[1])!, Int(parts[2])!)
    }

    private static func strippingPercent(_ value: Substring) -> Substring {
        value.hasSuffix("%") ? value.dropLast() : value
    }

    private static func isDashes(_ value: Substring) -> Bool {
        value.contains("-") && value.allSatisfy { $0 == "-" || $0 == "." || $0 == "+" }
    }

    private static func integer(_ raw: Substring, token: Substring, max: Int) throws(MasimoLineRejection) -> Field<Int> {
        let value = strippingPercent(raw)
        if isDashes(value) { return .missing(String(token)) }
        guard value.count == 3, value.allSatisfy(\.isASCIIDigitCharacter), let n = Int(value) else {
            throw MasimoLineRejection("\(token): not a 3-digit number")
        }
        guard n <= max else { throw MasimoLineRejection("\(token): out of range 0-\(max)") }
        return n == 0 ? .missing(String(token)) : .present(n)
    }

    private static func decimal(_ raw: Substring, token: Substring, max: Double) throws(MasimoLineRejection) -> Field<Double> {
        let value = strippingPercent(raw)
        if isDashes(value) { return .missing(String(token)) }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigitCharacter) }) else {
            throw MasimoLineRejection("\(token): not a NN.NN number")
        }
        let mantissa = Int(parts[0])! * 100 + Int(parts[1])!
        // hundredths / 100 is the correctly rounded Double of the decimal text (4.69, not 4.6899...).
        let n = Double(mantissa) / 100
        guard n <= max else { throw MasimoLineRejection("\(token): out of range 0-\(Int(max))") }
        return mantissa == 0 ? .missing(String(token)) : .present(n)
    }

    private static func hex(_ value: Substring, token: Substring) throws(MasimoLineRejection) -> UInt32 {
        guard (1...8).contains(value.count), value.allSatisfy(\.isHexDigit), let n = UInt32(value, radix: 16) else {
            throw MasimoLineRejection("\(token): not a hexadecimal code")
        }
        return n
    }
}

extension Character {
    /// `0` to `9` only (`isNumber` also accepts other scripts' digits and fractions).
    fileprivate var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}
