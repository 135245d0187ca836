import Yams

/// One rule file's text, kept for positions: turns Yams marks and expression offsets into
/// `RuleProblem`s with the offending line.
struct RuleSourceFile {
    let path: String
    let text: String
    let lines: [String]

    init(path: String, text: String) {
        self.path = path
        self.text = text
        // Split on "\n" only, keeping "\r" out of the shown line.
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
    }

    func lineText(_ line: Int) -> String { line >= 1 && line <= lines.count ? lines[line - 1] : "" }

    func problem(_ kind: RuleProblem.Kind = .semantic, line: Int, column: Int, _ message: String, hint: String? = nil) -> RuleProblem {
        RuleProblem(kind: kind, position: SourcePosition(file: path, line: line, column: column),
                    message: message, lineText: lineText(line), hint: hint)
    }

    func problem(at node: Node?, _ message: String, hint: String? = nil) -> RuleProblem {
        let mark = node?.mark
        return problem(line: mark?.line ?? 1, column: mark?.column ?? 1, message, hint: hint)
    }

    /// The line and column of `offset` (Unicode scalars) inside a scalar node's text.
    /// A single-line scalar (plain or quoted) is found on its own line and maps exactly. A
    /// multi-line one (block `|`/`>` or a folded plain scalar) is mapped by walking its source
    /// lines, each trimmed, joined by one character (the folded space or kept newline); escapes
    /// in quoted multi-line scalars can shift this, and then the scalar's start is used.
    func position(ofOffset offset: Int, in node: Node) -> (line: Int, column: Int) {
        guard let scalar = node.scalar, let mark = scalar.mark else { return (1, 1) }
        let value = Array(scalar.string.unicodeScalars)
        let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
        let block = scalar.style == .literal || scalar.style == .folded
        if !block {
            let src = Array(lineText(mark.line).unicodeScalars)
            let from = mark.column - 1 + (quoted ? 1 : 0)
            if from + value.count <= src.count, Array(src[from..<(from + value.count)]) == value {
                return (mark.line, from + offset + 1)
            }
        }
        // Walk the content lines.
        var line = block ? mark.line + 1 : mark.line
        var remaining = offset
        var first = true
        while line <= lines.count {
            let src = Array(lines[line - 1].unicodeScalars)
            var start = first && !block ? mark.column - 1 + (quoted ? 1 : 0) : 0
            while start < src.count, src[start] == " " || src[start] == "\t" { start += 1 }
            var end = src.count
            while end > start, src[end - 1] == " " { end -= 1 }
            if !first && start >= end && block { line += 1; continue }
            let length = end - start
            if remaining <= length { return (line, start + remaining + 1) }
            remaining -= length + 1
            first = false
            line += 1
        }
        return (mark.line, mark.column)
    }

    /// A problem for a YAML error from Yams, at its mark.
    func problem(for error: any Error) -> RuleProblem {
        switch error {
        case let YamlError.scanner(context, problem, mark, _),
             let YamlError.parser(context, problem, mark, _),
             let YamlError.composer(context, problem, mark, _):
            var message = "YAML: \(problem)"
            if let context, context.text.contains("quoted scalar") {
                // An unclosed quote is reported where the stream ends; point at the opening quote.
                return self.problem(.syntax, line: context.mark.line, column: context.mark.column,
                                    "YAML: unclosed quote (\(problem) at \(mark.line):\(mark.column))", hint: "close the quote")
            }
            if let context { message += " (\(context.text) at \(context.mark.line):\(context.mark.column))" }
            return self.problem(.syntax, line: mark.line, column: mark.column, message, hint: Self.syntaxHint(problem))
        case let YamlError.duplicatedKeysInMapping(duplicates, context):
            return self.problem(.syntax, line: context.mark.line, column: context.mark.column,
                                "duplicate key \(duplicates.map { "`\($0)`" }.joined(separator: ", ")) in one mapping",
                                hint: "each key may appear once; remove or rename one")
        case let YamlError.reader(problem, offset, _, _):
            let (line, col) = lineColumn(utf8Offset: offset ?? 0)
            return self.problem(.syntax, line: line, column: col, "YAML: \(problem)")
        default:
            return self.problem(.syntax, line: 1, column: 1, "YAML: \(error)")
        }
    }

    private func lineColumn(utf8Offset: Int) -> (Int, Int) {
        var line = 1, col = 1
        for (i, c) in text.utf8.enumerated() {
            if i >= utf8Offset { break }
            if c == UInt8(ascii: "\n") { line += 1; col = 1 } else { col += 1 }
        }
        return (line, col)
    }

    private static func syntaxHint(_ problem: String) -> String? {
        if problem.contains("tab") { return "indent with spaces, not tabs" }
        if problem.contains("mapping values are not allowed") {
            return "a value containing `: ` must be quoted"
        }
        if problem.contains("quoted scalar") { return "close the quote" }
        if problem.contains("'-' indicator") || problem.contains("block end") { return "check the indentation of this line and the one above" }
        return nil
    }
}
