import ArgumentParser
import Bridge
import DeviceIO
import Foundation
import Logging
import Store
import VitalsCore

/// `vitals run`: the room daemon.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the room: attach monitors, record into the open session, raise alerts.",
        discussion: """
            Discovers serial monitors through udev (and follows them being plugged and unplugged), \
            decodes their streams, stores every reading in the room's open session (or one opened \
            automatically), evaluates the rules and prints alert events on stdout as they happen. \
            Logs go to stderr. SIGINT or SIGTERM: flush everything and exit 0. SIGHUP: reload the \
            rules (a file with errors keeps the old rules and says why).

            Known monitors are recognised by USB id and strings; generic adapters need a devices \
            file entry (by USB serial number, /dev/serial/by-id path or fixed port) or --probe.
            """
    )

    @OptionGroup var database: DatabaseOption

    @Option(help: ArgumentHelp("Rule file or folder (default: the shipped Rules/ketamine.yaml).", valueName: "PATH"))
    var rules: String?

    @Flag(name: .customLong("no-rules"), help: "Record without evaluating rules.")
    var noRules = false

    @Option(help: ArgumentHelp("The room's name (default: VITALS_ROOM, else 'default').", valueName: "NAME"), completion: Completions.rooms)
    var room: String?

    @Option(name: .customLong("devices"), help: ArgumentHelp(
        "Devices file assigning ports to profiles (default: ~/.config/vitals/devices.yaml, then /etc/vitals/devices.yaml).",
        valueName: "FILE"))
    var devicesFile: String?

    @Flag(help: "Identify unassigned generic adapters by decoding their first seconds of bytes.")
    var probe = false

    @Flag(name: .customLong("probe-active"), help: ArgumentHelp(
        "With --probe: a silent line may get a profile's harmless identification request (SunTech version, Contec V7 identifiers).",
        discussion: "Without it probing never writes to an unknown device."))
    var probeActive = false

    @Flag(name: .customLong("no-udev"), help: "Do not enumerate or watch udev; attach only the devices file's fixed ports.")
    var noUdev = false

    @Option(help: "Alert output: text or jsonl.")
    var format: OutputFormat = .text

    @Flag(help: "Also print readings, device statuses and connection changes.")
    var readings = false

    @Option(name: .customLong("nibp-interval"), help: ArgumentHelp("Routine interval for cuffs the bridge drives (SunTech).", valueName: "DURATION"))
    var nibpInterval: String = "10m"

    @Option(help: .hidden)
    var speed: Double = 1

    @Option(name: .customLong("log-level"), help: "Log level on stderr: debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func validate() throws {
        if DurationText.parse(nibpInterval) == nil { throw ValidationError("--nibp-interval '\(nibpInterval)' is not a duration (for example 10m)") }
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level must be one of debug, info, notice, warning, error") }
        if speed <= 0 { throw ValidationError("--speed must be positive") }
        if let d = DurationText.parse(nibpInterval), d < .seconds(60) || d > .seconds(24 * 3600) {
            throw ValidationError("--nibp-interval must be between 1m and 24h (a cuff restarted back to back hurts the patient)")
        }
    }

    func run() throws {
        let level = Logger.Level(rawValue: logLevel)!
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var config = RoomDaemonConfiguration(
            databasePath: database.resolvedPath, rulesPath: noRules ? nil : (rules ?? DefaultRules.path),
            room: room ?? VitalsDatabase.defaultRoom(), devicesFile: try DevicesFile.locate(explicit: devicesFile))
        config.format = format
        config.printReadings = readings
        config.probe = probe || probeActive
        config.probeActive = probeActive
        config.useUdev = !noUdev
        config.speed = speed
        config.nibpInterval = DurationText.parse(nibpInterval)!
        let log = Logger(label: "vitals.run")
        // One writer a database (issue 12): a second `vitals run` on this file stops here, before
        // it opens a port or touches the journal. With nowhere to put the lock file (the disk the
        // database is on is gone or read-only) the room still monitors, as storage trouble must
        // never be an outage.
        var writerLock: DatabaseWriterLock?
        do throws(DatabaseWriterLockError) {
            writerLock = try DatabaseWriterLock.acquire(databasePath: config.databasePath)
        } catch let error {
            switch error {
            case .held: throw ValidationError(error.description)
            case .unavailable: log.warning("\(error.description); monitoring without it")
            }
        }
        defer { withExtendedLifetime(writerLock) {} }
        let daemon = try RoomDaemon(configuration: config, log: log, output: StandardOutput.line)
        if let summary = daemon.run(), !summary.isComplete {
            // Nothing is discarded silently: the journal holds what the disk would not take.
            log.error("\(summary)")
            throw ExitCode(1)
        }
    }
}
