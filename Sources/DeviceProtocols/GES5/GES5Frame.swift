/// Framing and records of the GE Datex-Ohmeda S/5 / CARESCAPE computer interface
/// (reference/protocols-multiparameter.md 2.3-2.5, [SPEC] CI M1017617 12th ed. and DRI 8005313
/// 12th ed.): `7E`, the record and its checksum escaped (`7E` -> `7D 5E`, `7D` -> `7D 5D`), `7E`.
/// The checksum is the 8-bit sum of the unescaped record and is escaped too. Records are little
/// endian, with a 40-byte header (`datex_hdr`).
enum GES5Frame {
    static let flag: UInt8 = 0x7E
    static let escape: UInt8 = 0x7D
    /// Header bytes before the data area.
    static let headerSize = 40
    /// Largest record: header + 1450 data bytes ([SPEC] DRI 2.2).
    static let maxRecord = 1490

    /// Main types (`r_maintype`).
    static let mainPhysiological: UInt16 = 0
    static let mainWave: UInt16 = 1
    static let mainAlarm: UInt16 = 4

    /// Physiological subrecord types.
    static let subDisplayed: UInt8 = 1
    static let subAux: UInt8 = 4
    /// End of the subrecord list.
    static let endOfList: UInt8 = 0xFF

    /// The 8-bit sum of `record`.
    static func checksum<C: Collection>(_ record: C) -> UInt8 where C.Element == UInt8 {
        record.reduce(0) { $0 &+ $1 }
    }

    /// `record` framed: flag, escaped record and checksum, flag.
    static func frame(_ record: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [flag]
        out.reserveCapacity(record.count + 8)
        for b in record + [checksum(record)] {
            if b == flag || b == escape {
                out.append(escape)
                out.append(b & ~0x20)
            } else {
                out.append(b)
            }
        }
        out.append(flag)
        return out
    }

    /// A record: header (r_nbr, dri_level, r_time, r_maintype, subrecord list) and `data`.
    /// `subrecords` are (offset in the data area, type); the list is closed by 0xFF when shorter
    /// than 8.
    static func record(
        number: UInt8 = 0, driLevel: UInt8 = 0, time: UInt32 = 0, mainType: UInt16,
        subrecords: [(offset: UInt16, type: UInt8)], data: [UInt8]
    ) -> [UInt8] {
        var r = [UInt8](repeating: 0, count: headerSize)
        let length = UInt16(headerSize + data.count)
        r[0] = UInt8(length & 0xFF); r[1] = UInt8(length >> 8)
        r[2] = number
        r[3] = driLevel
        put32(&r, 6, time)
        r[14] = UInt8(mainType & 0xFF); r[15] = UInt8(mainType >> 8)
        var list = subrecords.prefix(8).map { $0 }
        if list.count < 8 { list.append((0, endOfList)) }
        for (i, s) in list.enumerated() {
            r[16 + 3 * i] = UInt8(s.offset & 0xFF)
            r[17 + 3 * i] = UInt8(s.offset >> 8)
            r[18 + 3 * i] = s.type
        }
        return r + data
    }

    /// The physiological data request (`dri_phdb_req`, [SPEC] CI 3): record type 1 (displayed
    /// values), `interval` (-1 once, 0 stop, >= 5 period in seconds), classes bit field (0x0000
    /// basic only; 0x000E basic and ext1-3). r_len 49.
    static func displayedValuesRequest(interval: Int16, classes: UInt32 = 0, driLevel: UInt8 = 0) -> [UInt8] {
        var body = [UInt8](repeating: 0, count: 9)
        body[0] = 1
        let i = UInt16(bitPattern: interval)
        body[1] = UInt8(i & 0xFF); body[2] = UInt8(i >> 8)
        put32(&body, 3, classes)
        return record(driLevel: driLevel, mainType: mainPhysiological, subrecords: [(0, 0)], data: body)
    }

    /// The alarm request (`al_tx_cmd`, [SPEC] CI 5 / DRI 4): `command` 0 status once, 2 enter
    /// differential mode, 3 exit; the command as a 16-bit field plus five reserved shorts, r_len
    /// 52 (icu_devices' layout, [DEC]; the spec gives no enum size, reference G-3).
    static func alarmRequest(command: UInt16) -> [UInt8] {
        var body = [UInt8](repeating: 0, count: 12)
        body[0] = UInt8(command & 0xFF); body[1] = UInt8(command >> 8)
        return record(mainType: mainAlarm, subrecords: [(0, 0)], data: body)
    }

    static func put32(_ b: inout [UInt8], _ at: Int, _ v: UInt32) {
        b[at] = UInt8(v & 0xFF); b[at + 1] = UInt8((v >> 8) & 0xFF)
        b[at + 2] = UInt8((v >> 16) & 0xFF); b[at + 3] = UInt8(v >> 24)
    }

    static func put16(_ b: inout [UInt8], _ at: Int, _ v: Int16) {
        let u = UInt16(bitPattern: v)
        b[at] = UInt8(u & 0xFF); b[at + 1] = UInt8(u >> 8)
    }

    static func u16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }
    static func i16(_ b: [UInt8], _ at: Int) -> Int16 { Int16(bitPattern: u16(b, at)) }
    static func u32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }
}

/// The byte-level deframer shared by the decoder and the simulated monitor: every `7E` ends a
/// candidate frame; bytes before the first flag are skipped; `7D` restores the next byte by
/// setting bit 5 ([SPEC] "set bit 5"; `7D 7E` is a bad frame). A candidate longer than a record
/// can be is dropped (bad) and the deframer waits for the next flag.
struct GES5Deframer: Sendable {
    enum Output { case frame([UInt8], start: Int), bad(start: Int, length: Int), skipped(Int) }

    private(set) var buffer: [UInt8] = []
    private var seenFlag = false
    private var escaped = false
    private var broken = false
    private var start = 0
    private var rawLength = 0

    /// Feeds one byte at `offset`; returns what it completes.
    mutating func feed(_ byte: UInt8, at offset: Int) -> Output? {
        if byte == GES5Frame.flag {
            defer {
                buffer.removeAll(keepingCapacity: true)
                escaped = false
                broken = false
                seenFlag = true
                start = offset + 1
                rawLength = 0
            }
            guard seenFlag else { return rawLength > 0 ? .skipped(rawLength) : nil }
            if broken || escaped { return .bad(start: start, length: rawLength) }
            return buffer.isEmpty ? nil : .frame(buffer, start: start)
        }
        rawLength += 1
        guard seenFlag, !broken else { return nil }
        if escaped {
            buffer.append(byte | 0x20)
            escaped = false
        } else if byte == GES5Frame.escape {
            escaped = true
        } else {
            buffer.append(byte)
        }
        if buffer.count > GES5Frame.maxRecord + 1 { broken = true }
        return nil
    }
}
