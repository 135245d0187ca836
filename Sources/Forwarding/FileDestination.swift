import Foundation
import Store

/// `file:///PATH`: appends each batch to PATH as JSON lines, one row a line
/// (`{"room":UID,"table":"readings","row":{...}}`, tables in the order of `RoomChangeBatch`),
/// and confirms once the lines are on disk (fsync). For tests of the forwarder core and for
/// audits; the file is created owner-only (health data).
public final class FileDestination: ForwardDestination {
    public let cursorKey: String
    let path: String

    public init(url: DestinationURL) throws(ForwardingError) {
        guard !url.path.isEmpty, url.host == nil || url.host == "localhost" else {
            throw .badURL(url.redacted, reason: "expected file:///absolute/path")
        }
        path = url.path
        cursorKey = url.redacted
    }

    public func deliver(_ batch: RoomChangeBatch) async throws {
        if batch.isEmpty { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out = Data()
        func add<Row: Encodable>(_ table: String, _ rows: [Row]) throws {
            for row in rows {
                out.append(contentsOf: Array(#"{"room":"\#(batch.room.uid)","table":"\#(table)","row":"#.utf8))
                out.append(try encoder.encode(row))
                out.append(contentsOf: Array("}\n".utf8))
            }
        }
        try add("sessions", batch.sessions)
        try add("readings", batch.readings)
        try add("alerts", batch.alerts)
        try add("alert_events", batch.alertEvents)
        try add("device_events", batch.deviceEvents)
        try add("session_events", batch.sessionEvents)
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else {
            throw ForwardingError.deliveryFailed(destination: cursorKey, reason: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { closeDescriptor(fd) }
        let bytes = [UInt8](out)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ForwardingError.deliveryFailed(
                    destination: cursorKey, reason: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        guard fsync(fd) == 0 else {
            throw ForwardingError.deliveryFailed(destination: cursorKey, reason: "cannot sync \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// `close(2)`, out of reach of the class's own `close()` method.
private func closeDescriptor(_ fd: Int32) {
    _ = close(fd)
}
