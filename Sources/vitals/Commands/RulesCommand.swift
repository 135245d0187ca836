import ArgumentParser

/// `vitals rules`: tools for the people who write rules.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check rule files and run their unit tests.",
        subcommands: [RulesCheckCommand.self, RulesTestCommand.self]
    )
}
