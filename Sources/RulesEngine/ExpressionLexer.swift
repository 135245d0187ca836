/// Splits an expression into tokens: numbers, durations (`30s`), names (`nibp.sys`, `spo2_low`),
/// operators and parentheses.
enum ExpressionLexer {
    /// The largest number literal (and numeric limit) accepted: far above any vital sign, and
    /// small enough that arithmetic on it never overflows a conversion.
    static let largestNumber = 1e9

    static func tokens(_ text: String) throws(ExpressionError) -> [Token] {
        let s = Array(text.unicodeScalars)
        var out: [Token] = []
        var i = 0
        func isIdentStart(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || c == "_" }
        func isIdent(_ c: Unicode.Scalar) -> Bool { isIdentStart(c) || ("0"..."9").contains(c) || c == "." }
        while i < s.count {
            let c = s[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            let start = i
            if ("0"..."9").contains(c) || (c == "." && i + 1 < s.count && ("0"..."9").contains(s[i + 1])) {
                while i < s.count, ("0"..."9").contains(s[i]) || s[i] == "." { i += 1 }
                let numberText = String(String.UnicodeScalarView(s[start..<i]))
                guard let value = Double(numberText) else {
                    throw ExpressionError(offset: start, message: "`\(numberText)` is not a number")
                }
                var unitEnd = i
                while unitEnd < s.count, s[unitEnd].properties.isAlphabetic || s[unitEnd] == "%" { unitEnd += 1 }
                // Compound durations (`1m30s`): more number-unit parts right after a unit.
                while unitEnd > i, unitEnd < s.count, ("0"..."9").contains(s[unitEnd]) {
                    while unitEnd < s.count, ("0"..."9").contains(s[unitEnd]) || s[unitEnd] == "." { unitEnd += 1 }
                    while unitEnd < s.count, s[unitEnd].properties.isAlphabetic { unitEnd += 1 }
                }
                if unitEnd > i {
                    let unit = String(String.UnicodeScalarView(s[i..<unitEnd]).prefix { !("0"..."9").contains($0) })
                    let whole = String(String.UnicodeScalarView(s[start..<unitEnd]))
                    if DurationLiteral.read(whole) == .tooLong {
                        throw ExpressionError(offset: start, message: "`\(whole)` is too long (at most \(DurationLiteral.maximumText))")
                    }
                    guard let ms = DurationLiteral.milliseconds(whole) else {
                        let hint = unit == "%" || unit.lowercased() == "mmhg" || unit == "bpm"
                            ? "write the number alone (`\(numberText)`); a number takes its unit from what it is compared with"
                            : "durations take the units ms, s, m or h (`30s`, `10m`, `2h`)"
                        throw ExpressionError(offset: i, message: "unknown unit `\(unit)`", hint: hint)
                    }
                    out.append(Token(kind: .duration(Double(ms) / 1000), offset: start, text: whole))
                    i = unitEnd
                } else {
                    guard value <= ExpressionLexer.largestNumber else {
                        throw ExpressionError(offset: start, message: "`\(numberText)` is too large (at most 1e9)")
                    }
                    out.append(Token(kind: .number(value), offset: start, text: numberText))
                }
                continue
            }
            if isIdentStart(c) {
                while i < s.count, isIdent(s[i]) { i += 1 }
                // A trailing dot belongs to no name.
                while i > start + 1, s[i - 1] == "." { i -= 1 }
                let name = String(String.UnicodeScalarView(s[start..<i]))
                out.append(Token(kind: .identifier(name), offset: start, text: name))
                continue
            }
            let two = i + 1 < s.count ? String(String.UnicodeScalarView([c, s[i + 1]])) : ""
            if ["<=", ">=", "==", "!="].contains(two) {
                out.append(Token(kind: .symbol(two), offset: start, text: two))
                i += 2
                continue
            }
            if ["&&", "||"].contains(two) {
                throw ExpressionError(
                    offset: start, message: "`\(two)` is not an operator here",
                    hint: "write `\(two == "&&" ? "and" : "or")`")
            }
            if "<>+-*/(),".unicodeScalars.contains(c) {
                out.append(Token(kind: .symbol(String(c)), offset: start, text: String(c)))
                i += 1
                continue
            }
            let hint: String? = switch c {
            case "=": "compare with `==`"
            case "!": "write `not`"
            case "%": "write the number alone; it takes its unit from what it is compared with"
            default: nil
            }
            throw ExpressionError(offset: start, message: "unexpected character `\(c)`", hint: hint)
        }
        out.append(Token(kind: .end, offset: s.count, text: ""))
        return out
    }
}
