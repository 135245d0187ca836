/// One problem found while loading a rule file: where, what, the offending line with a caret
/// under the position, and a hint where one can be guessed.
public struct RuleProblem: Sendable, Hashable, CustomStringConvertible {
    /// What class of problem this is; `vitals rules check` maps `unreadable` to exit code 2.
    public enum Kind: String, Sendable, Hashable {
        /// The file or directory could not be read.
        case unreadable
        /// The text is not well-formed YAML.
        case syntax
        /// Well-formed YAML that is not a valid rule file (unknown name, wrong type, bad unit...).
        case semantic
    }

    /// What class of problem this is.
    public var kind: Kind
    /// Where it is.
    public var position: SourcePosition
    /// What is wrong, in one sentence.
    public var message: String
    /// The text of the offending line (empty when unknown).
    public var lineText: String
    /// A suggestion ("did you mean `nibp.sys`?"), where one can be made.
    public var hint: String?
    /// A warning: the file loads, but a rule probably does not mean what it says.
    public var isWarning = false

    /// A problem.
    public init(kind: Kind, position: SourcePosition, message: String, lineText: String, hint: String? = nil) {
        self.kind = kind
        self.position = position
        self.message = message
        self.lineText = lineText
        self.hint = hint
    }

    /// `file:line:col: error: message`, the line, a caret under the column, and the hint.
    public var description: String {
        // A file that cannot be read has no line or column to point at.
        let place = position.line > 0 ? "\(position)" : position.file
        var out = "\(place): \(isWarning ? "warning" : "error"): \(message)"
        if !lineText.isEmpty {
            // A very long line (a generated expression) is shown around the column only.
            var shown = Array(lineText.unicodeScalars)
            var column = position.column
            if shown.count > 160 {
                let start = max(0, column - 1 - 60), end = min(shown.count, start + 120)
                let prefix: [Unicode.Scalar] = start > 0 ? Array("...".unicodeScalars) : []
                let suffix: [Unicode.Scalar] = end < shown.count ? Array("...".unicodeScalars) : []
                shown = prefix + Array(shown[start..<end]) + suffix
                column = column - start + prefix.count
            }
            out += "\n" + String(String.UnicodeScalarView(shown)) + "\n"
            // Keep tabs so the caret lines up under tab-indented text.
            let pad = shown.prefix(max(0, column - 1)).map { $0 == "\t" ? "\t" : " " }
            out += String(pad.joined()) + "^"
        }
        if let hint { out += "\n  hint: \(hint)" }
        return out
    }
}
