import Foundation
import VitalsTestSupport

/// A test peer written in Python (Tests/Peers/*.py), run as a child process.
final class PythonPeer {
    let process = Process()
    let output = Pipe()
    /// The TCP port the peer printed (`PORT n`), for servers.
    private(set) var port = 0

    static func script(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Peers").appendingPathComponent(name).path
    }

    /// Starts `python3 script args...` and, for a server, waits for its `PORT n` line.
    init(_ script: String, _ args: [String], waitForPort: Bool = true) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script(script)] + args
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        if waitForPort {
            var text = ""
            let handle = output.fileHandleForReading
            while !text.contains("\n") {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            guard let line = text.split(separator: "\n").first, line.hasPrefix("PORT "), let p = Int(line.dropFirst(5)) else {
                process.terminate()
                throw PeerError.noPort(text)
            }
            port = p
        }
    }

    enum PeerError: Error { case noPort(String) }

    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { kill() }
}

/// The lines the receiver logged, decoded.
struct ReceivedMessage: Decodable {
    var control: String
    var type: String
    var time: String
    var patient: String
    var errors: [String]
    var metrics: [Metric]?
    var phase: String?
    var inactivation: String?
    var priority: String?
    var alert: String?

    struct Metric: Decodable {
        var code: Int?
        var value: String
        var status: String
        var time: String
        var sub: String
    }

    static func read(_ path: String) -> [ReceivedMessage] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(ReceivedMessage.self, from: Data($0.utf8)) }
    }
}

/// Polls `condition` every 50 ms for up to `seconds` (not a timing assertion: a generous bound).
func eventually(_ seconds: Double = 60, _ condition: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if condition() { return true }
        usleep(50_000)
    }
    return condition()
}
