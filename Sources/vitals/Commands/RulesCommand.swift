import ArgumentParser

/// `vitals rules`: tools for the people who write rules.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check rule files, run their unit tests, and backtest them on stored sessions.",
        subcommands: [RulesCheckCommand.self, RulesTestCommand.self, RulesBacktestCommand.self]
    )
}
