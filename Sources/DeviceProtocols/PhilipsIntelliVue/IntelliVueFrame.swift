/// Serial framing of Philips IntelliVue MIB/RS-232 Data Export (reference/protocols-multiparameter.md
/// 1.3, [DEC x5]; the Philips guide itself was not readable, P-1):
/// `C0`, escaped(`11 01 LL LL` user data, FCS low byte, FCS high byte), `C1`. Between the flags
/// every `C0`, `C1` and `7D` (header and FCS included) is sent as `7D, b ^ 0x20`; `7D C1` aborts
/// a frame. The FCS is RFC 1662's 16-bit FCS (CRC-16/X-25) over the unescaped header and user
/// data, ones-complemented, low byte first.
enum IntelliVueFrame {
    static let bof: UInt8 = 0xC0
    static let eof: UInt8 = 0xC1
    static let escape: UInt8 = 0x7D
    /// Largest user data accepted (the MTU negotiated is at most 2500 bytes; engineering bound).
    static let maxUserData = 4096

    static let table: [UInt16] = (0..<256).map { i in
        var c = UInt16(i)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x8408 : c >> 1 }
        return c
    }

    /// The transmitted FCS of `bytes` (already complemented).
    static func fcs<C: Collection>(_ bytes: C) -> UInt16 where C.Element == UInt8 {
        var f: UInt16 = 0xFFFF
        for b in bytes { f = (f >> 8) ^ table[Int((f ^ UInt16(b)) & 0xFF)] }
        return ~f
    }

    /// `userData` framed for the serial line.
    static func frame(_ userData: [UInt8]) -> [UInt8] {
        let n = userData.count
        let body = [0x11, 0x01, UInt8(n >> 8), UInt8(n & 0xFF)] + userData
        let f = fcs(body)
        var out: [UInt8] = [bof]
        out.reserveCapacity(body.count + 12)
        for b in body + [UInt8(f & 0xFF), UInt8(f >> 8)] {
            if b == bof || b == eof || b == escape {
                out.append(escape)
                out.append(b ^ 0x20)
            } else {
                out.append(b)
            }
        }
        out.append(eof)
        return out
    }
}

/// The byte-level deframer shared by the decoder and the simulated monitor. `C0` starts a frame
/// (a `C0` inside an open frame discards it as bad, mindleaving [DEC]); `C1` ends it; `7D C1`
/// aborts it (bad); bytes outside a frame are skipped. A complete frame is checked for its header
/// (`11 01`), its length and its FCS; what passes is returned as user data.
struct IntelliVueDeframer: Sendable {
    enum Output { case userData([UInt8], start: Int), bad(start: Int, length: Int), skipped }

    private var buffer: [UInt8] = []
    private var inFrame = false
    private var escaped = false
    private var start = 0
    private var raw = 0

    mutating func feed(_ byte: UInt8, at offset: Int) -> Output? {
        if byte == IntelliVueFrame.bof {
            let wasOpen = inFrame
            let rawBefore = raw
            let startBefore = start
            inFrame = true
            escaped = false
            buffer.removeAll(keepingCapacity: true)
            start = offset
            raw = 1
            return wasOpen ? .bad(start: startBefore, length: rawBefore) : nil
        }
        guard inFrame else { return .skipped }
        raw += 1
        if byte == IntelliVueFrame.eof {
            inFrame = false
            if escaped { return .bad(start: start, length: raw) }
            return check() ?? .bad(start: start, length: raw)
        }
        if escaped {
            buffer.append(byte ^ 0x20)
            escaped = false
        } else if byte == IntelliVueFrame.escape {
            escaped = true
        } else {
            buffer.append(byte)
        }
        if buffer.count > IntelliVueFrame.maxUserData + 6 {
            inFrame = false
            return .bad(start: start, length: raw)
        }
        return nil
    }

    private func check() -> Output? {
        guard buffer.count >= 6, buffer[0] == 0x11, buffer[1] == 0x01 else { return nil }
        let n = Int(buffer[2]) << 8 | Int(buffer[3])
        guard n == buffer.count - 6 else { return nil }
        let f = IntelliVueFrame.fcs(buffer[0..<(buffer.count - 2)])
        guard buffer[buffer.count - 2] == UInt8(f & 0xFF), buffer[buffer.count - 1] == UInt8(f >> 8) else { return nil }
        return .userData(Array(buffer[4..<(buffer.count - 2)]), start: start)
    }
}
