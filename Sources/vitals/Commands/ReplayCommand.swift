import ArgumentParser

/// `vitals replay`: drive recorded device streams through the same pipeline on a virtual clock.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay recorded device streams (umockdev scripts) through the pipeline."
    )

    func run() async throws {}
}
