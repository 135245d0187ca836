import ArgumentParser
import Foundation
import Forwarding
import Logging
import Store
import VitalsCore

/// `vitals forward`: the store-and-forward forwarder, its own process (contrib/vitals-forward.service).
struct ForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "Forward the room's readings and alerts to HL7 (mllp://), the central database or a file.",
        discussion: """
            Each destination keeps its own cursor in the room database; rows are delivered at least \
            once, in order, and the cursor moves only once the destination confirmed them.
            """
    )

    @OptionGroup var database: DatabaseOption

    @Option(name: .customLong("to"), help: ArgumentHelp("A destination URL (repeatable): mllp://HOST:PORT, mllps://HOST:PORT, file:///PATH, postgres://USER@HOST:PORT/DATABASE (password from PGPASSFILE or PGPASSWORD).", valueName: "url"))
    var destinations: [String] = []

    @Flag(help: "Forward what is pending, then exit (0 when every destination is caught up).")
    var once = false

    @Option(help: "PCD-01: one message per device per period.")
    var period: String = "1s"

    @Option(name: .customLong("continue-every"), help: "PCD-04: re-send an active alert this often.")
    var continueEvery: String = "30s"

    @Option(name: .customLong("ack-timeout"), help: "Drop and remake the connection when a receiver has not answered for this long.")
    var ackTimeout: String = "10s"

    @Option(name: .customLong("max-rejects"), help: "Park a message in the dead-letter table after this many AR answers.")
    var maxRejects: Int = 3

    @Option(name: .customLong("give-up-after"), help: "--once: exit 1 after this long without progress.")
    var giveUpAfter: String = "2m"

    @Option(name: .customLong("application"), help: "HL7 MSH-3 sending application name.")
    var application: String = "VITALS"

    @Option(name: .customLong("eui64"), help: "The bridge's EUI-64 (16 hex digits) for MSH-3 and OBX-18 (default: made from the room's id).")
    var eui64: String?

    @Option(name: .customLong("facility"), help: "HL7 MSH-4 sending facility.")
    var facility: String = ""

    @Option(name: .customLong("log-level"), help: "Log level on stderr: debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func validate() throws {
        if destinations.isEmpty { throw ValidationError("give at least one --to URL") }
        for (name, text) in [("--period", period), ("--continue-every", continueEvery), ("--ack-timeout", ackTimeout), ("--give-up-after", giveUpAfter)] {
            guard let d = DurationText.parse(text), d > .zero else { throw ValidationError("\(name) '\(text)' is not a positive duration (for example 1s)") }
        }
        if maxRejects < 1 { throw ValidationError("--max-rejects must be at least 1") }
        if let eui64, eui64.count != 16 || !eui64.allSatisfy(\.isHexDigit) {
            throw ValidationError("--eui64 '\(eui64)' must be 16 hex digits")
        }
        if Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level must be one of debug, info, notice, warning, error") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel)!
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        func ms(_ text: String) -> Int64 {
            let c = DurationText.parse(text)!.components
            return c.seconds * 1000 + c.attoseconds / 1_000_000_000_000_000
        }
        var config = ForwarderConfiguration()
        config.readingPeriodMs = ms(period)
        config.continuePeriodMs = ms(continueEvery)
        config.ackTimeout = Double(ms(ackTimeout)) / 1000
        config.giveUpAfter = Double(ms(giveUpAfter)) / 1000
        config.maxRejects = maxRejects
        config.sendingApplication = application
        config.sendingEUI64 = eui64?.uppercased()
        config.sendingFacility = facility
        let db = try database.open()
        let logger = Logger(label: "vitals.forward")
        let context = DestinationContext(database: db, configuration: config, logger: logger)
        let made = try destinations.map { try DestinationFactory.make($0, context: context) }
        let forwarder = Forwarder(database: db, destinations: made, configuration: config, logger: logger)
        if once {
            try await forwarder.runOnce()
        } else {
            try await forwarder.run()
        }
        let parked = try db.deadLetters()
        if !parked.isEmpty {
            printToStandardError("vitals: \(parked.count) message(s) were refused for good and are parked in forward_dead_letters (docs/SCHEMA.md)")
        }
    }
}

private func printToStandardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
