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

    /// The line and column of `offset` (Unicode scalars) inside a scalar node's text. Single-line
    /// scalars (plain or quoted) map exactly; for block scalars the text line is looked up in the
    /// source below the mark; otherwise the scalar's own position is used.
    func position(ofOffset offset: Int, in node: Node) -> (line: Int, column: Int) {
        guard let scalar = node.scalar, let mark = scalar.mark else { return (1, 1) }
        let value = Array(scalar.string.unicodeScalars)
        // Which text line the offset falls in, and where in it.
        var lineIndex = 0
        var lineStart = 0
        for (i, c) in value.enumerated() where i < offset && c == "\n" {
            lineIndex += 1
            lineStart = i + 1
        }
        let textLines = scalar.string.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let wanted = lineIndex < textLines.count ? textLines[lineIndex] : ""
        let within = offset - lineStart
        var searchLine = mark.line + (scalar.style == .literal || scalar.style == .folded ? 1 : 0)
        var remaining = lineIndex
        while searchLine <= lines.count {
            let src = Array(lines[searchLine - 1].unicodeScalars)
            let from = searchLine == mark.line ? mark.column - 1 : 0
            if let col = Self.find(Array(wanted.unicodeScalars), in: src, from: from) {
                if remaining == 0 { return (searchLine, col + within + 1) }
                remaining -= 1
            }
            searchLine += 1
            if searchLine > mark.line + 50 { break }
        }
        return (mark.line, mark.column + ((scalar.style == .singleQuoted || scalar.style == .doubleQuoted) ? 1 : 0) + offset)
    }

    private static func find(_ needle: [Unicode.Scalar], in hay: [Unicode.Scalar], from: Int) -> Int? {
        guard !needle.isEmpty, needle.count <= hay.count, from <= hay.count - needle.count else { return nil }
        for i in from...(hay.count - needle.count) where hay[i] == needle[0] {
            if Array(hay[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }

    /// A problem for a YAML error from Yams, at its mark.
    func problem(for error: any Error) -> RuleProblem {
        switch error {
        case let YamlError.scanner(context, problem, mark, _),
             let YamlError.parser(context, problem, mark, _),
             let YamlError.composer(context, problem, mark, _):
            var message = "YAML: \(problem)"
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
