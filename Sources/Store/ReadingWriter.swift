import Dispatch
import Foundation
import Synchronization
import VitalsCore

/// The one writer of a room: batches readings and commits them at least every
/// `flushIntervalMilliseconds` (250 ms), and commits alert, device and session events at once.
///
/// Every method returns without waiting for the disk (except `flush()` and `close()`): writes
/// happen on the writer's own serial queue. Nothing here throws: when the file cannot be
/// written (disk full, read-only) the error goes to `onError` (stderr by default), the data stays
/// in memory up to `maxRetainedReadings`, and it is written when the file accepts writes again.
/// Alert sinks therefore never depend on the store.
///
/// Data that arrives when no session is open in the room goes into a session the writer opens
/// for the room (`auto_opened` = 1); nothing is dropped.
///
/// Call `close()` before dropping the writer: readings still waiting are written only then.
///
/// Time: `now` is injected (host ms since 1970 UTC); the 250 ms rule is checked on every call and
/// by `flushIfDue()`, which `startTimer()` calls periodically (or a caller with a virtual clock).
public final class ReadingWriter: Sendable {
    /// The database written to.
    public let database: VitalsDatabase
    /// Batching and memory bounds.
    public let configuration: WriterConfiguration
    let now: @Sendable () -> Int64
    let onCommit: @Sendable (WriterCommit) -> Void
    let onError: @Sendable (String) -> Void
    let buffer = Mutex(WriterBuffer())
    let flushState = Mutex(WriterFlushState())
    let timer = Mutex<(any DispatchSourceTimer)?>(nil)
    let queue = DispatchQueue(label: "vitals.store.writer")

    /// A writer for `configuration.room`.
    ///
    /// - Parameters:
    ///   - now: host time in ms since 1970 UTC (inject a virtual clock in replay and tests).
    ///   - onCommit: called on the writer's queue after each commit, with what it held.
    ///   - onError: called with a one-line message when a write fails and when writing works again;
    ///     prints to stderr by default.
    public init(
        database: VitalsDatabase, configuration: WriterConfiguration,
        now: @escaping @Sendable () -> Int64 = ReadingWriter.wallClock,
        onCommit: @escaping @Sendable (WriterCommit) -> Void = { _ in },
        onError: @escaping @Sendable (String) -> Void = ReadingWriter.printToStandardError
    ) {
        self.database = database
        self.configuration = configuration
        self.now = now
        self.onCommit = onCommit
        self.onError = onError
    }

    /// Host wall-clock time in ms since 1970 UTC.
    public static let wallClock: @Sendable () -> Int64 = {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }

    /// Writes `message` and a newline to stderr.
    public static let printToStandardError: @Sendable (String) -> Void = { message in
        FileHandle.standardError.write(Data(("vitals: " + message + "\n").utf8))
    }

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

    /// Commits an alert event at once (with the readings waiting before it).
    public func record(_ alert: AlertEvent) {
        enqueueItem(.alert(alert), urgent: true)
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

    /// Commits the waiting batch if its oldest reading has waited the flush interval (or a
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
        queue.sync { performFlush(includePartialWaveforms: false) }
        return buffer.withLock { $0.readings.isEmpty && $0.items.isEmpty }
    }

    /// Starts a timer that calls `flushIfDue()` every half flush interval, on the real clock.
    ///
    /// A dispatch timer on the writer's own queue, not a task: the 250 ms promise must hold even
    /// when the Swift concurrency pool (two threads on a two-core PC) is busy or blocked.
    public func startTimer() {
        let period = max(10, Int(configuration.flushIntervalMilliseconds / 2))
        let queue = self.queue
        timer.withLock { old in
            old?.cancel()
            let source = DispatchSource.makeTimerSource(queue: queue)
            source.schedule(deadline: .now() + .milliseconds(period), repeating: .milliseconds(period))
            source.setEventHandler { [weak self] in self?.flushIfDue() }
            source.resume()
            old = source
        }
    }

    /// Stops the timer and commits everything, partial waveform chunks included. Data given
    /// after `close()` is dropped (and counted). Returns true when nothing was left unwritten.
    @discardableResult
    public func close() -> Bool {
        timer.withLock { t in
            t?.cancel()
            t = nil
        }
        queue.sync { performFlush(includePartialWaveforms: true) }
        return buffer.withLock { b in
            b.closed = true
            return b.readings.isEmpty && b.items.isEmpty
        }
    }

    /// The counters now.
    public var statistics: WriterStatistics {
        buffer.withLock { b in
            var s = b.stats
            s.pendingReadings = b.readings.count
            s.pendingEvents = b.items.count + b.waveforms.count
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
        guard !b.readings.isEmpty || !b.items.isEmpty else { return false }
        if let failed = b.lastFailureAt { return t - failed >= configuration.retryIntervalMilliseconds }
        if b.readings.count >= configuration.maxBatchReadings { return true }
        if b.items.contains(where: { if case .waveform = $0 { false } else if case .device = $0 { false } else { true } }) {
            return true
        }
        guard let oldest = b.oldestPendingAt else { return false }
        return t - oldest >= configuration.flushIntervalMilliseconds
    }

    func trimReadings(_ b: inout WriterBuffer) {
        let excess = b.readings.count - configuration.maxRetainedReadings
        if excess > 0 {
            b.readings.removeFirst(excess)
            b.stats.droppedReadings += Int64(excess)
        }
    }

    func trimItems(_ b: inout WriterBuffer) {
        let excess = b.items.count - configuration.maxRetainedEvents
        if excess > 0 {
            b.items.removeFirst(excess)
            b.stats.droppedEvents += Int64(excess)
        }
    }

    func scheduleFlush() {
        let queued = buffer.withLock { b -> Bool in
            if b.flushQueued { return false }
            b.flushQueued = true
            return true
        }
        if queued {
            queue.async { self.performFlush(includePartialWaveforms: false) }
        }
    }
}
