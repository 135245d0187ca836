import Foundation

/// `vitals tail`'s follow loop as a library value: the backlog, then each new alert event as it
/// is committed, and every change of a followed room between monitored and not monitored.
///
/// How it follows: `wait` sleeps until inotify reports a write to the database or its WAL (or a
/// timeout), and each `poll` asks SQLite's `PRAGMA data_version` on a connection of its own
/// (`DatabaseChangeMonitor`) whether another process has committed, and only then reads the
/// events with an id above the last one read (`alert_events.id` grows in commit order); the id
/// cursor, read in the same transaction as the events, means nothing is missed or printed twice,
/// even across a restart of `vitals run`. The heartbeats are read every `heartbeatEvery` polls
/// whatever changed, because a daemon that stops commits nothing. A failed read is reported once
/// and retried at the next poll; a change seen just before a failed read is not lost.
public final class AlertFollower {
    /// What a poll found, in the order to show it.
    public enum Update: Sendable, Hashable {
        /// Alert events, in commit order.
        case events([StoredAlertEvent])
        /// A followed room started or stopped being monitored.
        case monitoring(room: String, MonitoringState)
        /// Reading failed (reported once until a read succeeds again).
        case readFailed(String)
        /// Reading works again after `readFailed`.
        case readingAgain
    }

    /// The database followed.
    public let database: VitalsDatabase
    /// Which events and rooms.
    public let filter: AlertEventFilter
    /// How many polls between heartbeat reads (at tail's 50 ms, about twice a second).
    public var heartbeatEvery = 10

    private let changes: DatabaseChangeMonitor
    private var cursor: Int64 = 0
    private var changed = false
    private var failing = false
    private var polls = 0
    private var states: [String: MonitoringState] = [:]

    /// A follower of `database`; reads nothing yet. `useInotify: false` makes `wait` poll
    /// (`VITALS_NO_INOTIFY=1`, the benchmark's baseline; also where inotify is unavailable).
    public init(database: VitalsDatabase, filter: AlertEventFilter, useInotify: Bool = true) throws(StoreError) {
        self.database = database
        self.filter = filter
        self.changes = try DatabaseChangeMonitor(path: database.path, useInotify: useInotify)
    }

    /// Blocks until another process commits or `timeoutMilliseconds` pass: the next `poll` then
    /// reads at once what was committed (an alert reaches tail within milliseconds, not at the
    /// next tick). A failed look is left to `poll` to report.
    public func wait(timeoutMilliseconds: Int64) {
        do {
            if try changes.waitForCommit(timeoutMilliseconds: timeoutMilliseconds) { changed = true }
        } catch {
            usleep(useconds_t(clamping: max(0, timeoutMilliseconds) * 1000))
        }
    }

    /// The rooms followed (the filter's room, else every room the database knows) with their
    /// state at `now`: what tail says it follows when it starts.
    public func rooms(now: Int64) throws -> [(room: String, state: MonitoringState)] {
        let beats = Dictionary(try database.heartbeats().map { ($0.room, $0) }, uniquingKeysWith: { a, _ in a })
        let names = try filter.room.map { [$0] } ?? database.knownRooms()
        return names.map { ($0, MonitoringState(beats[$0], now: now)) }
    }

    /// The backlog: every event since `since` (host time, ms since 1970 UTC), else the events of
    /// the alerts still active; afterwards `poll` returns only what is newer. Also records the
    /// rooms' states at `now`, so the first poll reports only changes.
    public func start(since: Int64?, now: Int64) throws -> [StoredAlertEvent] {
        let page = try since.map { s in try database.alertEvents(since: s, filter: filter) }
            ?? database.activeAlertEvents(filter: filter)
        cursor = page.cursor
        for (room, state) in try rooms(now: now) { states[room] = state }
        _ = try? changes.hasChanged()
        return page.events
    }

    /// What happened since the last poll, at `now` (wall clock, ms since 1970 UTC, to age the heartbeats).
    public func poll(now: Int64) -> [Update] {
        var out: [Update] = []
        do {
            if try changes.hasChanged() { changed = true }
            if changed {
                // Drain: a burst may be longer than one page.
                while true {
                    let page = try database.alertEvents(after: cursor, filter: filter)
                    if !page.events.isEmpty { out.append(.events(page.events)) }
                    if page.cursor == cursor { break }
                    cursor = page.cursor
                }
                changed = false
            }
            if polls % heartbeatEvery == 0 {
                for (room, state) in try rooms(now: now) {
                    let before = states[room]
                    states[room] = state
                    // A first sight of a room counts as a change only when it is monitored: a room
                    // never monitored stays quiet until it is.
                    if before.map({ $0.isMonitoring != state.isMonitoring }) ?? state.isMonitoring {
                        out.append(.monitoring(room: room, state))
                    }
                }
            }
            polls += 1
            if failing {
                failing = false
                out.insert(.readingAgain, at: 0)
            }
        } catch {
            polls += 1
            if !failing {
                failing = true
                out.append(.readFailed("\(error)"))
            }
        }
        return out
    }
}
