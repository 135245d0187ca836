import Foundation
import Store

/// The formats `vitals report` writes.
public enum ReportFormat: String, Sendable, CaseIterable {
    case html
    case pdf
    case json
}

/// Writes a session's report to a file (owner-only: it holds health data) or standard output.
public enum ReportFile {
    /// Why a report could not be written.
    public enum Failure: Error, CustomStringConvertible {
        case cannotWrite(path: String, reason: String)
        case pdfToStandardOutput

        public var description: String {
            switch self {
            case let .cannotWrite(path, reason): "cannot write the report to \(path): \(reason)"
            case .pdfToStandardOutput: "-o - (standard output) is for html and json; give a file name for a PDF"
            }
        }
    }

    /// `session-12.html` in the current folder.
    public static func defaultName(session: Int64, format: ReportFormat) -> String { "session-\(session).\(format.rawValue)" }

    /// Renders `model` as `format` into `path` (`-` for standard output) and returns where it went.
    public static func write(_ model: ReportModel, format: ReportFormat, to path: String, timeZone: TimeZone = .current, generatedAt: Int64) throws -> String {
        switch format {
        case .html:
            try output(HTMLReport.render(model, timeZone: timeZone, generatedAt: generatedAt), to: path)
        case .json:
            try output(JSONReport.render(model, generatedAt: generatedAt), to: path)
        case .pdf:
            guard path != "-" else { throw Failure.pdfToStandardOutput }
            guard ChromiumPDF.browser() != nil else { throw ChromiumPDF.Failure.notInstalled }
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vitals-report-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            defer { try? FileManager.default.removeItem(at: dir) }
            let html = dir.appendingPathComponent("report.html").path
            try output(HTMLReport.render(model, timeZone: timeZone, generatedAt: generatedAt), to: html)
            let pdf = dir.appendingPathComponent("report.pdf").path
            try ChromiumPDF.print(htmlPath: html, to: pdf)
            try output(FileManager.default.contents(atPath: pdf) ?? Data(), to: path)
        }
        return path
    }

    static func output(_ text: String, to path: String) throws(Failure) {
        try output(Data(text.utf8), to: path)
    }

    static func output(_ data: Data, to path: String) throws(Failure) {
        if path == "-" {
            FileHandle.standardOutput.write(data)
            return
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        // An existing file keeps its mode through O_TRUNC: narrow it.
        fchmod(fd, 0o600)
        let h = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do { try h.write(contentsOf: data) } catch { throw .cannotWrite(path: path, reason: "\(error)") }
    }
}
