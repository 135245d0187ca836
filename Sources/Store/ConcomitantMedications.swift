/// The REMS Patient Monitoring Form's concomitant-medication questions (reference/alarms-clinical.md
/// A4), as answered at session start. `nil` is "not asked": never read it as "no".
public struct ConcomitantMedications: Sendable, Hashable {
    /// Benzodiazepines.
    public var benzodiazepine: Bool?
    /// Non-benzodiazepine sedative hypnotics.
    public var sedativeHypnotic: Bool?
    /// Psychostimulants.
    public var psychostimulant: Bool?
    /// Monoamine oxidase inhibitors.
    public var maoi: Bool?

    /// Answers.
    public init(benzodiazepine: Bool? = nil, sedativeHypnotic: Bool? = nil, psychostimulant: Bool? = nil, maoi: Bool? = nil) {
        self.benzodiazepine = benzodiazepine
        self.sedativeHypnotic = sedativeHypnotic
        self.psychostimulant = psychostimulant
        self.maoi = maoi
    }

    /// The classes in the form's order: the name `--concomitant` takes, the form's wording, the answer.
    public var answers: [(key: String, label: String, answer: Bool?)] {
        [
            ("benzodiazepine", "Benzodiazepines", benzodiazepine),
            ("sedative-hypnotic", "Non-benzodiazepine sedative hypnotics", sedativeHypnotic),
            ("psychostimulant", "Psychostimulants", psychostimulant),
            ("maoi", "Monoamine oxidase inhibitors (MAOIs)", maoi),
        ]
    }

    /// The keys `answers` uses, for error messages.
    public static let keys = ["benzodiazepine", "sedative-hypnotic", "psychostimulant", "maoi"]

    /// Sets the answer for `key` (one of `keys`); false when the key is unknown.
    public mutating func set(_ key: String, _ answer: Bool) -> Bool {
        switch key {
        case "benzodiazepine": benzodiazepine = answer
        case "sedative-hypnotic": sedativeHypnotic = answer
        case "psychostimulant": psychostimulant = answer
        case "maoi": maoi = answer
        default: return false
        }
        return true
    }
}
