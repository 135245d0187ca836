import ArgumentParser
import Foundation
import RulesEngine

/// `vitals rules test FILE...`: run YAML unit tests of rules (like `promtool test rules`).
///
/// Exit status: 0 when every case passes, 1 when one fails or a file has errors, 2 when a file
/// cannot be read.
struct RulesTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run rule unit tests (series of readings in, expected alert events out).",
        discussion: "See docs/RULES.md for the test file format. Exit 0 all pass, 1 a failure or errors, 2 unreadable."
    )

    @Argument(help: "Rule test files (*.yaml).")
    var files: [String] = []

    func run() throws {
        if files.isEmpty {
            FileHandle.standardError.write(Data("error: missing FILE\n\(Self.helpMessage())\n".utf8))
            throw ExitCode(2)
        }
        var failed = 0
        var passed = 0
        var unreadable = false
        for file in files {
            do {
                let tests = try RuleTestFile.load(path: file)
                for (name, failure) in try tests.run() {
                    if let failure {
                        failed += 1
                        print("FAIL \(name)\n\(failure)")
                    } else {
                        passed += 1
                        print("ok   \(name)")
                    }
                }
            } catch {
                FileHandle.standardError.write(Data((error.description + "\n").utf8))
                unreadable = unreadable || error.isUnreadable
                failed += 1
            }
        }
        print("\(passed) passed, \(failed) failed")
        if unreadable { throw ExitCode(2) }
        if failed > 0 { throw ExitCode(1) }
    }
}
