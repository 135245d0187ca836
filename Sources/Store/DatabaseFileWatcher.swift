#if canImport(Glibc)
import Glibc
#endif

/// Wakes a follower when a SQLite database's files are written: Linux inotify on the folder
/// that holds the database, filtered to the database file and its `-wal` and `-journal`.
///
/// The folder is watched rather than the files because the `-wal` comes and goes (SQLite
/// deletes it when the last connection closes, and the daemon's restart creates it again); a
/// watch on the folder sees it created without re-arming. `-shm` is left out: readers write it
/// too (through `mmap`, which inotify does not report anyway).
///
/// A wake is a hint, never the truth: an event arrives at the `write()` of a WAL frame, before
/// the writer's `fsync` and before it publishes the commit in the WAL index, so the caller asks
/// `PRAGMA data_version` afterwards (`DatabaseChangeMonitor.waitForCommit`). Where inotify cannot
/// be had (no inotify, or the watch limit reached) `isAvailable` is false and `wait` only sleeps:
/// the caller then polls. Events on network filesystems are only those of this machine, which
/// is why the follower also re-reads at a slow period when nothing woke it.
public final class DatabaseFileWatcher {
    private let descriptor: Int32
    private let names: Set<[UInt8]>

    /// True when inotify is watching; false when `wait` can only sleep.
    public var isAvailable: Bool { descriptor >= 0 }

    /// A watcher of the database at `databasePath` (which need not exist yet; its folder must).
    /// `useInotify: false` makes the polling fallback (for tests and comparisons).
    public init(databasePath: String, useInotify: Bool = true) {
        let slash = databasePath.utf8.lastIndex(of: UInt8(ascii: "/"))
        let folder = slash.map { String(databasePath[..<$0]) } ?? "."
        let base = Array(slash.map { databasePath.utf8[databasePath.utf8.index(after: $0)...] } ?? databasePath.utf8[...])
        names = [base, base + Array("-wal".utf8), base + Array("-journal".utf8)]
        guard useInotify else {
            descriptor = -1
            return
        }
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else {
            descriptor = -1
            return
        }
        let mask = UInt32(IN_MODIFY) | UInt32(IN_CREATE) | UInt32(IN_MOVED_TO) | UInt32(IN_DELETE)
        guard inotify_add_watch(fd, folder.isEmpty ? "/" : folder, mask) >= 0 else {
            close(fd)
            descriptor = -1
            return
        }
        descriptor = fd
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Blocks until one of the database's files is written, or `milliseconds` pass. True when it
    /// woke on such a write (every event already queued is consumed); false on the timeout, and
    /// always false (after sleeping) without inotify.
    public func wait(milliseconds: Int32) -> Bool {
        guard descriptor >= 0 else {
            if milliseconds > 0 { usleep(useconds_t(milliseconds) * 1000) }
            return false
        }
        var pfd = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let ready = poll(&pfd, 1, milliseconds)
        guard ready > 0 else { return false }
        return drain()
    }

    /// Reads every queued event; true when one names a file of the database.
    private func drain() -> Bool {
        var relevant = false
        // Room for many events: each is 16 bytes plus its name, padded.
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard n > 0 else { return relevant }
            buffer.withUnsafeBytes { raw in
                var offset = 0
                // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[len]; }
                while offset + 16 <= n {
                    let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let length = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    let nameBytes = raw[(offset + 16)..<min(n, offset + 16 + length)]
                    let name = Array(nameBytes.prefix { $0 != 0 })
                    if mask & UInt32(IN_Q_OVERFLOW) != 0 || names.contains(name) { relevant = true }
                    offset += 16 + length
                }
            }
        }
    }
}
