import ArgumentParser

/// `--color=auto|always|never`.
enum ColourMode: String, ExpressibleByArgument, CaseIterable, Sendable {
    case auto, always, never
}

/// `--color`, shared by the commands that colour their output.
struct ColourOption: ParsableArguments {
    @Option(
        name: .customLong("color"),
        help: ArgumentHelp("auto (colour on a terminal unless NO_COLOR is set or TERM=dumb), always or never.", valueName: "when"))
    var mode: ColourMode = .auto

    /// Sets the process's colour switch; returns whether colour is on.
    @discardableResult
    func configure() -> Bool { TerminalStyle.configure(mode) }
}
