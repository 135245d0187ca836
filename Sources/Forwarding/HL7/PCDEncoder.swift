import Foundation
import Store
import VitalsCore

/// Who the bridge is in HL7 messages.
public struct PCDSender: Sendable, Hashable {
    /// MSH-3.1 and the EI namespace of OBX-18.
    public var application: String
    /// 16 uppercase hex digits: MSH-3.2, OBR-2/3.3 and OBX-18.3, typed `EUI-64`.
    public var eui64: String
    /// MSH-4.
    public var facility: String

    public init(application: String, eui64: String, facility: String) {
        self.application = application
        self.eui64 = eui64
        self.facility = facility
    }

    /// The EUI-64 made from a room uid when the bridge has none configured: its first 16 hex
    /// digits, uppercased (stable for the room database's life).
    public static func eui64(roomUID: String) -> String {
        String(roomUID.uppercased().filter(\.isHexDigit).prefix(16)).padding(toLength: 16, withPad: "0", startingAt: 0)
    }
}

/// Turns a `RoomChangeBatch` into IHE PCD-01 and PCD-04 messages (HL7 v2.6). Pure: no clock,
/// no I/O; the same batch gives the same messages, byte for byte.
///
/// - PCD-01 (DEC, `ORU^R01^ORU_R01`, profile PCD_DEC_001): one message per session, device and
///   reading period (`readingPeriodMs`), with the last value of each metric in the period. The
///   OBX tree is MDS `1.0.0.0`, then per VMD `1.v.0.0`, its channel `1.v.1.0` and the metrics
///   `1.v.1.m` (`Metric.mdcGroup`, `mdcMetricIndex`). OBX-14 is the reading's host time, or for
///   NIBP the device's own measurement time when it reported one.
/// - PCD-04 (ACM, `ORU^R40^ORU_R01`, profile IHE_PCD_ACM_001): one message per alert event and
///   a phase `continue` message every `continuePeriodMs` while an alert is active. HL7 v2.6
///   defines no ORU_R40 structure (it came in v2.7), so MSH-9.3 names ORU_R01, the structure
///   the message has, as the IHE PCD Technical Framework does for v2.6.
public struct PCDEncoder: Sendable {
    public var sender: PCDSender
    public var readingPeriodMs: Int64
    public var continuePeriodMs: Int64

    public init(sender: PCDSender, readingPeriodMs: Int64 = 1000, continuePeriodMs: Int64 = 30_000) {
        self.sender = sender
        self.readingPeriodMs = readingPeriodMs
        self.continuePeriodMs = continuePeriodMs
    }

    static let decProfile = "PCD_DEC_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO"
    static let acmProfile = "IHE_PCD_ACM_001^IHE PCD^1.3.6.1.4.1.19376.1.6.4.4^ISO"

    /// The messages for `batch`, in time order (observations before alerts at the same time).
    /// `continueAfter`: periodic alert messages at or before this time were already sent (the
    /// previous batch's `horizon`); `nil` sends them from each alert's start.
    public func messages(for batch: RoomChangeBatch, continueAfter: Int64?) -> [HL7Message] {
        var sessions: [Int64: ForwardSession] = [:]
        for s in batch.sessions { sessions[s.id] = s }
        var out = observationMessages(batch, sessions: sessions)
        out += alertMessages(batch, sessions: sessions, continueAfter: continueAfter)
        return out.enumerated().sorted { a, b in
            (a.element.time, a.element.kind == .alert ? 1 : 0, a.offset) < (b.element.time, b.element.kind == .alert ? 1 : 0, b.offset)
        }.map(\.element)
    }

    /// The latest time `batch` speaks for: its clock when live, else its newest row.
    public static func horizon(of batch: RoomChangeBatch) -> Int64? {
        let times = [batch.now, batch.readings.last.map(\.t), batch.alertEvents.map(\.t).max(),
                     batch.deviceEvents.map(\.t).max(), batch.sessionEvents.map(\.t).max()].compactMap { $0 }
        return times.max()
    }

    // MARK: - PCD-01

    func observationMessages(_ batch: RoomChangeBatch, sessions: [Int64: ForwardSession]) -> [HL7Message] {
        struct Key: Hashable {
            var session: Int64
            var device: String
            var period: Int64
        }
        var groups: [Key: [ForwardReading]] = [:]
        var order: [Key] = []
        for r in batch.readings {
            let k = Key(session: r.sessionID, device: r.device, period: Self.floorDiv(r.t, readingPeriodMs))
            if groups[k] == nil { order.append(k) }
            groups[k, default: []].append(r)
        }
        return order.map { k in
            let rows = groups[k]!
            let control = "\(prefix(batch)).R\(rows.first!.id)-\(rows.last!.id)"
            let time = rows.map(\.t).max()!
            var latest: [Metric: ForwardReading] = [:]
            for r in rows { latest[r.metric] = r }
            let session = sessions[k.session]
            var segs = [msh(control: control, time: time, event: "ORU^R01^ORU_R01", profile: Self.decProfile)]
            segs += patient(session)
            segs.append("OBR|1|\(orderID(control))|\(orderID(control))|182777000^monitoring of patient^SCT|||\(HL7Text.time(rows.map(\.t).min()!))|\(HL7Text.time(time))")
            let equipment = equipmentID(k.device)
            var n = 0
            func obx(_ body: String) {
                n += 1
                segs.append("OBX|\(n)|" + body)
            }
            obx("|\(MDCDeviceGroup.mdsCode)^\(MDCDeviceGroup.mdsReference)^MDC|1.0.0.0|||||||X|||||||\(equipment)")
            for group in MDCDeviceGroup.allCases {
                let metrics = latest.keys.filter { $0.mdcGroup == group }.sorted { $0.mdcMetricIndex < $1.mdcMetricIndex }
                if metrics.isEmpty { continue }
                let v = group.vmdIndex
                obx("|\(group.vmdCode)^\(group.vmdReference)^MDC|1.\(v).0.0|||||||X")
                obx("|\(group.channelCode)^\(group.channelReference)^MDC|1.\(v).1.0|||||||X")
                for m in metrics {
                    let r = latest[m]!
                    let valid = r.flags.isPhysiologicallyValid
                    let value = valid ? HL7Text.number(r.value) : ""
                    // NIBP: the cuff's own measurement time (older than the message).
                    let observed = m.isEpisodic ? (r.deviceT ?? r.t) : r.t
                    obx("NM|\(m.mdcCode)^\(m.mdcReference)^MDC|1.\(v).1.\(m.mdcMetricIndex)|\(value)|\(m.mdcUnitCode)^\(m.mdcUnitReference)^MDC|||||\(valid ? "R" : "X")|||\(HL7Text.time(observed))||||\(equipment)")
                }
            }
            return HL7Message(controlID: control, kind: .observation, time: time, sessionID: k.session, text: segs.map { $0 + "\r" }.joined())
        }
    }

    // MARK: - PCD-04

    /// One alert message's facts.
    struct AlertFacts {
        var alertID: Int64
        var sessionID: Int64
        var time: Int64
        var phase: String
        var state: String
        var inactivation: String
        var priority: AlertPriority
        var kind: AlertKind
        var metric: Metric?
        var value: Double?
        var text: String
        var device: String?
        var control: String
    }

    func alertMessages(_ batch: RoomChangeBatch, sessions: [Int64: ForwardSession], continueAfter: Int64?) -> [HL7Message] {
        var alerts: [Int64: ForwardAlert] = [:]
        for a in batch.activeAlerts { alerts[a.id] = a }
        for a in batch.alerts { alerts[a.id] = a }
        var facts: [AlertFacts] = []
        for e in batch.alertEvents {
            let (phase, state, inactivation): (String, String, String)
            switch e.event {
            case .raised: (phase, state, inactivation) = ("start", "active", "enabled")
            case .escalated: (phase, state, inactivation) = ("continue", "active", Self.acked(alerts[e.alertID], at: e.t) ? "alert-acknowledged" : "enabled")
            case .acknowledged: (phase, state, inactivation) = ("continue", "active", "alert-acknowledged")
            case .cleared: (phase, state, inactivation) = ("end", "inactive", Self.acked(alerts[e.alertID], at: e.t) ? "alert-acknowledged" : "enabled")
            }
            var text = e.message
            if let by = e.by, e.event == .acknowledged { text += " (acknowledged by \(by))" }
            facts.append(AlertFacts(
                alertID: e.alertID, sessionID: e.sessionID, time: e.t, phase: phase, state: state, inactivation: inactivation,
                priority: e.priority, kind: e.kind, metric: e.metric.flatMap(Metric.init(name:)), value: e.value, text: text,
                device: e.device, control: "\(prefix(batch)).A\(e.id)"))
        }
        if let horizon = Self.horizon(of: batch) {
            for a in alerts.values.sorted(by: { $0.id < $1.id }) {
                var k: Int64 = 1
                if let after = continueAfter, after > a.raisedAt {
                    k = max(1, (after - a.raisedAt) / continuePeriodMs + 1)
                }
                while true {
                    let t = a.raisedAt + k * continuePeriodMs
                    if t > horizon { break }
                    if let c = a.clearedAt, t >= c { break }
                    // The value at this time is not in the alert row; the event text stands.
                    facts.append(AlertFacts(
                        alertID: a.id, sessionID: a.sessionID, time: t, phase: "continue", state: "active",
                        inactivation: Self.acked(a, at: t) ? "alert-acknowledged" : "enabled", priority: a.priority, kind: a.kind,
                        metric: a.metric.flatMap(Metric.init(name:)), value: nil, text: a.message, device: nil,
                        control: "\(prefix(batch)).C\(a.id)-\(k)"))
                    k += 1
                }
            }
        }
        return facts.map { f in
            HL7Message(controlID: f.control, kind: .alert, time: f.time, sessionID: f.sessionID, text: alertText(f, batch: batch, session: sessions[f.sessionID]))
        }
    }

    static func acked(_ a: ForwardAlert?, at t: Int64) -> Bool {
        guard let at = a?.acknowledgedAt else { return false }
        return at <= t
    }

    func alertText(_ f: AlertFacts, batch: RoomChangeBatch, session: ForwardSession?) -> String {
        var segs = [msh(control: f.control, time: f.time, event: "ORU^R40^ORU_R01", profile: Self.acmProfile)]
        segs += patient(session)
        // OBR-3: the alert's own identity, the same in every message about this occurrence.
        let alertUID = "\(prefix(batch)).ALERT\(f.alertID)"
        segs.append("OBR|1|\(orderID(f.control))|\(orderID(alertUID))|196616^MDC_EVT_ALARM^MDC|||\(HL7Text.time(f.time))")
        let base: String
        if let m = f.metric {
            base = "1.\(m.mdcGroup.vmdIndex).1.\(m.mdcMetricIndex)"
        } else {
            base = "1.0.0.0"
        }
        let priority = switch f.priority {
        case .high: "PH"
        case .medium: "PM"
        case .low: "PL"
        }
        let type = switch f.kind {
        case .physiological: "SP"
        case .technical: "ST"
        }
        let equipment = f.device.map(equipmentID) ?? ""
        let t = HL7Text.time(f.time)
        let mds = "\(MDCDeviceGroup.mdsCode)^\(MDCDeviceGroup.mdsReference)^MDC"
        segs.append(Self.segment("OBX", [1: "1", 3: mds, 4: "1.0.0.0", 11: "X", 18: equipment]))
        // Facet 1: the event; OBX-8 carries abnormality, priority and type (ACM).
        segs.append(Self.segment("OBX", [
            1: "2", 2: "CWE", 3: "196616^MDC_EVT_ALARM^MDC", 4: "\(base).1", 5: "196616^MDC_EVT_ALARM^MDC",
            8: "A~\(priority)~\(type)", 11: "R", 14: t, 18: equipment,
        ]))
        // Facet 2: the source, with its value and limits when it is a metric.
        if let m = f.metric {
            segs.append(Self.segment("OBX", [
                1: "3", 2: "NM", 3: "\(m.mdcCode)^\(m.mdcReference)^MDC", 4: "\(base).2", 5: f.value.map(HL7Text.number) ?? "",
                6: "\(m.mdcUnitCode)^\(m.mdcUnitReference)^MDC", 7: Self.limits(for: m, session: session), 11: "R", 14: t,
            ]))
        } else {
            segs.append(Self.segment("OBX", [
                1: "3", 2: "ST", 3: "68480^MDC_ATTR_ALERT_SOURCE^MDC", 4: "\(base).2",
                5: HL7Text.escape(f.device ?? sender.application), 11: "R",
            ]))
        }
        let facets: [(Int, String, String)] = [
            (3, "68481^MDC_ATTR_EVENT_PHASE^MDC", f.phase),
            (4, "68482^MDC_ATTR_ALARM_STATE^MDC", f.state),
            (5, "68483^MDC_ATTR_ALARM_INACTIVATION_STATE^MDC", f.inactivation),
            (6, "68484^MDC_ATTR_ALARM_PRIORITY^MDC", priority),
            (7, "68485^MDC_ATTR_ALERT_TYPE^MDC", type),
            (8, "68546^MDC_ATTR_ALERT_TEXT^MDC", HL7Text.escape(f.text)),
        ]
        for (facet, code, value) in facets {
            segs.append(Self.segment("OBX", [1: String(facet + 1), 2: "ST", 3: code, 4: "\(base).\(facet)", 5: value, 11: "R"]))
        }
        return segs.map { $0 + "\r" }.joined()
    }

    /// OBX-7 reference range from the session's limit overrides (`spo2_low`, `nibp.sys_high`, ...):
    /// `low-high`, `>low` or `<high`; empty when the session set none (the rule file's defaults
    /// are not in the room database).
    static func limits(for metric: Metric, session: ForwardSession?) -> String {
        guard let json = session?.limitsJSON, let data = json.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return "" }
        var low: Double?, high: Double?
        for (name, raw) in object {
            guard let v = (raw as? NSNumber)?.doubleValue else { continue }
            for (suffix, isLow) in [("_low", true), ("_min", true), ("_high", false), ("_max", false)] where name.hasSuffix(suffix) {
                let base = String(name.dropLast(suffix.count))
                guard (Metric(name: base) ?? Metric(name: base.replacingOccurrences(of: "_", with: "."))) == metric else { continue }
                if isLow { low = v } else { high = v }
            }
        }
        switch (low, high) {
        case let (l?, h?): return "\(HL7Text.number(l))-\(HL7Text.number(h))"
        case let (l?, nil): return ">\(HL7Text.number(l))"
        case let (nil, h?): return "<\(HL7Text.number(h))"
        case (nil, nil): return ""
        }
    }

    // MARK: - Segments

    func prefix(_ batch: RoomChangeBatch) -> String {
        String(batch.room.uid.uppercased().prefix(12))
    }

    func msh(control: String, time: Int64, event: String, profile: String) -> String {
        // MSH-7 is the data's time, not the send time, so that a resend is the same message.
        "MSH|^~\\&|\(HL7Text.escape(sender.application))^\(sender.eui64)^EUI-64|\(HL7Text.escape(sender.facility))|||\(HL7Text.time(time))||\(event)|\(control)|P|2.6|||NE|AL||UNICODE UTF-8|||\(profile)"
    }

    /// PID (PID-3 the session's patient reference, typed MR; PID-5, required by HL7 v2.6, as
    /// an unknown name: only the name type code `U`, unspecified, table 0200, since the bridge
    /// never holds names) and PV1 (PV1-3.2 the room; PV1-2 `U`, patient class unknown).
    func patient(_ session: ForwardSession?) -> [String] {
        let ref = session?.patientRef.map { "\(HL7Text.escape($0))^^^^MR" } ?? ""
        let room = session.map { HL7Text.escape($0.room) } ?? ""
        return ["PID|||\(ref)||^^^^^^U", "PV1||U|^\(room)"]
    }

    func orderID(_ id: String) -> String {
        "\(id)^\(HL7Text.escape(sender.application))^\(sender.eui64)^EUI-64"
    }

    /// OBX-18: the device by its name, in the bridge's namespace, under the bridge's EUI-64.
    func equipmentID(_ device: String) -> String {
        "\(HL7Text.escape(device))^\(HL7Text.escape(sender.application))^\(sender.eui64)^EUI-64"
    }

    /// A segment from its fields by number (1-based), the missing ones empty.
    static func segment(_ name: String, _ fields: [Int: String]) -> String {
        let last = fields.keys.max() ?? 0
        var out = name
        for i in 1...max(last, 1) {
            out += "|" + (fields[i] ?? "")
        }
        return out
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
