/// The static type of an expression, checked when a rule file loads.
enum ValueType: Hashable, CustomStringConvertible {
    /// True or false (or undefined at run time).
    case boolean
    /// A length of time.
    case duration
    /// A number in a display unit (`%`, `mmHg`, `/min`); the empty unit is a plain number,
    /// which combines with any unit (a literal like `2` in `spo2_low + 2`).
    case number(unit: String)

    /// A plain number.
    static let plain = ValueType.number(unit: "")

    var description: String {
        switch self {
        case .boolean: "a condition"
        case .duration: "a duration"
        case .number(let u): u.isEmpty ? "a number" : "a number in \(u)"
        }
    }

    var isNumeric: Bool { if case .number = self { true } else { false } }
}
