import ArgumentParser
import Bridge
import DeviceProtocols
import Foundation
import VitalsCore

/// `vitals replay`: drive recorded device streams through the same pipeline on a virtual clock.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay recorded device streams (umockdev scripts) through the pipeline.",
        discussion: """
            Each --device names a profile and a fixture in umockdev's script format (Fixtures/<profile>/*.script). \
            Time is virtual: t counts from 0 by the script's delays, and the run goes as fast as the machine allows. \
            Known profiles: \(ProfileCatalog.knownNames).

            Example:
              vitals replay --device nonin-df7=Fixtures/nonin-df7/clean.script --readings --format jsonl
            """
    )

    @Option(name: .customLong("device"), help: ArgumentHelp("A recorded device: PROFILE=FILE (repeatable).", valueName: "PROFILE=FILE"))
    var devices: [String] = []

    @Option(help: "Output format: text or jsonl (one JSON object a line).")
    var format: OutputFormat = .text

    @Flag(help: "Print every reading and device status (default when no --rules is given).")
    var readings = false

    @Flag(help: "Also print waveform (pleth) batches.")
    var waveform = false

    @Option(help: ArgumentHelp("Wall-clock label of t=0 (ISO 8601).", valueName: "TIME"))
    var start: String = "2026-01-01T09:00:00Z"

    func validate() throws {
        if devices.isEmpty { throw ValidationError(ReplayError.noDevices.description) }
        if Timestamp.parseISO8601(start) == nil { throw ValidationError("--start '\(start)' is not an ISO 8601 time") }
    }

    func run() async throws {
        let sources = try ReplaySource.load(specs: devices)
        let clock = VirtualClock(epochMilliseconds: Timestamp.parseISO8601(start)!)
        let out = LineOutput()
        let printer = EventPrinter(
            format: format,
            options: .init(readings: readings || true, waveforms: waveform),
            write: { out.write($0) }, flush: { out.flush() })
        let pipeline = RoomPipeline(clock: clock, evaluator: nil, outputs: [printer])
        for input in ReplayTimeline.inputs(of: sources) {
            clock.advance(to: input.time)
            pipeline.handle(input)
        }
        pipeline.finish()
    }
}
