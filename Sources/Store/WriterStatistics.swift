/// A `ReadingWriter`'s counters at one moment.
public struct WriterStatistics: Sendable, Hashable {
    /// Readings committed since the writer was created.
    public var committedReadings: Int64
    /// The highest reading id committed, 0 before the first.
    public var lastCommittedReadingID: Int64
    /// Events (alert, device, session) committed.
    public var committedEvents: Int64
    /// Readings waiting in memory (a batch in progress, or kept while the file cannot be written).
    public var pendingReadings: Int
    /// Events and waveform chunks waiting in memory.
    public var pendingEvents: Int
    /// Readings dropped because the in-memory bound was reached while the file could not be written.
    public var droppedReadings: Int64
    /// Events dropped for the same reason.
    public var droppedEvents: Int64
    /// True while the last write attempt failed.
    public var failing: Bool
    /// Readings in the journal file, waiting to be merged into the database.
    public var journaledReadings: Int = 0
    /// Events and waveform chunks in the journal file.
    public var journaledEvents: Int = 0
    /// Readings merged from a journal into the database by this writer.
    public var mergedReadings: Int64 = 0
    /// Events and waveform chunks merged from a journal.
    public var mergedEvents: Int64 = 0

    /// Counters.
    public init(
        committedReadings: Int64 = 0, lastCommittedReadingID: Int64 = 0, committedEvents: Int64 = 0, pendingReadings: Int = 0,
        pendingEvents: Int = 0, droppedReadings: Int64 = 0, droppedEvents: Int64 = 0, failing: Bool = false
    ) {
        self.committedReadings = committedReadings
        self.lastCommittedReadingID = lastCommittedReadingID
        self.committedEvents = committedEvents
        self.pendingReadings = pendingReadings
        self.pendingEvents = pendingEvents
        self.droppedReadings = droppedReadings
        self.droppedEvents = droppedEvents
        self.failing = failing
    }
}
