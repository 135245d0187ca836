/// The forwarder's settings; `vitals forward` options and URL query parameters set them.
public struct ForwarderConfiguration: Sendable {
    /// Readings are grouped per device into periods this long (ms); PCD-01 sends one message
    /// per device per period.
    public var readingPeriodMs: Int64 = 1000
    /// While an alert is active, PCD-04 re-sends it (phase `continue`) this often (ms).
    public var continuePeriodMs: Int64 = 30_000
    /// At most this many rows of each table per batch.
    public var batchLimit = 5000
    /// The first wait after a failed delivery (s); it doubles up to `maxBackoff`.
    public var initialBackoff: Double = 0.5
    public var maxBackoff: Double = 30
    /// `--once` gives up (exit 1) after this long (s) without progress to a destination.
    public var giveUpAfter: Double = 120
    /// How long a receiver has to answer a message (s) before the connection is dropped and
    /// made again.
    public var ackTimeout: Double = 10
    /// A message the receiver rejects (HL7 `AR`) this many times is parked in the dead-letter
    /// table and skipped.
    public var maxRejects = 3
    /// HL7 MSH-3: the sending application, `NAME^EUI64^EUI-64` when `sendingEUI64` is set.
    public var sendingApplication = "VITALS"
    /// The bridge's EUI-64 (16 hex digits), when it has one; else the room's uid makes one.
    public var sendingEUI64: String?
    /// HL7 MSH-4: the sending facility.
    public var sendingFacility = ""
    /// How often the follower looks for new rows (s).
    public var pollInterval: Double = 0.25

    public init() {}
}
