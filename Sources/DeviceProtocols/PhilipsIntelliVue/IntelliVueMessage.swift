/// The user-data messages of IntelliVue Data Export this bridge sends or simulates
/// (reference/protocols-multiparameter.md 1.5-1.11, 1.17; byte layouts [DEC x4-6], the values
/// named below [DEC] from the implementation cited). Big endian throughout.
enum IntelliVueMessage {
    // MARK: Constants

    static let sessionData: [UInt8] = [0x05, 0x08, 0x13, 0x01, 0x00, 0x16, 0x01, 0x02, 0x80, 0x00, 0x14, 0x02, 0x00, 0x02]
    /// The 131-byte presentation header of the association request, identical in six
    /// implementations ([DEC x6]); ends with tag `81`.
    static let requestPresentationHeader: [UInt8] = hex("""
        31 80 A0 80 80 01 01 00 00 A2 80 A0 03 00 00 01 A4 80 30 80 02 01 01 06 04 52 01 00 01 30 80 06 02 51 01 00 00 00 00 \
        30 80 02 01 02 06 0C 2A 86 48 CE 14 02 01 00 00 00 01 01 30 80 06 0C 2A 86 48 CE 14 02 01 00 00 00 02 01 00 00 00 00 \
        00 00 61 80 30 80 02 01 01 A0 80 60 80 A1 80 06 0C 2A 86 48 CE 14 02 01 00 00 00 03 01 00 00 BE 80 28 80 06 0C 2A 86 \
        48 CE 14 02 01 00 00 00 01 01 02 01 02 81
        """)
    /// The 101-byte presentation header of an association result seen by mdpnp and mindleaving.
    static let resultPresentationHeader: [UInt8] = hex("""
        31 80 A0 80 80 01 01 00 00 A2 80 A0 03 00 00 01 A5 80 30 80 80 01 00 81 02 51 01 00 00 30 80 80 01 \
        00 81 0C 2A 86 48 CE 14 02 01 00 00 00 02 01 00 00 00 00 61 80 30 80 02 01 01 A0 80 61 80 A1 80 06 0C \
        2A 86 48 CE 14 02 01 00 00 00 03 01 00 00 A2 03 02 01 00 A3 05 A1 03 02 01 00 BE 80 28 80 02 01 02 81
        """)
    /// MDSEUserInfoStd of the request: VSCaptureMP's values (min poll period 312.5 ms, MTU 2500/1000,
    /// POLL_EXT_PERIOD_NU_1SEC | RTSA | ENUM), 72 bytes.
    static let userInfo: [UInt8] = hex("""
        80 00 00 00 40 00 00 00 00 00 00 00 80 00 00 00 20 00 00 00 00 00 00 00 00 01 00 2C 00 01 00 28 80 00 00 00 \
        00 00 09 C4 00 00 09 C4 00 00 03 E8 FF FF FF FF 60 00 00 00 00 01 00 0C F0 01 00 08 8C 00 00 00 00 00 00 00
        """)

    /// The association request, 238 bytes of user data ([DEC x6], example P1).
    static let associationRequest: [UInt8] = {
        let presentation = requestPresentationHeader + [UInt8(userInfo.count)] + userInfo + [UInt8](repeating: 0, count: 16)
        return [0x0D, UInt8(sessionData.count + 2 + presentation.count)] + sessionData + [0xC1, UInt8(presentation.count)] + presentation
    }()

    /// An association result as a monitor might send it: session data `05 08 13 01 00 16 01 02 80 00`
    /// `14 02 00 02` reused from the request [INFERRED], the 101-byte header, the monitor's
    /// MDSEUserInfoStd (system type SYST_SERVER), 16 zero bytes.
    static let associationResult: [UInt8] = {
        var info = userInfo
        info[12] = 0x00; info[13] = 0x80  // system_type = SYST_SERVER 0x00800000
        let presentation = resultPresentationHeader + [UInt8(info.count)] + info + [UInt8](repeating: 0, count: 16)
        return [0x0E, UInt8(sessionData.count + 2 + presentation.count)] + sessionData + [0xC1, UInt8(presentation.count)] + presentation
    }()

    /// Refuse (RF_SPDU), as mindleaving builds it ([DEC x2]).
    static let refuse: [UInt8] = [0x0C, 0x03, 0x32, 0x01, 0x00]
    /// Release request ([DEC x5]).
    static let releaseRequest: [UInt8] = hex("09 18 C1 16 61 80 30 80 02 01 01 A0 80 62 80 80 01 00 00 00 00 00 00 00 00 00")
    /// Release result ([DEC x4]).
    static let releaseResult: [UInt8] = hex("0A 18 C1 16 61 80 30 80 02 01 01 A0 80 63 80 80 01 00 00 00 00 00 00 00 00 00")
    /// Abort ([DEC x3]).
    static let abort: [UInt8] = hex("""
        19 2E 11 01 03 C1 29 A0 80 A0 80 30 80 02 01 01 06 02 51 01 00 00 00 00 61 80 30 80 02 01 01 A0 80 64 80 80 01 01 \
        00 00 00 00 00 00 00 00 00 00
        """)

    // Codes.
    static let rorsType: UInt16 = 2, roivType: UInt16 = 1, roerType: UInt16 = 3, rolrsType: UInt16 = 5
    static let confirmedEventReport: UInt16 = 1, confirmedAction: UInt16 = 7
    static let mdsCreate: UInt16 = 0x0D06
    static let singlePoll: UInt16 = 0x0C16, extendedPoll: UInt16 = 0xF13B
    static let numericObject: UInt16 = 6, alertObject: UInt16 = 0x36
    static let groupAll: UInt16 = 0, groupAlertMonitor: UInt16 = 0x0801, groupVMOStatic: UInt16 = 0x0811
    static let attrPollPeriod: UInt16 = 0xF13E

    // MARK: Host messages

    /// The host's MDS Create Event Result: invoke id and managed object echoed, `time` as
    /// current_time (the monitor accepts any value [INFERRED], P-6; we copy the event time as
    /// example P2 does).
    static func mdsCreateResult(invoke: UInt16, object: [UInt8], time: UInt32) -> [UInt8] {
        [0xE1, 0x00, 0x00, 0x02] + be16(rorsType) + be16(20) + be16(invoke) + be16(confirmedEventReport) + be16(14)
            + object + be32(time) + be16(mdsCreate) + be16(0)
    }

    /// An event report result for any other confirmed event report (mdpnp [DEC]).
    static func eventReportResult(invoke: UInt16, object: [UInt8], time: UInt32, eventType: UInt16) -> [UInt8] {
        [0xE1, 0x00, 0x00, 0x02] + be16(rorsType) + be16(20) + be16(invoke) + be16(confirmedEventReport) + be16(14)
            + object + be32(time) + be16(eventType) + be16(0)
    }

    /// A single poll (action 0x0C16) of `object` / `group` (keep-alive: alerts, VMO_STATIC).
    static func singlePollRequest(invoke: UInt16, poll: UInt16, object: UInt16, group: UInt16) -> [UInt8] {
        [0xE1, 0x00, 0x00, 0x02] + be16(roivType) + be16(28) + be16(invoke) + be16(confirmedAction) + be16(22)
            + [0x00, 0x21, 0, 0, 0, 0] + be32(0) + be16(singlePoll) + be16(8) + be16(poll) + be16(1) + be16(object) + be16(group)
    }

    /// An extended poll (action 0xF13B) of `object` / `group` for `period` in 1/8 ms
    /// (NOM_ATTR_TIME_PD_POLL).
    static func extendedPollRequest(invoke: UInt16, poll: UInt16, object: UInt16, group: UInt16, period: UInt32) -> [UInt8] {
        [0xE1, 0x00, 0x00, 0x02] + be16(roivType) + be16(40) + be16(invoke) + be16(confirmedAction) + be16(34)
            + [0x00, 0x21, 0, 0, 0, 0] + be32(0) + be16(extendedPoll) + be16(20) + be16(poll) + be16(1) + be16(object)
            + be16(group) + be16(1) + be16(8) + be16(attrPollPeriod) + be16(4) + be32(period)
    }

    // MARK: Helpers

    static func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    static func u16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) << 8 | UInt16(b[at + 1]) }
    static func u32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }

    /// Bytes from space-separated hex pairs.
    static func hex(_ s: String) -> [UInt8] {
        s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\\" }).compactMap { UInt8($0, radix: 16) }
    }
}
