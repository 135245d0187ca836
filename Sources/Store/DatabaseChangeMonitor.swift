import Foundation
import GRDB

/// Tells cheaply whether another connection (another process) has committed to the database
/// since the last look: `PRAGMA data_version` on a connection of its own.
///
/// `data_version` is per connection: its value changes when a *different* connection commits.
/// The `DatabasePool` behind `VitalsDatabase` hands out whichever reader connection is free, so
/// comparing its answers could compare two connections' counters; this monitor therefore keeps
/// one read-only connection and asks it outside any transaction (inside one, the answer would be
/// the transaction's snapshot). GRDB's own observation cannot be used: it sees only the writes of
/// its own process (swift-ecosystem.md 3.1).
///
/// `waitForCommit` blocks until such a commit: it wakes on inotify (`DatabaseFileWatcher`) and
/// then asks `data_version`, or polls `data_version` where inotify is unavailable.
public final class DatabaseChangeMonitor {
    private let queue: DatabaseQueue
    private var lastVersion: Int64?
    private let watcher: DatabaseFileWatcher
    /// Until when (monotonic ms) `data_version` is asked at the settling pace, and the next
    /// step. Kept across `waitForCommit` calls: a call that returns for one commit may already
    /// have drained the file event of the next, whose commit then shows only a few ms later; a
    /// fresh call that forgot it would sleep to its timeout (2 % of tail's alerts waited 50 ms).
    private var settlingUntil: Int64 = 0
    private var step: Int64 = 1

    /// How often `data_version` is asked without inotify (the old `vitals tail` period).
    public static let fallbackPollMilliseconds: Int32 = 50
    /// After a file event, `data_version` is asked after 1 ms, then 2, then every this many ms
    /// between asks, until the commit shows: the event comes at the WAL write, the commit becomes
    /// visible after the writer's fsync (a few ms). The step bounds what a wake costs (about 60
    /// asks in `settlingMilliseconds`) when its write belonged to a commit already seen, and
    /// what it adds to an alert's latency (at most this many ms).
    static let settlingPollMilliseconds: Int32 = 4
    /// How long after a file event it keeps asking at `settlingPollMilliseconds` (a write that is
    /// not a commit, such as a checkpoint or a transaction still being written, ends here).
    static let settlingMilliseconds: Int64 = 250

    /// True when commits wake the monitor (inotify); false when it polls.
    public var isNotified: Bool { watcher.isAvailable }

    /// A monitor of the existing database at `path` (it is opened read-only, never created).
    /// `useInotify: false` makes it poll, as it does where inotify is unavailable.
    public init(path: String, useInotify: Bool = true) throws(StoreError) {
        watcher = DatabaseFileWatcher(databasePath: path, useInotify: useInotify)
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(VitalsDatabase.busyTimeout)
        config.label = "vitals.change-monitor"
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch let error as DatabaseError {
            throw .cannotOpen(path: path, reason: error.message ?? "\(error)")
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// True when another connection has committed since the previous call (and on the first).
    public func hasChanged() throws(StoreError) -> Bool {
        let version: Int64
        do {
            version = try queue.inDatabase { db in try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0 }
        } catch let e as DatabaseError {
            throw .readFailed(code: e.resultCode.primaryResultCode.rawValue, message: e.message ?? "\(e)")
        } catch {
            throw .readFailed(code: -1, message: "\(error)")
        }
        defer { lastVersion = version }
        return version != lastVersion
    }

    /// Blocks until another connection commits (true) or `timeoutMilliseconds` pass (false).
    /// True at once on the first call, like `hasChanged`.
    public func waitForCommit(timeoutMilliseconds: Int64) throws(StoreError) -> Bool {
        let deadline = Self.nowMilliseconds() + timeoutMilliseconds
        while true {
            if try hasChanged() { return true }
            let now = Self.nowMilliseconds()
            if now >= deadline { return false }
            let wait: Int64
            if !watcher.isAvailable {
                wait = min(Int64(Self.fallbackPollMilliseconds), deadline - now)
            } else if now < settlingUntil {
                wait = min(step, deadline - now)
                step = min(step * 2, Int64(Self.settlingPollMilliseconds))
            } else {
                wait = deadline - now
            }
            if watcher.wait(milliseconds: Int32(clamping: wait)) {
                if Self.nowMilliseconds() >= settlingUntil { step = 1 }
                settlingUntil = Self.nowMilliseconds() + Self.settlingMilliseconds
            }
        }
    }

    static func nowMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
