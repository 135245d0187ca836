import ArgumentParser

/// `vitals session`: the session record (start, dose, note, end, list, show).
struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Start, annotate, end and review dosing sessions.",
        subcommands: [
            SessionStartCommand.self, SessionDoseCommand.self, SessionNoteCommand.self, SessionEndCommand.self,
            SessionListCommand.self, SessionShowCommand.self, SessionObserveCommand.self,
        ]
    )
}
