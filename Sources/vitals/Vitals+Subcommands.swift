import ArgumentParser

extension Vitals {
    /// Every subcommand, in the order `--help` lists them. Add one line per command.
    static let subcommandList: [any ParsableCommand.Type] = [
        RunCommand.self,
        DemoCommand.self,
        ReplayCommand.self,
        SimulateCommand.self,
        RulesCommand.self,
        SessionCommand.self,
        ExportCommand.self,
        DevicesCommand.self,
        WriteReadingsCommand.self,
        TailCommand.self,
        AckCommand.self,
        StatusCommand.self,
        NIBPCommand.self,
    ]
}
