/// What one committed transaction of a `ReadingWriter` held: reported after the commit
/// returned, so everything it names is durable (synchronous=FULL).
public struct WriterCommit: Sendable, Hashable {
    /// The session the data went into.
    public var sessionID: Int64
    /// The reading ids written, when there were readings (contiguous: one writer holds the lock).
    public var readingIDs: ClosedRange<Int64>?
    /// Waveform chunks written.
    public var waveformChunks: Int
    /// Alert, device and session events written.
    public var events: Int
    /// The ids of the alert events written, in order.
    public var alertEventIDs: [Int64]
    /// Readings committed by this writer since it was created, this commit included.
    public var totalCommittedReadings: Int64

    /// A commit report.
    public init(
        sessionID: Int64, readingIDs: ClosedRange<Int64>?, waveformChunks: Int, events: Int, alertEventIDs: [Int64],
        totalCommittedReadings: Int64
    ) {
        self.sessionID = sessionID
        self.readingIDs = readingIDs
        self.waveformChunks = waveformChunks
        self.events = events
        self.alertEventIDs = alertEventIDs
        self.totalCommittedReadings = totalCommittedReadings
    }

    /// Readings in this commit.
    public var readings: Int { readingIDs.map { Int($0.upperBound - $0.lowerBound + 1) } ?? 0 }
}
