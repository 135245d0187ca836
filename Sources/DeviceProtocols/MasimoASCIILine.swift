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
/// Well-formed means the fixed widths every published line shows, ASCII 1 and 2 alike: SPO2 and
/// BPM/PR exactly 3 digits, PI `NN.NN`, each with at most one trailing `%`; EXC and ALARM 1 to 8
/// hex digits. Fixed widths matter: with no checksum, a dropped or doubled digit would otherwise
/// pass as another value. Ranges are not checked here: the decoder checks every value against
/// `Metric.plausibleRange` (issue 12.5).
///
/// What is wrong with a line is told apart by how much of it can still be trusted:
/// - the whole line is rejected (`parse` throws) when a byte is not printable ASCII; the date or
///   time is missing, malformed or given twice; or none of SPO2, BPM/PR, PI is present. With
///   `looksLikeData` set on the rejection when the line has its date and time, so the decoder can
///   tell a damaged data line from garbage;
/// - the line gives no values (`lineProblem`) when a name is given twice or EXC/ALARM is
///   malformed: a value's meaning then rests on bits or on a choice the line cannot settle;
/// - one value is unusable (`Field.malformed`) when its own syntax is wrong; the other fields,
///   each checked for its exact width, still count;
/// - a well-formed but impossible date or time (`00/00/00 00:00:00`, a device whose clock was
///   never set) leaves `deviceTime` nil and `clockText` set: the values stand, on host time.
public struct MasimoASCIILine: Sendable, Hashable {
    /// A value as the line gives it.
    public enum Field<Value: Sendable & Hashable>: Sendable, Hashable {
        /// The token is not on the line.
        case absent
        /// The token says "no value"; the associated text is the token as sent.
        case missing(String)
        /// The value.
        case present(Value)
        /// The token is on the line but not in its exact syntax: the reason, naming the token.
        case malformed(String)

        /// The same field with its value transformed.
        func map<T: Sendable & Hashable>(_ transform: (Value) -> T) -> Field<T> {
            switch self {
            case .absent: .absent
            case .missing(let s): .missing(s)
            case .present(let v): .present(transform(v))
            case .malformed(let why): .malformed(why)
            }
        }
    }

    /// The device clock at the start of the line (`.clock`, year 20YY); `nil` when the clock on
    /// the line is zero or impossible (`clockText` then holds it).
    public var deviceTime: DeviceTime?
    /// The line's `MM/DD/YY HH:MM:SS` when it is not a possible time; `nil` otherwise.
    public var clockText: String?
    /// Why the line as a whole gives no values although its date and time are good (a name given
    /// twice, a malformed EXC or ALARM); `nil` for a usable line.
    public var lineProblem: String?
    /// Offsets in the line of the SPO2, BPM/PR and PI tokens (0 when absent), for statuses.
    public var spo2Offset = 0, pulseOffset = 0, perfusionIndexOffset = 0
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
    init(deviceTime: DeviceTime?) { self.deviceTime = deviceTime }

    /// Parses one line without its terminator.
    public static func parse(_ line: ArraySlice<UInt8>) throws(MasimoLineRejection) -> MasimoASCIILine {
        // Bytes, not String: this runs once a line on the decode hot path (it used to split a
        // String into Substrings and Characters, 250 ns a byte). Every byte is printable ASCII
        // once the first check passes, so byte and character rules agree.
        try line.withUnsafeBufferPointer { (buf) throws(MasimoLineRejection) -> MasimoASCIILine in
            try parse(bytes: buf)
        }
    }

    /// A key this bridge reads, as a bit for the "given twice" check.
    private enum Key: UInt8 {
        case spo2 = 1, bpm = 2, pi = 4, exc = 8, alarm = 16, sn = 32

        var name: String {
            switch self {
            case .spo2: "SPO2"
            case .bpm: "BPM"
            case .pi: "PI"
            case .exc: "EXC"
            case .alarm: "ALARM"
            case .sn: "SN"
            }
        }

        /// The key named by `bytes`, case-insensitively (`PR` is `BPM`); nil for any other name.
        init?(_ bytes: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) {
            func named(_ s: StaticString) -> Bool {
                guard r.count == s.utf8CodeUnitCount else { return false }
                let u = s.utf8Start
                for k in 0..<r.count {
                    var b = bytes[r.lowerBound + k]
                    if b >= 0x61 && b <= 0x7A { b -= 0x20 }
                    if b != u[k] { return false }
                }
                return true
            }
            if named("SPO2") { self = .spo2 } else if named("BPM") || named("PR") { self = .bpm } else if named("PI") {
                self = .pi
            } else if named("EXC") { self = .exc } else if named("ALARM") { self = .alarm } else if named("SN") {
                self = .sn
            } else { return nil }
        }
    }

    static func parse(bytes buf: UnsafeBufferPointer<UInt8>) throws(MasimoLineRejection) -> MasimoASCIILine {
        for b in buf where !(b == 0x09 || (0x20...0x7E).contains(b)) {
            throw MasimoLineRejection("byte 0x\(String(b, radix: 16, uppercase: true)) is not printable ASCII")
        }
        var date: (Int, Int, Int)?
        var time: (Int, Int, Int)?
        var dateRange = 0..<0, timeRange = 0..<0
        var seen: UInt8 = 0
        var spo2: Field<Int> = .absent
        var pulse: Field<Int> = .absent
        var pi: Field<Double> = .absent
        var offsets = (0, 0, 0)
        var exc: UInt32?
        var alarm: UInt32?
        var serial: String?
        var lineProblem: String?
        var twice: String?
        var i = 0
        let n = buf.count
        while i < n {
            if buf[i] == 0x20 || buf[i] == 0x09 { i += 1; continue }
            let start = i
            while i < n, buf[i] != 0x20, buf[i] != 0x09 { i += 1 }
            let token = start..<i
            guard let eq = token.first(where: { buf[$0] == UInt8(ascii: "=") }) else {
                if let d = triple(buf, token, separator: UInt8(ascii: "/")) {
                    if date != nil { twice = "date given twice" }
                    date = d
                    dateRange = token
                } else if let t = triple(buf, token, separator: UInt8(ascii: ":")) {
                    if time != nil { twice = "time given twice" }
                    time = t
                    timeRange = token
                }
                continue
            }
            guard let key = Key(buf, start..<eq) else { continue }
            guard seen & key.rawValue == 0 else {
                lineProblem = lineProblem ?? "\(key.name) given twice"
                continue
            }
            seen |= key.rawValue
            let value = (eq + 1)..<i
            switch key {
            case .spo2: spo2 = integer(buf, value, token: token); offsets.0 = start
            case .bpm: pulse = integer(buf, value, token: token); offsets.1 = start
            case .pi: pi = decimal(buf, value, token: token); offsets.2 = start
            case .exc:
                let colon = value.first(where: { buf[$0] == UInt8(ascii: ":") }) ?? value.upperBound
                exc = hex(buf, value.lowerBound..<colon)
                if exc == nil { lineProblem = lineProblem ?? "\(text(buf, token)): not a hexadecimal code" }
            case .alarm:
                alarm = hex(buf, value)
                if alarm == nil { lineProblem = lineProblem ?? "\(text(buf, token)): not a hexadecimal code" }
            case .sn: serial = value.allSatisfy({ buf[$0] == UInt8(ascii: "-") }) ? nil : text(buf, value)
            }
        }
        guard let date, let time else { throw MasimoLineRejection("no MM/DD/YY HH:MM:SS date and time") }
        if let twice { throw MasimoLineRejection(twice, looksLikeData: true) }
        guard seen & (Key.spo2.rawValue | Key.bpm.rawValue | Key.pi.rawValue) != 0 else {
            throw MasimoLineRejection("no SPO2, BPM or PI token", looksLikeData: true)
        }
        let dt = DeviceTime(year: 2000 + date.2, month: date.0, day: date.1, hour: time.0, minute: time.1, second: time.2)
        var result = MasimoASCIILine(deviceTime: dt)
        if dt == nil { result.clockText = text(buf, dateRange) + " " + text(buf, timeRange) }
        result.spo2 = spo2
        result.pulse = pulse
        result.perfusionIndex = pi
        (result.spo2Offset, result.pulseOffset, result.perfusionIndexOffset) = offsets
        result.exception = exc
        result.alarm = alarm
        result.serialNumber = serial
        result.lineProblem = lineProblem
        return result
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// The number of the ASCII digits in `r` (all digits, checked by the caller).
    private static func number(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int {
        r.reduce(0) { $0 * 10 + Int(buf[$1] - 0x30) }
    }

    /// `NN<sep>NN<sep>NN`: exactly three parts of exactly two digits.
    private static func triple(_ buf: UnsafeBufferPointer<UInt8>, _ token: Range<Int>, separator: UInt8) -> (Int, Int, Int)? {
        guard token.count == 8, buf[token.lowerBound + 2] == separator, buf[token.lowerBound + 5] == separator else {
            return nil
        }
        let s = token.lowerBound
        guard isDigit(buf[s]), isDigit(buf[s + 1]), isDigit(buf[s + 3]), isDigit(buf[s + 4]),
              isDigit(buf[s + 6]), isDigit(buf[s + 7]) else { return nil }
        return (number(buf, s..<s + 2), number(buf, s + 3..<s + 5), number(buf, s + 6..<s + 8))
    }

    /// The value without one trailing `%`.
    private static func strippingPercent(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Range<Int> {
        !r.isEmpty && buf[r.upperBound - 1] == UInt8(ascii: "%") ? r.lowerBound..<r.upperBound - 1 : r
    }

    private static func isDashes(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
        r.contains(where: { buf[$0] == UInt8(ascii: "-") })
            && r.allSatisfy { buf[$0] == UInt8(ascii: "-") || buf[$0] == UInt8(ascii: ".") || buf[$0] == UInt8(ascii: "+") }
    }

    private static func text(_ buf: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buf[r]), as: UTF8.self)
    }

    private static func integer(_ buf: UnsafeBufferPointer<UInt8>, _ raw: Range<Int>, token: Range<Int>) -> Field<Int> {
        let value = strippingPercent(buf, raw)
        if isDashes(buf, value) { return .missing(text(buf, token)) }
        guard value.count == 3, value.allSatisfy({ isDigit(buf[$0]) }) else {
            return .malformed("\(text(buf, token)): not a 3-digit number")
        }
        let n = number(buf, value)
        return n == 0 ? .missing(text(buf, token)) : .present(n)
    }

    private static func decimal(_ buf: UnsafeBufferPointer<UInt8>, _ raw: Range<Int>, token: Range<Int>) -> Field<Double> {
        let value = strippingPercent(buf, raw)
        if isDashes(buf, value) { return .missing(text(buf, token)) }
        let s = value.lowerBound
        guard value.count == 5, buf[s + 2] == UInt8(ascii: "."), isDigit(buf[s]), isDigit(buf[s + 1]),
              isDigit(buf[s + 3]), isDigit(buf[s + 4]) else {
            return .malformed("\(text(buf, token)): not a NN.NN number")
        }
        let mantissa = number(buf, s..<s + 2) * 100 + number(buf, s + 3..<s + 5)
        // hundredths / 100 is the correctly rounded Double of the decimal text (4.69, not 4.6899...).
        return mantissa == 0 ? .missing(text(buf, token)) : .present(Double(mantissa) / 100)
    }

    /// 1 to 8 hex digits, or `nil`.
    private static func hex(_ buf: UnsafeBufferPointer<UInt8>, _ value: Range<Int>) -> UInt32? {
        guard (1...8).contains(value.count) else { return nil }
        var n: UInt32 = 0
        for k in value {
            let b = buf[k]
            let digit: UInt32
            switch b {
            case 0x30...0x39: digit = UInt32(b - 0x30)
            case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
            default: return nil
            }
            n = n << 4 | digit
        }
        return n
    }
}
