/// What a decoder has seen: for device events (resync counts) and for tests of resync.
public struct DecoderStatistics: Sendable, Hashable, Codable {
    /// Bytes fed in.
    public var bytes: Int = 0
    /// Frames that passed every check.
    public var frames: Int = 0
    /// Frames (or frame-sized windows) rejected by their check, format or range.
    public var badFrames: Int = 0
    /// Bytes skipped while looking for a frame boundary.
    public var skippedBytes: Int = 0
    /// Times sync was lost and found again.
    public var resyncs: Int = 0
    /// Line-noise bytes a text decoder dropped without judging a line by them: NUL (also how a
    /// BREAK arrives), XON/XOFF and other C0 control bytes except CR, LF and TAB. Not in
    /// `skippedBytes`: they cost no line.
    public var controlBytes: Int = 0

    /// Zero counts.
    public init() {}
}
