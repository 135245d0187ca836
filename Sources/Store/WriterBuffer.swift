import VitalsCore

/// A `ReadingWriter`'s memory: what waits to be committed, and its counters. Guarded by the
/// writer's mutex.
struct WriterBuffer: Sendable {
    /// Readings in arrival order.
    var readings: [Observation] = []
    /// Events, device registrations and finished waveform chunks in arrival order.
    var items: [PendingItem] = []
    /// Waveform chunks being filled, by device name.
    var waveforms: [String: WaveformAccumulator] = [:]
    /// Injected time when the oldest waiting reading or chunk arrived.
    var oldestPendingAt: Int64?
    /// Injected time of the last failed attempt.
    var lastFailureAt: Int64?
    /// A flush is queued and has not started yet.
    var flushQueued = false
    /// The counters reported by `statistics`.
    var stats = WriterStatistics()
    /// Set once `close()` ran: later data is refused (and counted as dropped).
    var closed = false
    /// Whether writes succeed; see `ReadingWriter.health`.
    var health: StorageHealth = .ok
    /// Journal files hold records not yet merged into the database.
    var journalPending = false
    /// Records in the journal files: readings, and events with waveform chunks.
    var journaledReadings = 0
    var journaledEvents = 0
    /// The journal files written or found.
    var journalPaths: [String] = []
    /// A spill to the journal is queued.
    var spillQueued = false
    /// The last `commitAlert` ticket handed out.
    var lastTicket: Int64 = 0
}
