import Foundation
import Store

/// `vitals session show|report --central`: one session of one room, read from the central
/// database into a throwaway room database (a 0700 folder under the temporary directory, removed
/// by `remove()`), so the room's own queries, summary, REMS checkpoints and report renderers print
/// it exactly as the room would. One owner for what a session report says: the room's code.
public final class CentralSessionReader: Sendable {
    /// The copy, opened.
    public let database: VitalsDatabase
    /// The room the session belongs to and what was read.
    public let copy: CentralSessionCopy
    /// The folder holding the throwaway file.
    public let directory: String

    /// What the central copy does not carry, for the note printed beside a central report.
    public static let notCarried =
        "the central copy does not carry the REMS record's lot, concomitant medications, nasal devices and clinical "
        + "observations, acknowledgement notes, the pleth waveform, USB ids, nor the rule file the session started with; "
        + "the room's own `vitals session show` and `vitals report` have them"

    private init(database: VitalsDatabase, copy: CentralSessionCopy, directory: String) {
        self.database = database
        self.copy = copy
        self.directory = directory
    }

    /// Reads session `id` (of the room among `rooms` that has it) from `endpoint`.
    public static func read(_ endpoint: CentralEndpoint, session id: Int64, rooms: Set<String>) async throws -> CentralSessionReader {
        let central = try await CentralDatabase.connect(endpoint)
        let copy: CentralSessionCopy
        do {
            copy = try await central.sessionCopy(id: id, rooms: rooms)
        } catch {
            await central.close()
            throw error
        }
        await central.close()
        let directory = try makeDirectory()
        do {
            let db = try VitalsDatabase(path: directory + "/central-copy.sqlite")
            try db.insertCopy(of: copy.rows)
            return CentralSessionReader(database: db, copy: copy, directory: directory)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// One line saying where the session came from and what it lacks.
    public var provenance: String {
        var line = "Room \(copy.room.name) (room id \(copy.room.id)), from the central database; \(Self.notCarried)."
        if copy.unreadable > 0 {
            line += " \(copy.unreadable) row(s) of a kind this vitals cannot read were left out (update vitals)."
        }
        return line
    }

    /// Deletes the throwaway copy.
    public func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A new private folder (mode 0700: the copy holds health data).
    static func makeDirectory() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/vitals-central-copy-XXXXXX").utf8CString)
        let made: String? = template.withUnsafeMutableBufferPointer { buffer in
            mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
        }
        guard let made else {
            throw StoreError.cannotOpen(path: NSTemporaryDirectory(), reason: "cannot create a private folder: \(String(cString: strerror(errno)))")
        }
        return made
    }
}
