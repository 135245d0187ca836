import Foundation

/// The advisory lock (`flock`, exclusive) a process holds for as long as it records into a room
/// database, so that a second `vitals run` on the same file stops at once with a clear message
/// instead of both writing it and both replaying, appending and deleting its journal (issue 12).
///
/// The lock is on a file of its own, `<database>.writer-lock` (mode 0600; it holds the owner's
/// pid for the message), never on the database: SQLite's POSIX locks on the database would be
/// dropped when this process closed any other descriptor of it. When the database's directory
/// cannot hold it (missing, read-only: the room still records to memory and the journal then),
/// the lock is taken in the journal's fallback directory under a name made from the database's
/// absolute path, as the fallback journal is. flock is released by the kernel when the process
/// dies, so a SIGKILLed writer leaves no stale lock; the file itself stays and is reused.
public final class DatabaseWriterLock: Sendable {
    /// The lock file.
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The lock files tried for `databasePath`, in order.
    static func candidates(databasePath: String, fallbackDirectory: String?) -> [String] {
        let journal = WriterJournal(databasePath: databasePath, fallbackDirectory: fallbackDirectory)
        let suffix = ".unstored.jsonl"
        return [databasePath + ".writer-lock", String(journal.fallback.dropLast(suffix.count)) + ".writer-lock"]
    }

    /// Takes the lock for `databasePath` without waiting; throws `DatabaseWriterLockError.held`
    /// naming the holder's pid when another process (or another writer of this process) has it.
    public static func acquire(databasePath: String, fallbackDirectory: String? = nil) throws(DatabaseWriterLockError) -> DatabaseWriterLock {
        let paths = candidates(databasePath: databasePath, fallbackDirectory: fallbackDirectory)
        var reasons: [String] = []
        for (index, path) in paths.enumerated() {
            if index > 0 {
                let dir = (path as NSString).deletingLastPathComponent
                try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard fd >= 0 else {
                reasons.append("\(path): \(String(cString: strerror(errno)))")
                continue
            }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let error = errno
                let holder = Self.holder(fd)
                close(fd)
                if error == EWOULDBLOCK {
                    throw .held(database: databasePath, lockFile: path, holderPID: holder)
                }
                throw .unavailable(database: databasePath, reason: "\(path): flock: \(String(cString: strerror(error)))")
            }
            // Ours now: record who holds it, for the next one's message.
            let pid = Array("\(getpid())\n".utf8)
            _ = ftruncate(fd, 0)
            _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
            return DatabaseWriterLock(path: path, descriptor: fd)
        }
        throw .unavailable(database: databasePath, reason: reasons.joined(separator: "; "))
    }

    /// The pid written in the lock file, when it reads as one.
    static func holder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// Why `DatabaseWriterLock.acquire` failed.
public enum DatabaseWriterLockError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Another process records into this database now.
    case held(database: String, lockFile: String, holderPID: Int32?)
    /// No lock file could be created or locked (the reason names each place tried).
    case unavailable(database: String, reason: String)

    public var description: String {
        switch self {
        case let .held(database, lockFile, pid):
            "another vitals process\(pid.map { " (pid \($0))" } ?? "") is already recording into \(database) (it holds \(lockFile)); "
                + "two writers would both replay and append its journal. Stop that one first, or give this one another --db"
        case let .unavailable(database, reason):
            "cannot take the writer lock of \(database): \(reason)"
        }
    }
}
