import Foundation

/// HL7 v2 text: the standard delimiters (`|^~\&`), escaping and times.
public enum HL7Text {
    /// Escapes the delimiters and the escape character in free text (HL7 v2.6 2.7.4: `\F\`,
    /// `\S\`, `\T\`, `\R\`, `\E\`), and turns line breaks, which would end the segment, into spaces.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            switch c {
            case "\\": out += "\\E\\"
            case "|": out += "\\F\\"
            case "^": out += "\\S\\"
            case "&": out += "\\T\\"
            case "~": out += "\\R\\"
            case "\r", "\n", "\r\n": out += " "
            default: out.append(c)
            }
        }
        return out
    }

    /// An HL7 DTM in UTC with milliseconds: `YYYYMMDDHHMMSS.SSS+0000`.
    public static func time(_ ms: Int64) -> String {
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = ms - seconds * 1000
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(
            format: "%04d%02d%02d%02d%02d%02d.%03d+0000", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(millis))
    }

    /// A number as OBX-5 NM: no exponent, no trailing zeros (`97`, `36.85`).
    public static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        var s = String(format: "%.2f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
