import VitalsCore

/// One 5-byte frame of the Contec legacy stream or of its sibling, BerryMed's BCI protocol
/// (reference/protocols-spo2.md 3.3 and 5.1): byte 1 has bit 7 set, bytes 2 to 5 have it clear,
/// no checksum. `ContecFamilyStream` does the framing; a conforming type reads the fields.
protocol ContecFamilyFrame: Sendable {
    /// Frames a second at the device (Contec 60, BerryMed 100).
    static var frameRate: Int { get }
    /// Frames per waveform batch.
    static var batchSize: Int { get }
    /// Reads a frame whose bit-7 pattern is already checked; `nil` when a field fails its range
    /// check.
    init?(_ b1: UInt8, _ b2: UInt8, _ b3: UInt8, _ b4: UInt8, _ b5: UInt8)
    /// The pleth sample.
    var pleth: Int32 { get }
    /// What the frame says about SpO2, pulse and the sensor: compared frame to frame so that a
    /// value is only believed once several consecutive frames agree.
    var report: ContecFamilyReport { get }
}
