import ArgumentParser

/// The `vitals` command: the room daemon, the clinicians' terminal, replay and the session record.
@main
struct Vitals: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vitals",
        abstract: "Bridge pulse oximeters and blood-pressure monitors to the clinic's computers.",
        discussion: """
            Decodes each monitor's serial stream, raises alerts from Rules/*.yaml, and stores every \
            reading and alert in SQLite beside the session record. See README.md and docs/.

            """ + ExitStatus.helpText,
        version: "0.1.0",
        subcommands: Vitals.subcommandList
    )
}
