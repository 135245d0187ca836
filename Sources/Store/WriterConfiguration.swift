/// How a `ReadingWriter` batches and how much it keeps in memory when it cannot write.
public struct WriterConfiguration: Sendable, Hashable {
    /// The room whose open session receives the data.
    public var room: String
    /// The longest a reading waits in memory before its batch is committed, ms (250).
    public var flushIntervalMilliseconds: Int64
    /// A batch is committed at once when it reaches this many readings.
    public var maxBatchReadings: Int
    /// While the file cannot be written, at most this many readings are kept in memory; the
    /// oldest beyond it go to the journal file (`WriterJournal`). The default, 360,000, is an
    /// hour of a room sending 100 readings a second. Only if the journal cannot be written either
    /// are readings beyond twice this bound dropped, counted in `droppedReadings`.
    public var maxRetainedReadings: Int
    /// While the file cannot be written, at most this many events and waveform chunks are kept
    /// in memory; beyond it they go to the journal, like readings.
    public var maxRetainedEvents: Int
    /// While the file cannot be written, how often to try again, ms.
    public var retryIntervalMilliseconds: Int64
    /// Of the flush interval, how much is kept for the timer's period and the commit itself
    /// (an fsync under load), ms: a batch is committed once its oldest reading has waited
    /// `flushIntervalMilliseconds - commitMarginMilliseconds`, so under SIGKILL nothing older
    /// than the flush interval is lost (measured by CrashTests; 100 ms of margin held it under
    /// 250 ms where committing at 250 ms lost readings 251-261 ms old, issue 12).
    public var commitMarginMilliseconds: Int64
    /// Where the journal goes when the directory beside the database cannot take it (full,
    /// read-only, missing): `$XDG_RUNTIME_DIR/vitals`, else `/tmp/vitals-UID`; a test sets its own.
    public var fallbackJournalDirectory: String?

    /// The age of the oldest waiting reading at which its batch is committed, ms.
    public var flushDueMilliseconds: Int64 { max(1, flushIntervalMilliseconds - commitMarginMilliseconds) }

    /// A configuration with the defaults above.
    public init(
        room: String, flushIntervalMilliseconds: Int64 = 250, maxBatchReadings: Int = 10_000,
        maxRetainedReadings: Int = 360_000, maxRetainedEvents: Int = 100_000, retryIntervalMilliseconds: Int64 = 1000,
        commitMarginMilliseconds: Int64 = 100, fallbackJournalDirectory: String? = nil
    ) {
        self.commitMarginMilliseconds = commitMarginMilliseconds
        self.fallbackJournalDirectory = fallbackJournalDirectory
        self.room = room
        self.flushIntervalMilliseconds = flushIntervalMilliseconds
        self.maxBatchReadings = maxBatchReadings
        self.maxRetainedReadings = maxRetainedReadings
        self.maxRetainedEvents = maxRetainedEvents
        self.retryIntervalMilliseconds = retryIntervalMilliseconds
    }
}
