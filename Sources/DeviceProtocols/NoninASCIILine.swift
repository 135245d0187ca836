/// One line of Nonin's ASCII real-time output, `SPO2=XXX HR=YYY` (7500FO, 8500, 2500, 9847,
/// 8600V, Avant 4000/9600, BT4000; reference protocols-spo2.md 1.11, [SPEC] operator manuals).
///
/// Accepted shape: an optional `HH:MM:SS ` prefix (9847, 8600V), `SPO2=` with 1-3 digits (0-100)
/// or `---`, one or more spaces, `HR=` with 1-3 digits or `---`, then optional markers, each
/// alone or after spaces: `F` fast-responding values (Avant, DIP switch 8), `B` breath detected
/// (9847), `*` event (7500FO, 9847). The manuals do not say whether a marker is separated by a
/// space, so both are accepted. A line that mentions `SPO2` or `HR=` but has any other shape, or
/// holds a control or non-ASCII byte, is malformed; any other printable line is a header
/// (model, time, date at power-up) and ignored.
public struct NoninASCIILine: Sendable, Hashable {
    /// What a line is.
    public enum Kind: Sendable, Hashable {
        /// A data line.
        case data(NoninASCIILine)
        /// A printable line that is not data: a header.
        case header
        /// A line that is neither: the reason.
        case malformed(String)
    }

    /// SpO2 %, `nil` for `---`.
    public var spo2: Int?
    /// Pulse rate /min, `nil` for `---`.
    public var heartRate: Int?
    /// Seconds since the device's midnight from the `HH:MM:SS` prefix, if any.
    public var timeOfDay: Int?
    /// `F`: the values are the fast-responding ones.
    public var fast = false
    /// `B`: a breath was detected (9847).
    public var breath = false
    /// `*`: an event marker.
    public var event = false

    /// A data line.
    public init(spo2: Int?, heartRate: Int?, timeOfDay: Int? = nil) {
        self.spo2 = spo2
        self.heartRate = heartRate
        self.timeOfDay = timeOfDay
    }

    /// The line as a device sends it, CR LF included: zero-padded 3-digit values or `---`.
    public var bytes: [UInt8] {
        func field(_ v: Int?) -> String {
            guard let v else { return "---" }
            let s = String(min(max(v, 0), 999))
            return String(repeating: "0", count: 3 - s.count) + s
        }
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var s = ""
        if let t = timeOfDay {
            let d = ((t % 86_400) + 86_400) % 86_400
            s += "\(two(d / 3600)):\(two(d / 60 % 60)):\(two(d % 60)) "
        }
        s += "SPO2=\(field(spo2)) HR=\(field(heartRate))"
        if fast { s += " F" }
        if breath { s += " B" }
        if event { s += " *" }
        return Array(s.utf8) + [0x0D, 0x0A]
    }

    /// Classifies one line (without its CR/LF).
    ///
    /// Works on the bytes, never through `String`: this runs once a line on the decode hot path,
    /// and the line is printable ASCII once the first check passes, so byte and character
    /// comparisons agree.
    public static func parse(_ line: ArraySlice<UInt8>) -> Kind {
        line.withUnsafeBufferPointer { parse(bytes: $0) }
    }

    static func parse(bytes line: UnsafeBufferPointer<UInt8>) -> Kind {
        guard line.allSatisfy({ $0 >= 0x20 && $0 < 0x7F || $0 == 0x09 }) else {
            return .malformed("control or non-ASCII byte in the line")
        }
        guard Parser.contains(line, "SPO2") || Parser.contains(line, "HR=") else { return .header }
        var p = Parser(line)
        var result = NoninASCIILine(spo2: nil, heartRate: nil)
        if let h = p.digits(2, 2), p.take(":"), let m = p.digits(2, 2), p.take(":"), let s = p.digits(2, 2) {
            guard h < 24, m < 60, s < 60, p.spaces() else { return .malformed("bad HH:MM:SS prefix") }
            result.timeOfDay = h * 3600 + m * 60 + s
        } else {
            p.index = 0
        }
        guard p.take("SPO2=") else { return .malformed("expected SPO2=") }
        guard let spo2 = p.value() else { return .malformed("SPO2 is not 1-3 digits or ---") }
        if let v = spo2, v > 100 { return .malformed("SPO2 \(v) is above 100") }
        result.spo2 = spo2
        guard p.spaces(), p.take("HR="), let hr = p.value() else { return .malformed("expected HR= with 1-3 digits or ---") }
        result.heartRate = hr
        while !p.atEnd {
            _ = p.spaces()
            if p.take("F") { result.fast = true } else if p.take("B") { result.breath = true } else if p.take("*") {
                result.event = true
            } else if !p.atEnd {
                return .malformed("unexpected text after HR")
            }
        }
        return .data(result)
    }

    /// A cursor over a line's bytes.
    private struct Parser {
        var bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }
        var atEnd: Bool { index >= bytes.count }

        /// Whether `bytes` holds the ASCII text `s` anywhere.
        static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
            let n = s.utf8CodeUnitCount
            guard bytes.count >= n else { return false }
            for start in 0...(bytes.count - n) where matches(bytes, at: start, s) { return true }
            return false
        }

        /// Whether the ASCII text `s` starts at `start`.
        static func matches(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, _ s: StaticString) -> Bool {
            let n = s.utf8CodeUnitCount
            guard bytes.count - start >= n else { return false }
            let u = s.utf8Start
            for k in 0..<n where bytes[start + k] != u[k] { return false }
            return true
        }

        mutating func take(_ s: StaticString) -> Bool {
            guard Self.matches(bytes, at: index, s) else { return false }
            index += s.utf8CodeUnitCount
            return true
        }

        /// One or more spaces.
        mutating func spaces() -> Bool {
            let start = index
            while !atEnd, bytes[index] == 0x20 { index += 1 }
            return index > start
        }

        mutating func digits(_ min: Int, _ max: Int) -> Int? {
            var v = 0, n = 0
            while !atEnd, n < max, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                v = v * 10 + Int(bytes[index] - 0x30)
                n += 1
                index += 1
            }
            if !atEnd, n == max, bytes[index] >= 0x30, bytes[index] <= 0x39 { return nil }
            return n >= min ? v : nil
        }

        /// 1-3 digits (`.some(value)`) or `---` (`.some(nil)`); `nil` when neither.
        mutating func value() -> Int?? {
            if take("---") { return .some(nil) }
            guard let v = digits(1, 3) else { return nil }
            return .some(v)
        }
    }
}
