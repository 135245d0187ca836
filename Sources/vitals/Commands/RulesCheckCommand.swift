import ArgumentParser
import Foundation
import RulesEngine

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

    func run() throws {
        guard let path else {
            FileHandle.standardError.write(Data("error: missing PATH\n\(Self.helpMessage())\n".utf8))
            throw ExitCode(2)
        }
        do {
            let set = try RuleSet.load(path: path)
            for w in set.warnings { FileHandle.standardError.write(Data((w.description + "\n").utf8)) }
            print("\(path): ok, \(set.rules.count) rules, \(set.limits.count) limits"
                  + (set.warnings.isEmpty ? "" : ", \(set.warnings.count) warning\(set.warnings.count == 1 ? "" : "s")"))
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(error.isUnreadable ? 2 : 1)
        }
    }
}
