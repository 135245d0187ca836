import ArgumentParser

extension Vitals {
    /// Every subcommand, in the order `--help` lists them: the room, the clinicians' terminal,
    /// the session record, then tools. Add one line per command.
    static let subcommandList: [any ParsableCommand.Type] = [
        RunCommand.self,
        TailCommand.self,
        StatusCommand.self,
        AckCommand.self,
        SessionCommand.self,
        NIBPCommand.self,
        ExportCommand.self,
        DevicesCommand.self,
        DemoCommand.self,
        SimulateCommand.self,
        ReplayCommand.self,
        RulesCommand.self,
        ReportCommand.self,
        ForwardCommand.self,
        CentralCommand.self,
    ]
}
