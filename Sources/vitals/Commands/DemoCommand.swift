import ArgumentParser
import Bridge
import DeviceProtocols
import Foundation
import Glibc
import Logging
@preconcurrency import Rainbow
import VitalsCore

/// `vitals demo`: the whole room on simulated devices, for a first look.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a whole treatment room on simulated monitors: two hours in about a minute.",
        discussion: """
            Creates a temporary database and a session for a demo patient with a dose event, puts a \
            simulated Nonin DF7 oximeter and a SunTech Advantage NIBP module on pseudo-terminals, \
            attaches them through the same serial path as real monitors, evaluates the shipped \
            Rules/ketamine.yaml on the ketamine scenario (the blood-pressure rise after the dose and \
            one desaturation), shows the vitals and the alerts as they happen, then ends the session \
            and prints its summary.
            """
    )

    @Option(help: ArgumentHelp("Rule file (default: the shipped Rules/ketamine.yaml).", valueName: "PATH"))
    var rules: String?

    @Option(help: "Time compression from 1 to 300: 120 runs the two-hour session in a minute. Faster, the simulated monitors' bytes arrive late and raise false stale-data alerts.")
    var speed: Double = 120

    @Option(help: ArgumentHelp("Keep the demo's files here instead of a new temporary folder.", valueName: "DIR"))
    var directory: String?

    @Option(help: ArgumentHelp(
        "A multi-parameter monitor instead of the oximeter and the cuff (\(DemoCommand.monitorNames)); its capnography shows a respiratory depression.",
        valueName: "PROFILE"))
    var monitor: String?

    /// The profiles `--monitor` takes: every multi-parameter one.
    static let monitorProfiles = ProfileCatalog.all.filter { $0.category == .multiParameter }
    static var monitorNames: String { monitorProfiles.map { $0.id }.joined(separator: ", ") }

    func validate() throws {
        guard speed.isFinite, speed >= 1, speed <= DemoRoom.Options.maxSpeed else {
            throw ValidationError("--speed must be between 1 and \(Int(DemoRoom.Options.maxSpeed)) (faster, the simulated monitors fall behind)")
        }
        if let monitor, !Self.monitorProfiles.contains(where: { $0.id == monitor }) {
            throw ValidationError("--monitor '\(monitor)' is not a multi-parameter monitor profile (one of: \(Self.monitorNames))")
        }
    }

    func run() throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .error
            return handler
        }
        let dir = try directory ?? Self.makeTemporaryDirectory()
        let rulesPath = rules ?? DefaultRules.path
        guard FileManager.default.fileExists(atPath: rulesPath) else {
            throw ValidationError("rules not found at \(rulesPath); run from the checkout or pass --rules")
        }
        var options = DemoRoom.Options(directory: dir, rulesPath: rulesPath)
        options.speed = speed
        options.monitor = monitor.flatMap { m in Self.monitorProfiles.first { $0.id == m } }
        let screen = DemoScreen(interactive: isatty(1) != 0, dose: options.doseAt, length: options.duration)
        let demo = DemoRoom(options: options, log: Logger(label: "vitals.demo"), onAlert: { screen.alert($0) })
        screen.header(options: options)
        let result = try demo.run { time, snapshot in screen.status(time: time, snapshot: snapshot) }
        screen.finish(result: result)
    }

    static func makeTemporaryDirectory() throws -> String {
        let tmp = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array((tmp + "/vitals-demo-XXXXXX").utf8CString)
        guard let p = mkdtemp(&template) else { throw ValidationError("cannot create a temporary folder") }
        return String(cString: p)
    }
}
