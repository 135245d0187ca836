import Dispatch
import Foundation
import Synchronization
import VitalsCore

/// The one writer of a room: batches readings and commits them so that none waits more than
/// `flushIntervalMilliseconds` (250 ms), and commits alert, device and session events at once.
///
/// Every method returns without waiting for the disk, except `flush()`, `close()` and
/// `commitAlert(_:within:)`, which waits at most its bound. Writes happen on the writer's own
/// serial queue. Nothing here throws: when the file cannot be opened or written (disk full,
/// read-only, missing directory) `health` turns `.failing` (and `onHealthChange` is called),
/// `onError` gets a line, the data waits in memory up to `maxRetainedReadings` and beyond that
/// in a journal file (`WriterJournal`), and all of it is written, in order, when the file accepts
/// writes again. Alert sinks therefore never depend on the store.
///
/// Data that arrives when no session is open in the room goes into a session the writer opens
/// for the room (`auto_opened` = 1); nothing is dropped.
///
/// Call `close()` before dropping the writer: readings still waiting are written only then, and
/// its summary says what is stored, what is in the journal, and where.
///
/// Time: `now` is the scheduling clock (ms, monotonic by default; inject a virtual one in replay
/// and tests): the flush rule is checked on every call and by `flushIfDue()`, which
/// `startTimer()` calls periodically. It never labels data: every item carries its own time.
public final class ReadingWriter: Sendable {
    /// The database file's path.
    public let path: String
    /// Batching and memory bounds.
    public let configuration: WriterConfiguration
    let now: @Sendable () -> Int64
    let wall: any WallClock
    let onCommit: @Sendable (WriterCommit) -> Void
    let onError: @Sendable (String) -> Void
    let onHealthChange: @Sendable (StorageHealth) -> Void
    let opened: Mutex<VitalsDatabase?>
    let journal: WriterJournal
    let buffer = Mutex(WriterBuffer())
    let flushState = Mutex(WriterFlushState())
    let waiters = Mutex<[Int64: AlertWaiter]>([:])
    let timer = Mutex<(any DispatchSourceTimer)?>(nil)
    let heartbeatState = Mutex(HeartbeatState())
    let queue = DispatchQueue(label: "vitals.store.writer")

    /// A writer for `configuration.room` on an open database.
    ///
    /// - Parameters:
    ///   - now: the scheduling clock, ms (monotonic by default; a virtual clock in replay and tests).
    ///   - wall: labels the start of a failure (`StorageFailure.since`).
    ///   - onCommit: called on the writer's queue after each commit, with what it held.
    ///   - onError: called with a one-line message when a write fails and when writing works again;
    ///     prints to stderr by default.
    ///   - onHealthChange: called on the writer's queue when `health` changes (not for the state
    ///     at creation: read `health` then).
    public convenience init(
        database: VitalsDatabase, configuration: WriterConfiguration,
        now: @escaping @Sendable () -> Int64 = ReadingWriter.monotonicClock, wall: any WallClock = SystemWallClock(),
        onCommit: @escaping @Sendable (WriterCommit) -> Void = { _ in },
        onError: @escaping @Sendable (String) -> Void = ReadingWriter.printToStandardError,
        onHealthChange: @escaping @Sendable (StorageHealth) -> Void = { _ in }
    ) {
        self.init(
            path: database.path, database: database, failure: nil, configuration: configuration, now: now, wall: wall,
            onCommit: onCommit, onError: onError, onHealthChange: onHealthChange)
    }

    /// A writer for `configuration.room` on the database at `path`, which it opens (creating it
    /// if need be). Never fails: when the file cannot be opened, `health` is `.failing` with the
    /// cause, the writer accepts data as usual, and it tries to open the file again every
    /// `retryIntervalMilliseconds` while anything waits. A journal left by an earlier writer on
    /// this database is merged at the first successful write.
    public convenience init(
        path: String, configuration: WriterConfiguration,
        now: @escaping @Sendable () -> Int64 = ReadingWriter.monotonicClock, wall: any WallClock = SystemWallClock(),
        onCommit: @escaping @Sendable (WriterCommit) -> Void = { _ in },
        onError: @escaping @Sendable (String) -> Void = ReadingWriter.printToStandardError,
        onHealthChange: @escaping @Sendable (StorageHealth) -> Void = { _ in }
    ) {
        var database: VitalsDatabase?
        var failure: StorageFailure?
        do {
            database = try VitalsDatabase(path: path)
        } catch {
            failure = StorageFailure(
                cause: StorageFailureCause.classify(error, path: path), path: path, since: wall.nowMilliseconds(),
                detail: error.description)
        }
        self.init(
            path: path, database: database, failure: failure, configuration: configuration, now: now, wall: wall,
            onCommit: onCommit, onError: onError, onHealthChange: onHealthChange)
        if let failure { onError(failure.description + ": " + failure.detail + Self.keepingAdvice) }
    }

    init(
        path: String, database: VitalsDatabase?, failure: StorageFailure?, configuration: WriterConfiguration,
        now: @escaping @Sendable () -> Int64, wall: any WallClock, onCommit: @escaping @Sendable (WriterCommit) -> Void,
        onError: @escaping @Sendable (String) -> Void, onHealthChange: @escaping @Sendable (StorageHealth) -> Void
    ) {
        self.path = path
        self.opened = Mutex(database)
        self.configuration = configuration
        self.now = now
        self.wall = wall
        self.onCommit = onCommit
        self.onError = onError
        self.onHealthChange = onHealthChange
        self.journal = WriterJournal(databasePath: path, fallbackDirectory: configuration.fallbackJournalDirectory)
        let found = journal.existing()
        let t = now()
        buffer.withLock { b in
            if let failure {
                b.health = .failing(failure)
                b.lastFailureAt = t
            }
            if !found.isEmpty {
                let counts = found.reduce((0, 0)) { acc, file in
                    let c = WriterJournal.countRecords(file)
                    return (acc.0 + c.readings, acc.1 + c.events)
                }
                b.journalPending = true
                b.journalPaths = found
                b.journaledReadings = counts.0
                b.journaledEvents = counts.1
                if b.oldestPendingAt == nil { b.oldestPendingAt = t }
            }
        }
    }

    /// Monotonic time in ms (CLOCK_MONOTONIC): the default scheduling clock, immune to wall-clock steps.
    public static let monotonicClock: @Sendable () -> Int64 = {
        SystemMonotonicSource().nowNanoseconds() / 1_000_000
    }

    /// Host wall-clock time in ms since 1970 UTC.
    public static let wallClock: @Sendable () -> Int64 = {
        SystemWallClock().nowMilliseconds()
    }

    /// Writes `message` and a newline to stderr.
    public static let printToStandardError: @Sendable (String) -> Void = { message in
        FileHandle.standardError.write(Data(("vitals: " + message + "\n").utf8))
    }

    static let keepingAdvice = ". Monitoring continues; data waits in memory, then in a journal file, and is stored when the file can be written."

    /// The database, once open (nil while it cannot be opened).
    public var database: VitalsDatabase? { opened.withLock { $0 } }

    /// Whether the writer is recording: `.failing` names the cause, the file and since when,
    /// for the technical alert "recording failed: <cause> (<path>)".
    public var health: StorageHealth { buffer.withLock { $0.health } }

    // MARK: - Input

    /// Records a device's identity (profile, USB ids, serial) under its name.
    public func register(_ device: DeviceIdentity, at: Int64) {
        enqueueItem(.device(device, at: at), urgent: false)
    }

    /// Adds a reading to the current batch.
    public func append(_ observation: Observation) {
        let t = now()
        let due = buffer.withLock { b -> Bool in
            guard !b.closed else { b.stats.droppedReadings += 1; return false }
            b.readings.append(observation)
            if b.oldestPendingAt == nil { b.oldestPendingAt = t }
            trimReadings(&b)
            return isDue(b, at: t)
        }
        if due { scheduleFlush() }
        spillIfOverBound()
    }

    /// Adds readings to the current batch.
    public func append(contentsOf observations: [Observation]) {
        let t = now()
        let due = buffer.withLock { b -> Bool in
            guard !b.closed else { b.stats.droppedReadings += Int64(observations.count); return false }
            b.readings.append(contentsOf: observations)
            if b.oldestPendingAt == nil, !observations.isEmpty { b.oldestPendingAt = t }
            trimReadings(&b)
            return isDue(b, at: t)
        }
        if due { scheduleFlush() }
        spillIfOverBound()
    }

    /// Adds waveform samples from `device`, the first taken at host time `at`; they are stored
    /// as chunks of about a second.
    public func append(_ waveform: Waveform, device: String, at: Int64) {
        let t = now()
        let due = buffer.withLock { b -> Bool in
            guard !b.closed else { return false }
            if var acc = b.waveforms[device] {
                if acc.continues(with: waveform, at: at) {
                    acc.waveform.samples.append(contentsOf: waveform.samples)
                    acc.waveform.flags.formUnion(waveform.flags)
                    b.waveforms[device] = acc
                } else {
                    b.items.append(.waveform(device: device, at: acc.startAt, acc.waveform))
                    b.waveforms[device] = WaveformAccumulator(startAt: at, waveform: waveform)
                }
            } else {
                b.waveforms[device] = WaveformAccumulator(startAt: at, waveform: waveform)
            }
            if let acc = b.waveforms[device], acc.isFull {
                b.items.append(.waveform(device: device, at: acc.startAt, acc.waveform))
                b.waveforms[device] = nil
                if b.oldestPendingAt == nil { b.oldestPendingAt = t }
            }
            return isDue(b, at: t)
        }
        if due { scheduleFlush() }
    }

    /// Commits an alert event at once (with the readings waiting before it), without waiting.
    /// The daemon uses `commitAlert(_:within:)` instead: store before show.
    public func record(_ alert: AlertEvent) {
        enqueueItem(.alert(alert, ticket: nil), urgent: true)
    }

    /// Commits `alert` (with everything waiting before it, synchronous=FULL) and waits for the
    /// commit at most `bound`: `.stored(id)` when it is durable, else `.pending(why)` at once
    /// when the database is failing, or after `bound` when the commit is slow. A pending event
    /// stays queued and is stored as soon as possible, in order. Print the alert after this
    /// returns, marked "not yet stored" when pending.
    ///
    /// Blocks the caller for at most `bound` (plus scheduling); never call it on the writer's
    /// queue (`onCommit`, `onError`, `onHealthChange`).
    public func commitAlert(_ alert: AlertEvent, within bound: Duration = .milliseconds(50)) -> AlertStorage {
        let t = now()
        let waiter = AlertWaiter()
        enum Admission { case closed, failing(StorageFailure), waiting(Int64) }
        let admission = buffer.withLock { b -> Admission in
            if b.closed {
                b.stats.droppedEvents += 1
                return .closed
            }
            if b.oldestPendingAt == nil { b.oldestPendingAt = t }
            if case let .failing(f) = b.health {
                // The disk is not waited on: the event is queued for the next retry.
                b.items.append(.alert(alert, ticket: nil))
                trimItems(&b)
                return .failing(f)
            }
            b.lastTicket += 1
            let ticket = b.lastTicket
            waiters.withLock { $0[ticket] = waiter }
            b.items.append(.alert(alert, ticket: ticket))
            trimItems(&b)
            return .waiting(ticket)
        }
        switch admission {
        case .closed:
            return .pending(.closed)
        case let .failing(f):
            return .pending(.failing(f))
        case let .waiting(ticket):
            scheduleFlush()
            let ms = Self.milliseconds(bound)
            let signalled = waiter.semaphore.wait(timeout: .now() + .milliseconds(Int(max(0, ms)))) == .success
            if !signalled {
                // The commit may have resolved the waiter between the timeout and this lock.
                let removed = waiters.withLock { $0.removeValue(forKey: ticket) }
                if removed != nil { return .pending(.timedOut(milliseconds: ms)) }
            }
            return waiter.result.withLock { $0 } ?? .pending(.timedOut(milliseconds: ms))
        }
    }

    static func milliseconds(_ d: Duration) -> Int64 {
        let c = d.components
        return c.seconds * 1000 + c.attoseconds / 1_000_000_000_000_000
    }

    /// Commits a device event at once.
    public func record(_ event: DeviceEvent) {
        enqueueItem(.deviceEvent(event), urgent: true)
    }

    /// Commits a session event at once (`sessionID` 0 means the room's open session).
    public func record(_ event: SessionEvent) {
        enqueueItem(.sessionEvent(event), urgent: true)
    }

    // MARK: - Flushing

    /// Commits the waiting batch if its oldest reading has waited `flushDueMilliseconds` (or a
    /// failed write is due a retry). Cheap; call it from a timer or a virtual clock's tick.
    public func flushIfDue() {
        let t = now()
        if buffer.withLock({ isDue($0, at: t) }) { scheduleFlush() }
    }

    /// Commits everything waiting now and returns when it is committed (or has failed, in
    /// which case it is still kept). Returns true when nothing is left waiting. Never call it
    /// (nor `close()`) from `onCommit` or `onError`: they run on the writer's queue.
    @discardableResult
    public func flush() -> Bool {
        queue.sync { performFlush(includePartialWaveforms: false, force: true) }
        return buffer.withLock { $0.readings.isEmpty && $0.items.isEmpty && !$0.journalPending }
    }

    /// Starts a timer that calls `flushIfDue()` every tenth of the flush interval (25 ms), on
    /// the real clock, so a batch is committed within a timer period of falling due.
    ///
    /// A dispatch timer on the writer's own queue, not a task: the 250 ms promise must hold even
    /// when the Swift concurrency pool (two threads on a two-core PC) is busy or blocked.
    public func startTimer() {
        let period = max(5, Int(configuration.flushIntervalMilliseconds / 10))
        let queue = self.queue
        timer.withLock { old in
            old?.cancel()
            let source = DispatchSource.makeTimerSource(queue: queue)
            source.schedule(
                deadline: .now() + .milliseconds(period), repeating: .milliseconds(period), leeway: .milliseconds(1))
            source.setEventHandler { [weak self] in self?.flushIfDue() }
            source.resume()
            old = source
        }
    }

    /// Stops the timer and commits everything, partial waveform chunks included; what cannot be
    /// committed goes to the journal file. Data given after `close()` is dropped (and counted).
    /// The summary says how much is stored, journaled (and where) or lost: log it, and exit
    /// non-zero unless `isComplete`.
    @discardableResult
    public func close() -> WriterCloseSummary {
        timer.withLock { t in
            t?.cancel()
            t = nil
        }
        queue.sync {
            performFlush(includePartialWaveforms: true, force: true)
            spillAll()
        }
        return buffer.withLock { b in
            b.closed = true
            return WriterCloseSummary(
                storedReadings: b.stats.committedReadings, storedEvents: b.stats.committedEvents,
                journaledReadings: b.journaledReadings, journaledEvents: b.journaledEvents,
                journalPaths: b.journalPending ? b.journalPaths : [],
                droppedReadings: b.stats.droppedReadings + Int64(b.readings.count),
                droppedEvents: b.stats.droppedEvents + Int64(b.items.count), health: b.health)
        }
    }

    /// The counters now.
    public var statistics: WriterStatistics {
        buffer.withLock { b in
            var s = b.stats
            s.pendingReadings = b.readings.count
            s.pendingEvents = b.items.count + b.waveforms.count
            s.journaledReadings = b.journaledReadings
            s.journaledEvents = b.journaledEvents
            return s
        }
    }

    // MARK: - Internals

    func enqueueItem(_ item: PendingItem, urgent: Bool) {
        let t = now()
        let due = buffer.withLock { b -> Bool in
            guard !b.closed else { b.stats.droppedEvents += 1; return false }
            b.items.append(item)
            trimItems(&b)
            if b.oldestPendingAt == nil { b.oldestPendingAt = t }
            return urgent ? b.lastFailureAt == nil || isDue(b, at: t) : isDue(b, at: t)
        }
        if due { scheduleFlush() }
    }

    func isDue(_ b: WriterBuffer, at t: Int64) -> Bool {
        if let failed = b.lastFailureAt {
            // A failing writer retries even with nothing new, so health recovers on its own;
            // a clock that went back (a virtual clock reset) retries at once.
            return t - failed >= configuration.retryIntervalMilliseconds || t < failed
        }
        guard !b.readings.isEmpty || !b.items.isEmpty || b.journalPending else { return false }
        if b.journalPending { return true }
        if b.readings.count >= configuration.maxBatchReadings { return true }
        if b.items.contains(where: { if case .waveform = $0 { false } else if case .device = $0 { false } else { true } }) {
            return true
        }
        guard let oldest = b.oldestPendingAt else { return false }
        return t - oldest >= configuration.flushDueMilliseconds || t < oldest
    }

    /// Keeps memory bounded when neither the database nor the journal takes data: beyond twice
    /// the bound (the journal takes the excess over the bound at every failed write) the oldest
    /// readings go, counted.
    func trimReadings(_ b: inout WriterBuffer) {
        let excess = b.readings.count - 2 * configuration.maxRetainedReadings
        if excess > 0 {
            b.readings.removeFirst(excess)
            b.stats.droppedReadings += Int64(excess)
        }
    }

    func trimItems(_ b: inout WriterBuffer) {
        let excess = b.items.count - 2 * configuration.maxRetainedEvents
        if excess > 0 {
            b.items.removeFirst(excess)
            b.stats.droppedEvents += Int64(excess)
        }
    }

    /// While failing, memory over its bound is moved to the journal on the writer's queue at
    /// once, not only at the next retry, so a burst between retries is not dropped.
    func spillIfOverBound() {
        let needed = buffer.withLock { b -> Bool in
            guard case .failing = b.health, !b.spillQueued, !b.closed,
                b.readings.count > configuration.maxRetainedReadings || b.items.count > configuration.maxRetainedEvents
            else { return false }
            b.spillQueued = true
            return true
        }
        guard needed else { return }
        queue.async {
            self.buffer.withLock { $0.spillQueued = false }
            self.spill(keepInMemory: true)
        }
    }

    func scheduleFlush() {
        let queued = buffer.withLock { b -> Bool in
            if b.flushQueued { return false }
            b.flushQueued = true
            return true
        }
        if queued {
            queue.async { self.performFlush(includePartialWaveforms: false, force: false) }
        }
    }
}

/// A `commitAlert` call waiting for its commit.
final class AlertWaiter: Sendable {
    let semaphore = DispatchSemaphore(value: 0)
    let result = Mutex<AlertStorage?>(nil)

    func resolve(_ r: AlertStorage) {
        result.withLock { $0 = r }
        semaphore.signal()
    }
}
