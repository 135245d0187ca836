/// How a `ReadingWriter` batches and how much it keeps in memory when it cannot write.
public struct WriterConfiguration: Sendable, Hashable {
    /// The room whose open session receives the data.
    public var room: String
    /// The longest a reading waits in memory before its batch is committed, ms (250).
    public var flushIntervalMilliseconds: Int64
    /// A batch is committed at once when it reaches this many readings.
    public var maxBatchReadings: Int
    /// While the file cannot be written, at most this many readings are kept (the oldest go
    /// first, and are counted in `droppedReadings`). The default, 360,000, is an hour of a room
    /// sending 100 readings a second.
    public var maxRetainedReadings: Int
    /// While the file cannot be written, at most this many events and waveform chunks are kept.
    public var maxRetainedEvents: Int
    /// While the file cannot be written, how often to try again, ms.
    public var retryIntervalMilliseconds: Int64

    /// A configuration with the defaults above.
    public init(
        room: String, flushIntervalMilliseconds: Int64 = 250, maxBatchReadings: Int = 10_000,
        maxRetainedReadings: Int = 360_000, maxRetainedEvents: Int = 100_000, retryIntervalMilliseconds: Int64 = 1000
    ) {
        self.room = room
        self.flushIntervalMilliseconds = flushIntervalMilliseconds
        self.maxBatchReadings = maxBatchReadings
        self.maxRetainedReadings = maxRetainedReadings
        self.maxRetainedEvents = maxRetainedEvents
        self.retryIntervalMilliseconds = retryIntervalMilliseconds
    }
}
