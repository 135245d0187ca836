import ArgumentParser
import Foundation
import RulesEngine
import VitalsCore

/// `vitals rules check PATH`: load a rule file or directory and list every problem.
///
/// Exit status: 0 when the rules load, 1 when they have errors, 2 when the path cannot be read.
struct RulesCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a rule file or a directory of rule files.",
        discussion: "Prints every error (and warning, such as a `when` that can stay true after its `clear` holds) as file:line:column with the line, a caret and a hint. Exit 0 ok (warnings included), 1 errors, 2 unreadable."
    )

    // Optional so a missing path exits 2 (the documented usage code) rather than
    // ArgumentParser's 64.
    @Argument(help: "A rule file (*.yaml) or a directory of them.")
    var path: String?

    @Option(help: "text, or jsonl: {\"type\":\"rules\",\"path\":…,\"ok\":…,\"rules\":…,\"limits\":…,\"warnings\":…,\"error\":…}.")
    var format: OutputFormat = .text

    func run() throws {
        guard let path else {
            FileHandle.standardError.write(Data("error: missing PATH\n\(Self.helpMessage())\n".utf8))
            throw ExitCode(2)
        }
        do {
            let set = try RuleSet.load(path: path)
            for w in set.warnings { FileHandle.standardError.write(Data((w.description + "\n").utf8)) }
            switch format {
            case .text:
                print("\(path): ok, \(set.rules.count) rules, \(set.limits.count) limits"
                      + (set.warnings.isEmpty ? "" : ", \(set.warnings.count) warning\(set.warnings.count == 1 ? "" : "s")"))
            case .jsonl: print(Self.json(path: path, set: set, error: nil))
            }
        } catch {
            if format == .jsonl { print(Self.json(path: path, set: nil, error: error.description)) }
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(error.isUnreadable ? 2 : 1)
        }
    }

    static func json(path: String, set: RuleSet?, error: String?) -> String {
        var w = JSONObjectWriter()
        w.add("type", "rules")
        w.add("path", path)
        w.add("ok", set != nil)
        w.add("rules", number: set.map { Double($0.rules.count) })
        w.add("limits", number: set.map { Double($0.limits.count) })
        w.add("warnings", number: set.map { Double($0.warnings.count) })
        w.add("error", error)
        return w.line
    }
}
