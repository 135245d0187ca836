/// Writes one JSON object on one line with its keys in the order given.
///
/// The `--format jsonl` contract fixes field order and number formats (DESIGN.md), and this runs
/// per reading, so it is written by hand rather than through `JSONEncoder`.
public struct JSONObjectWriter: Sendable {
    private var text: String = "{"
    private var first = true

    /// An empty object.
    public init() {}

    private mutating func key(_ k: String) {
        if !first { text.append(",") }
        first = false
        Self.appendQuoted(k, to: &text)
        text.append(":")
    }

    /// Adds a string field.
    public mutating func add(_ k: String, _ v: String) {
        key(k)
        Self.appendQuoted(v, to: &text)
    }

    /// Adds a string field, or `null`.
    public mutating func add(_ k: String, _ v: String?) {
        guard let v else { key(k); text.append("null"); return }
        add(k, v)
    }

    /// Adds a number: integral values print without a fraction (`97`), others as Swift's
    /// shortest round-trip form; NaN and infinities print as `null`.
    public mutating func add(_ k: String, number v: Double?) {
        key(k)
        Self.appendNumber(v, to: &text)
    }

    /// Adds a number that always shows a fraction (`12.0`), as DESIGN.md prints `t`.
    public mutating func add(_ k: String, seconds v: Double) {
        key(k)
        text.append(v.isFinite ? "\(v)" : "null")
    }

    /// Adds an integer field.
    public mutating func add(_ k: String, _ v: Int64) {
        key(k)
        text.append(String(v))
    }

    /// Adds a boolean field.
    public mutating func add(_ k: String, _ v: Bool) {
        key(k)
        text.append(v ? "true" : "false")
    }

    /// Adds an array of strings.
    public mutating func add(_ k: String, _ v: [String]) {
        key(k)
        text.append("[")
        for (i, s) in v.enumerated() {
            if i > 0 { text.append(",") }
            Self.appendQuoted(s, to: &text)
        }
        text.append("]")
    }

    /// Adds an array of integers.
    public mutating func add(_ k: String, integers v: [Int32]) {
        key(k)
        text.append("[")
        for (i, s) in v.enumerated() {
            if i > 0 { text.append(",") }
            text.append(String(s))
        }
        text.append("]")
    }

    /// Adds an already-encoded JSON value.
    public mutating func add(_ k: String, raw: String) {
        key(k)
        text.append(raw)
    }

    /// The finished object, without a trailing newline.
    public var line: String { text + "}" }

    /// Appends `v` as a JSON number.
    public static func appendNumber(_ v: Double?, to out: inout String) {
        guard let v, v.isFinite else { out.append("null"); return }
        if v == v.rounded(), abs(v) < 1e15 {
            out.append(String(Int64(v)))
        } else {
            out.append("\(v)")
        }
    }

    /// Appends `s` as a quoted, escaped JSON string.
    public static func appendQuoted(_ s: String, to out: inout String) {
        out.append("\"")
        for u in s.unicodeScalars {
            switch u {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    let hex = String(u.value, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out.append("\"")
    }
}
