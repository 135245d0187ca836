/// What `ReadingWriter.commitAlert(_:within:)` knows when it returns: the alert event is in the
/// database (durable, synchronous=FULL), or it is not yet, and why.
public enum AlertStorage: Sendable, Hashable {
    /// Committed: the `alert_events` row's id.
    case stored(id: Int64)
    /// Not yet stored: show the alert anyway, marked as not yet stored. It stays in the writer's
    /// queue (memory, then the journal) and is stored as soon as the database takes writes, in order.
    case pending(AlertStoragePending)

    /// True for `.stored`.
    public var isStored: Bool {
        switch self {
        case .stored: true
        case .pending: false
        }
    }
}

/// Why an alert event is not yet stored.
public enum AlertStoragePending: Sendable, Hashable, CustomStringConvertible {
    /// The commit did not complete within the bound (ms); it is still running or queued.
    case timedOut(milliseconds: Int64)
    /// The database cannot be written (or opened): see `ReadingWriter.health`.
    case failing(StorageFailure)
    /// The writer is closed: the event was not accepted (counted in `droppedEvents`).
    case closed

    public var description: String {
        switch self {
        case let .timedOut(ms): "not yet stored (commit took over \(ms) ms)"
        case let .failing(f): "not yet stored (\(f))"
        case .closed: "not stored (the writer is closed)"
        }
    }
}

/// What `ReadingWriter.close()` did with the data it held: nothing is discarded silently.
public struct WriterCloseSummary: Sendable, Hashable, CustomStringConvertible {
    /// Readings committed by this writer over its life.
    public var storedReadings: Int64
    /// Events committed by this writer over its life.
    public var storedEvents: Int64
    /// Readings in the journal file when the writer closed (waiting for the next writer to merge them).
    public var journaledReadings: Int
    /// Events and waveform chunks in the journal file when the writer closed.
    public var journaledEvents: Int
    /// The journal file(s) holding them, empty when nothing is journaled.
    public var journalPaths: [String]
    /// Readings lost: neither the database nor a journal file could take them, or they came after close.
    public var droppedReadings: Int64
    /// Events lost likewise.
    public var droppedEvents: Int64
    /// The writer's health when it closed.
    public var health: StorageHealth

    /// True when everything given to the writer is in the database.
    public var isComplete: Bool { journaledReadings == 0 && journaledEvents == 0 && droppedReadings == 0 && droppedEvents == 0 }

    /// True when something given to the writer is neither in the database nor in a journal.
    public var lostData: Bool { droppedReadings > 0 || droppedEvents > 0 }

    /// One line for the log: "all data stored" or where the rest is and how much.
    public var description: String {
        if isComplete { return "all data stored (\(storedReadings) readings, \(storedEvents) events)" }
        var parts = ["\(storedReadings) readings and \(storedEvents) events stored"]
        if journaledReadings > 0 || journaledEvents > 0 {
            parts.append(
                "\(journaledReadings) readings and \(journaledEvents) events NOT in the database but in the journal "
                    + journalPaths.joined(separator: ", ") + " (merged when vitals next opens the database)")
        }
        if lostData { parts.append("\(droppedReadings) readings and \(droppedEvents) events LOST") }
        if case let .failing(f) = health { parts.append(f.description) }
        return parts.joined(separator: "; ")
    }
}
