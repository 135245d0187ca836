/// A simulated A&D UA-767PC on its PC cable (reference/protocols-bp.md 1.1, [DEC]).
///
/// - `encode` (once a second) sends the 10-character record of `snapshot.bloodPressure` when the
///   snapshot has one, followed by `terminator` (CR LF by default: an assumption, the real
///   terminator is not known [GAP]; `AndUA767Decoder` accepts a record with or without it).
/// - `receive` answers each host control frame: ACK (`01 37 30 50 43 06`) for a well-formed
///   `CPC05` (open port) or `CPC04` (close port), NAK (`... 15`) for a `CPC` frame with a bad
///   checksum or another code. The reference gives the two replies but not when the device sends
///   NAK; this is the simulator's choice. Bytes that do not start a `CPC` frame are ignored.
public struct AndUA767Encoder: DeviceEncoder {
    /// One encoder call covers one second.
    public var period: Duration { .seconds(1) }
    /// What follows each record.
    public var terminator: [UInt8]
    /// Host bytes not yet part of a complete frame.
    private var hostBuffer: [UInt8] = []

    /// A device that ends records with `terminator`.
    public init(terminator: [UInt8] = [0x0D, 0x0A]) {
        self.terminator = terminator
    }

    /// The record of the snapshot's result, if it has one.
    public mutating func encode(_ snapshot: VitalSnapshot) -> [EncodedChunk] {
        guard let bp = snapshot.bloodPressure else { return [] }
        return [EncodedChunk(offset: .zero, bytes: AndUA767Frame.record(bp) + terminator)]
    }

    /// ACK or NAK for every complete control frame in `hostBytes` (and earlier leftovers).
    public mutating func receive(_ hostBytes: [UInt8]) -> [UInt8] {
        hostBuffer += hostBytes
        var out: [UInt8] = []
        let cpc = Array("CPC".utf8)
        while let first = hostBuffer.first {
            guard first == AndUA767Frame.stx else {
                hostBuffer.removeFirst()
                continue
            }
            // STX must be followed by "CPC"; otherwise it was not a frame start.
            let seen = min(hostBuffer.count - 1, cpc.count)
            guard Array(hostBuffer[1..<(1 + seen)]) == Array(cpc[0..<seen]) else {
                hostBuffer.removeFirst()
                continue
            }
            guard hostBuffer.count >= 7 else { break }
            let frame = Array(hostBuffer[0..<7])
            hostBuffer.removeFirst(7)
            let code = String(decoding: frame[4..<6], as: UTF8.self)
            let checksumOK = AndUA767Frame.sum(frame[1..<6]) == frame[6]
            out += checksumOK && (code == "05" || code == "04") ? AndUA767Frame.ackReply : AndUA767Frame.nakReply
        }
        return out
    }
}
