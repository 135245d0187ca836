import ArgumentParser
import Bridge
import DeviceProtocols
import Foundation
import Glibc
import VitalsCore

/// `vitals simulate`: a simulated monitor on a pseudo-terminal.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run a simulated monitor on a pseudo-terminal, following a physiological scenario.",
        discussion: """
            Prints the pty's path (and makes a symlink at --link); a program opens it exactly as it \
            opens /dev/ttyUSB0. The bytes come from the profile's encoder, so they are what the real \
            device sends; cuffs driven by the host (SunTech) answer its commands. Assign the port to \
            the profile in a devices file (- port: /tmp/vitals-ox, profile: nonin-df7) for vitals run.

            Scenarios: \(Scenario.allCases.map(\.rawValue).joined(separator: ", ")).
            Profiles: \(ProfileCatalog.knownNames).
            """
    )

    @Argument(help: "The device profile to simulate.", completion: Completions.profiles)
    var profile: String

    @Option(help: "The physiological scenario.", completion: Completions.scenarios)
    var scenario: String = "stable"

    @Option(help: "Time compression: 60 runs an hour in a minute.")
    var speed: Double = 1

    @Option(help: ArgumentHelp("Make a symlink to the pty here.", valueName: "PATH"))
    var link: String?

    @Option(help: ArgumentHelp("Write the stream as a fixture (umockdev script) here when stopped.", valueName: "FILE"))
    var record: String?

    @Option(name: .customLong("dose-at"), help: ArgumentHelp("When the dose is given, in scenario time (for ketamine scenarios).", valueName: "DURATION"))
    var doseAt: String = "10m"

    @Option(help: ArgumentHelp("Stop after this much scenario time (default: run until interrupted).", valueName: "DURATION"))
    var duration: String?

    func validate() throws {
        guard ProfileCatalog.profile(named: profile) != nil else { throw ValidationError(UnknownProfileError(name: profile).description) }
        do { _ = try Scenario.named(scenario) } catch { throw ValidationError("\(error)") }
        guard speed > 0 else { throw ValidationError("--speed must be positive") }
        guard DurationText.parse(doseAt) != nil else { throw ValidationError("--dose-at '\(doseAt)' is not a duration") }
        if let duration, DurationText.parse(duration) == nil { throw ValidationError("--duration '\(duration)' is not a duration") }
    }

    func run() throws {
        let profile = ProfileCatalog.profile(named: profile)!
        let device = SimulatedDevice(profile: profile, scenario: try Scenario.named(scenario), dose: DurationText.parse(doseAt))
        let simulator = try PtySimulator(device: device, speed: speed, linkPath: link, record: record != nil)
        StandardOutput.line("\(profile.id) (\(scenario)) on \(simulator.slavePath ?? "?")" + (link.map { " (link \($0))" } ?? ""))
        let stop = DispatchSemaphore(value: 0)
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { stop.signal() }
            s.resume()
            sources.append(s)
        }
        let limit = duration.flatMap(DurationText.parse)
        simulator.start(duration: limit)
        if limit != nil {
            DispatchQueue.global().async { simulator.wait(); stop.signal() }
        }
        stop.wait()
        let script = simulator.stop()
        if let record, let script {
            let bytes = Data(script.serialized())
            guard FileManager.default.createFile(atPath: record, contents: bytes) else {
                throw ValidationError("cannot write \(record)")
            }
            StandardOutput.line("recorded \(script.steps.count) operations to \(record)")
        }
    }
}
