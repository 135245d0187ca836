import VitalsCore

/// The reply a Nonin device owes to a select-data-format command the host wrote: `06` (ACK) or
/// `15` (NAK), one byte, sent at once (reference protocols-spo2.md 1.3, [SPEC] 9560 OEM
/// specification). Shared by the DF2/DF7 and DF8 decoders.
///
/// Once the host has written the command, the first `06` or `15` that arrives where a frame
/// could start is its reply and is reported when it arrives, whatever follows (issue 13.4: a
/// device that refuses stays in its factory format, so no frame of the asked format may ever
/// follow, and the refusal is the one explicit diagnosis). A NAK is `command-rejected`
/// "NAK to select data format DF7". The watch lapses after `window` bytes without a reply, so
/// a stray `06`/`15` in a stream long after the command is not taken for one.
struct NoninReplyWatch: Sendable, Hashable {
    /// Bytes after the command within which a reply is taken: about a second at 9600 baud.
    static let window = 1024

    private var format: UInt8?
    private var until = 0

    /// Whether a reply is awaited at stream offset `offset`.
    func awaits(at offset: Int) -> Bool { format != nil && offset <= until }

    /// The host wrote `bytes` when the decoder had seen `offset` bytes: a select-format command
    /// among them makes its reply awaited (the last one counts).
    mutating func hostWrote(_ bytes: [UInt8], at offset: Int) {
        var i = 0
        while i + 6 <= bytes.count {
            if bytes[i] == 0x02, bytes[i + 1] == 0x70, bytes[i + 2] == 0x02, bytes[i + 3] == 0x02, bytes[i + 5] == 0x03 {
                format = bytes[i + 4]
                until = offset + Self.window
                i += 6
            } else {
                i += 1
            }
        }
    }

    /// The status of reply byte `b` (`06` or `15`) at `offset`, naming the awaited format (or
    /// `fallback`, the decoder's own, for a reply recognised only by the frames after it); the
    /// watch stops awaiting.
    mutating func reply(_ b: UInt8, at offset: Int, fallback: UInt8) -> DeviceStatus {
        let code = format ?? fallback
        format = nil
        let ack = b == 0x06
        return DeviceStatus(
            ack ? .commandAccepted : .commandRejected, code: UInt32(b),
            detail: "\(ack ? "ACK" : "NAK") to select data format \(Self.name(code))", byteOffset: offset)
    }

    /// `DF7` for format code 7 (DF13 for 0x0D).
    static func name(_ code: UInt8) -> String { "DF\(code)" }

    static func isReply(_ b: UInt8) -> Bool { b == 0x06 || b == 0x15 }
}
