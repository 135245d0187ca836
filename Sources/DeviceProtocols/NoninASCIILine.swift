/// One line of Nonin's ASCII real-time output, `SPO2=XXX HR=YYY` (7500FO, 8500, 2500, 9847,
/// 8600V, Avant 4000/9600, BT4000; reference protocols-spo2.md 1.11, [SPEC] operator manuals).
///
/// Exact shape, because the format has no checksum and the syntax is its only defence (issue
/// 12.5: with 1-3 digits and free spacing, corrupted copies of `SPO2=093 HR=061` read as pulse 761
/// or SpO2 3): an optional `HH:MM:SS ` prefix (9847, 8600V) with one space, `SPO2=`, exactly three
/// digits or `---` (the manuals' `XXX`; every published line is zero-padded), exactly one space,
/// `HR=`, exactly three digits or `---`, then optional markers, each alone or after one space:
/// `F` fast-responding values (Avant, DIP switch 8), `B` breath detected (9847), `*` event
/// (7500FO, 9847). The manuals do not say whether a marker is separated by a space, so both are
/// accepted. With fixed widths a dropped or doubled character moves `HR=` off its place, so the
/// whole line is rejected; a value field that is three characters but not digits or `---` is
/// reported on its own (`spo2Problem`, `heartRateProblem`) and the other field still counts.
/// Plausibility (SpO2 over 100, pulse 761) is the decoder's check (`Metric.plausibleRange`).
/// A line that mentions `SPO2` or `HR=` but has any other shape, or holds a control or non-ASCII
/// byte, is malformed; any other printable line is a header (model, time, date at power-up) and
/// ignored.
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
    /// Why the SPO2 field (three characters after `SPO2=`) is neither three digits nor `---`;
    /// `spo2` is then `nil` and means nothing.
    public var spo2Problem: String?
    /// Why the HR field is neither three digits nor `---`; `heartRate` is then `nil`.
    public var heartRateProblem: String?

    /// Offset of the SPO2 value in the line (after `SPO2=`).
    public var spo2Offset: Int { (timeOfDay == nil ? 0 : 9) + 5 }
    /// Offset of the HR value in the line (after `HR=`).
    public var heartRateOffset: Int { spo2Offset + 7 }

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
            guard h < 24, m < 60, s < 60, p.take(" ") else { return .malformed("bad HH:MM:SS prefix") }
            result.timeOfDay = h * 3600 + m * 60 + s
        } else {
            p.index = 0
        }
        guard p.take("SPO2=") else { return .malformed("expected SPO2= at the start") }
        guard let spo2 = p.field() else { return .malformed("line ends inside SPO2") }
        guard p.take(" HR=") else { return .malformed("expected one space and HR= after the 3 SPO2 characters") }
        guard let hr = p.field() else { return .malformed("line ends inside HR") }
        switch spo2 {
        case .value(let v): result.spo2 = v
        case .missing: break
        case .bad(let text): result.spo2Problem = "SPO2=\(text): not 3 digits or ---"
        }
        switch hr {
        case .value(let v): result.heartRate = v
        case .missing: break
        case .bad(let text): result.heartRateProblem = "HR=\(text): not 3 digits or ---"
        }
        while !p.atEnd {
            _ = p.take(" ")
            if p.take("F") { result.fast = true } else if p.take("B") { result.breath = true } else if p.take("*") {
                result.event = true
            } else {
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

        /// A value field's three characters.
        enum Field {
            case value(Int), missing, bad(String)
        }

        /// The next three characters as a value field; `nil` when fewer than three are left.
        mutating func field() -> Field? {
            guard bytes.count - index >= 3 else { return nil }
            let a = bytes[index], b = bytes[index + 1], c = bytes[index + 2]
            index += 3
            func digit(_ x: UInt8) -> Bool { x >= 0x30 && x <= 0x39 }
            if digit(a), digit(b), digit(c) { return .value(Int(a - 0x30) * 100 + Int(b - 0x30) * 10 + Int(c - 0x30)) }
            if a == 0x2D, b == 0x2D, c == 0x2D { return .missing }
            return .bad(String(decoding: [a, b, c], as: UTF8.self))
        }
    }
}
