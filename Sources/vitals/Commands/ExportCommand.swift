import ArgumentParser
import Foundation
import Store

/// `vitals export`: a session's readings and events as CSV or JSON lines.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a session's readings (csv) or its whole record (jsonl, fhir)."
    )

    @OptionGroup var database: DatabaseOption

    @Option(name: .customLong("session"), help: "The session id.")
    var sessionID: Int64

    @Option(help: "csv (readings), jsonl (session, readings, alerts, events) or fhir (an R4 transaction Bundle).")
    var format: ExportFormat

    @Option(name: .shortAndLong, help: "Write to this file (created owner-only) instead of stdout.")
    var output: String?

    func run() throws {
        let db = try database.open()
        let sink: FileHandle
        if let output {
            let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard fd >= 0 else {
                throw StoreError.invalidValue(name: "--output", value: output, reason: String(cString: strerror(errno)))
            }
            // An existing file keeps its mode through O_TRUNC: narrow it, it will hold health data.
            fchmod(fd, 0o600)
            sink = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        } else {
            sink = FileHandle.standardOutput
        }
        var pending = ""
        try db.export(session: sessionID, format: format) { line in
            pending += line
            pending += "\n"
            if pending.utf8.count >= 65_536 {
                sink.write(Data(pending.utf8))
                pending = ""
            }
        }
        sink.write(Data(pending.utf8))
    }
}

extension ExportFormat: ExpressibleByArgument {}
