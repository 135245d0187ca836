import Foundation
import VitalsCore
import Yams

extension RuleSet {
    /// Loads a rule file, or every `*.yaml`/`*.yml` file in a directory (sorted by name, sharing
    /// one limit table). Every name, function, argument type and unit is checked here.
    ///
    /// - Throws: `RuleLoadError` listing every problem found, each with file:line:column.
    /// The largest rule file read (the shipped one is about 15 KiB).
    public static let maximumFileSize = 1024 * 1024

    public static func load(path: String) throws(RuleLoadError) -> RuleSet {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RuleLoadError(problems: [RuleProblem(
                kind: .unreadable, position: SourcePosition(file: path, line: 0, column: 0),
                message: "no such file or directory", lineText: "")])
        }
        var files: [String] = []
        if isDirectory.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                .map { (path as NSString).appendingPathComponent($0) }
            if files.isEmpty {
                throw RuleLoadError(problems: [RuleProblem(
                    kind: .unreadable, position: SourcePosition(file: path, line: 0, column: 0),
                    message: "no *.yaml rule files in this directory", lineText: "")])
            }
        } else {
            files = [path]
        }
        var sources: [(String, String)] = []
        var read: [(path: String, data: Data)] = []
        var problems: [RuleProblem] = []
        for file in files {
            if let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int, size > maximumFileSize {
                problems.append(RuleProblem(kind: .unreadable, position: SourcePosition(file: file, line: 0, column: 0),
                                            message: "the file is \(size) bytes; a rule file is at most \(maximumFileSize / 1024) KiB", lineText: ""))
                continue
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                problems.append(RuleProblem(kind: .unreadable, position: SourcePosition(file: file, line: 0, column: 0),
                                            message: "cannot read the file", lineText: ""))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                problems.append(RuleProblem(kind: .unreadable, position: SourcePosition(file: file, line: 0, column: 0),
                                            message: "the file is not UTF-8 text", lineText: ""))
                continue
            }
            sources.append((file, text))
            read.append((file, data))
        }
        if !problems.isEmpty { throw RuleLoadError(problems: problems) }
        var set = try parse(sources)
        set.source = RuleSetSource.of(path: path, files: read, isDirectory: isDirectory.boolValue)
        return set
    }

    /// Parses rule files given as (path, text) pairs; the path is only used in positions.
    public static func parse(_ sources: [(path: String, text: String)]) throws(RuleLoadError) -> RuleSet {
        var loader = RuleSetLoader()
        let files = sources.map { RuleSourceFile(path: $0.path, text: $0.text) }
        var roots: [(RuleSourceFile, Node.Mapping?)] = []
        for file in files { roots.append((file, loader.root(of: file))) }
        for (file, root) in roots { if let root { loader.readLimits(root, file) } }
        for (file, root) in roots { if let root { loader.readRules(root, file) } }
        if !loader.problems.isEmpty { throw RuleLoadError(problems: loader.problems) }
        let history = max(loader.rules.map { max($0.when.longestWindow, $0.clear?.longestWindow ?? 0) }.max() ?? 0,
                          Baseline.windowMilliseconds)
        let count = loader.rules.map { max($0.when.largestCount, $0.clear?.largestCount ?? 0) }.max() ?? 0
        var set = RuleSet(limits: loader.limits, rems: loader.rems, rules: loader.rules, satseconds: loader.parser.satseconds,
                          doseWindows: loader.parser.doseWindows, historyMilliseconds: history, historyCount: count)
        set.warnings = loader.warnings
        return set
    }

    /// Parses one rule file's text.
    public static func parse(yaml: String, file: String = "<rules>") throws(RuleLoadError) -> RuleSet {
        try parse([(path: file, text: yaml)])
    }
}
