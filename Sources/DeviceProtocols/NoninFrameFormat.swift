/// The two 5-byte Nonin frame layouts that share the 25-frame packet and float map
/// (reference protocols-spo2.md 1.4 and 1.5, both [SPEC], 9560 OEM specification).
///
/// - DF2: `01` (constant start byte), STATUS, PLETH (8 bit), FLOAT, CHK.
/// - DF7: STATUS, PLETH MSB, PLETH LSB, FLOAT, CHK: no constant byte.
///
/// CHK is the sum of the first four bytes modulo 256 in both.
public enum NoninFrameFormat: UInt8, Sendable, Hashable {
    /// Data Format 2: 8-bit pleth behind a constant `01` start byte.
    case df2 = 0x02
    /// Data Format 7: 16-bit pleth, no start byte.
    case df7 = 0x07

    /// Bytes a frame.
    public static let frameLength = 5

    /// The ZZ byte of the select-format command `02 70 02 02 ZZ 03`.
    public var formatCode: UInt8 { rawValue }

    /// Consecutive valid frames needed before a lock is trusted. DF2 has a constant start byte,
    /// so one SYNC frame with a good checksum suffices (false lock about 1 in 260 000 offsets);
    /// DF7 has none, so a random window passes "bit 7 + SYNC + checksum" about once in 1 000
    /// offsets, and reference 1.14 [INFERRED] asks for more than one frame: the SYNC frame and
    /// the frame after it.
    public var framesToLock: Int {
        switch self {
        case .df2: 1
        case .df7: 2
        }
    }

    /// The largest pleth sample the format carries.
    public var plethMaximum: Int {
        switch self {
        case .df2: 255
        case .df7: 65535
        }
    }

    /// The frame in `bytes[start ..< start + 5]` if its start byte (DF2), status bit 7 and
    /// checksum are right; `nil` otherwise. The caller guarantees five bytes.
    public func frame(in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> NoninFrame? {
        let b0 = bytes[start], b1 = bytes[start + 1], b2 = bytes[start + 2], b3 = bytes[start + 3]
        guard b0 &+ b1 &+ b2 &+ b3 == bytes[start + 4] else { return nil }
        switch self {
        case .df2:
            guard b0 == 0x01, b1 & 0x80 != 0 else { return nil }
            return NoninFrame(status: NoninStatusByte(rawValue: b1), pleth: Int32(b2), float: b3)
        case .df7:
            guard b0 & 0x80 != 0 else { return nil }
            return NoninFrame(status: NoninStatusByte(rawValue: b0), pleth: Int32(b1) << 8 | Int32(b2), float: b3)
        }
    }

    /// The five bytes of `frame`, checksum included; the pleth is clamped to the format's range.
    public func bytes(of frame: NoninFrame) -> [UInt8] {
        let pleth = Int(min(max(frame.pleth, 0), Int32(plethMaximum)))
        var out: [UInt8]
        switch self {
        case .df2:
            out = [0x01, frame.status.rawValue, UInt8(pleth), frame.float]
        case .df7:
            out = [frame.status.rawValue, UInt8(pleth >> 8), UInt8(pleth & 0xFF), frame.float]
        }
        out.append(out[0] &+ out[1] &+ out[2] &+ out[3])
        return out
    }
}
