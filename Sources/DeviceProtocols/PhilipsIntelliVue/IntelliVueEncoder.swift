import VitalsCore

/// A simulated Philips IntelliVue monitor on its MIB/RS-232 Data Export port: it plays the
/// monitor's side of the whole session (reference/protocols-multiparameter.md 1.6-1.11).
///
/// - association request `0D ...` -> the association result (or, with `refuseAssociation`, the
///   refuse `0C 03 32 01 00`), then the MDS create event report (invoke 1, SYS_TYPE, TIME_ABS
///   "not set", TIME_REL);
/// - nothing is polled until the host answered the MDS create event report;
/// - extended poll (`F1 3B`) of numerics (object 6) or alerts (0x36): an immediate result
///   (sequence 0), then one a second for the NOM_ATTR_TIME_PD_POLL period (sequence 1, 2, ...;
///   mindleaving's simulator [DEC]); a poll without a period is answered once;
/// - single poll (`0C 16`): numerics, alerts, or the keep-alive (alerts, VMO_STATIC: an empty list);
/// - release request -> release result; abort -> idle;
/// - no message from the host for `silenceTimeout` (10 s, mdpnp's mapping for a min poll period
///   of at most 3.3 s, P-4 [DEC]) -> the monitor aborts the association. How a real monitor ends it
///   on time-out is not described [UNVERIFIED]; the simulator sends an abort so the host sees it.
///
/// With `splitResults` each numerics result is sent as linked results: ROLRS first (half the
/// objects), ROLRS last (the rest), then an empty RORS (VSCaptureMP's reading of RORLS_LAST,
/// reference P-5).
/// Numerics from the snapshot: SpO2, pleth pulse, ECG HR, NBP (compound 0x4A04, plus its pulse),
/// respiration, airway respiration, EtCO2, temperature, PI; a missing value is state INVALID with
/// FLOAT NaN (mindleaving [DEC]); the snapshot's `demo` flag sets DEMO_DATA on every value, its
/// `sensorOff` flag makes the oximetry values INVALID. The snapshot's `deviceCode` is shown as one
/// medium-priority patient alarm on SpO2 with that alarm code.
public struct IntelliVueEncoder: DeviceEncoder {
    public var period: Duration { .seconds(1) }
    /// Refuse every association request.
    public var refuseAssociation: Bool
    /// Send numerics as linked (ROLRS) results.
    public var splitResults: Bool
    /// Host silence after which the monitor ends the association.
    public var silenceTimeout: Duration
    /// True once an association was accepted and not ended.
    public private(set) var associated = false
    private var mdsAcknowledged = false
    private var relTime: UInt32 = 0x00A3_A000
    private var sinceHost: Duration = .zero
    private var latest = VitalSnapshot()
    private var bp: BloodPressureResult?
    private struct Poll { var invoke: UInt16; var number: UInt16; var sequence: UInt16; var remaining: Int; var object: UInt16 }
    private var polls: [UInt16: Poll] = [:]
    private var deframer = IntelliVueDeframer()
    private var hostOffset = 0

    /// A monitor waiting for a host.
    public init(refuseAssociation: Bool = false, splitResults: Bool = false, silenceTimeout: Duration = .seconds(10)) {
        self.refuseAssociation = refuseAssociation
        self.splitResults = splitResults
        self.silenceTimeout = silenceTimeout
    }

    private typealias M = IntelliVueMessage

    public mutating func encode(_ snapshot: VitalSnapshot) -> [EncodedChunk] {
        latest = snapshot
        if let r = snapshot.bloodPressure, r.errorCode == 0 { bp = r }
        relTime &+= 8000
        guard associated else { return [] }
        sinceHost += period
        if sinceHost > silenceTimeout {
            end()
            return [EncodedChunk(offset: .zero, bytes: IntelliVueFrame.frame(M.abort))]
        }
        var out: [EncodedChunk] = []
        for key in polls.keys.sorted() {
            guard var p = polls[key], p.remaining > 0 else { continue }
            p.remaining -= 1
            p.sequence &+= 1
            polls[key] = p
            for m in result(invoke: p.invoke, extended: true, poll: p.number, sequence: p.sequence, object: p.object, group: 0) {
                out.append(EncodedChunk(offset: .milliseconds(out.count * 5), bytes: IntelliVueFrame.frame(m)))
            }
        }
        return out
    }

    public mutating func receive(_ hostBytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for b in hostBytes {
            hostOffset += 1
            guard case .userData(let u, _) = deframer.feed(b, at: hostOffset) else { continue }
            sinceHost = .zero
            for m in answer(u) { out += IntelliVueFrame.frame(m) }
        }
        return out
    }

    private mutating func end() {
        associated = false
        mdsAcknowledged = false
        polls = [:]
    }

    private mutating func answer(_ u: [UInt8]) -> [[UInt8]] {
        guard let first = u.first else { return [] }
        switch first {
        case 0x0D:
            guard !refuseAssociation else { return [M.refuse] }
            end()
            associated = true
            return [M.associationResult, mdsCreateReport()]
        case 0x09:
            end()
            return [M.releaseResult]
        case 0x19:
            end()
            return []
        case 0xE1 where u.count >= 28 && associated:
            let ro = M.u16(u, 4)
            if ro == M.rorsType, M.u16(u, 10) == M.confirmedEventReport, M.u16(u, 24) == M.mdsCreate {
                mdsAcknowledged = true
                return []
            }
            guard ro == M.roivType, M.u16(u, 10) == M.confirmedAction, mdsAcknowledged, u.count >= 36 else { return [] }
            let invoke = M.u16(u, 8), action = M.u16(u, 24), number = M.u16(u, 28)
            let object = M.u16(u, 32), group = M.u16(u, 34)
            if action == M.singlePoll {
                return result(invoke: invoke, extended: false, poll: number, sequence: 0, object: object, group: group)
            }
            guard action == M.extendedPoll else { return [] }
            var seconds = 0
            if u.count >= 48, M.u16(u, 40) == M.attrPollPeriod { seconds = Int(M.u32(u, 44) / 8000) }
            polls[object] = Poll(invoke: invoke, number: number, sequence: 0, remaining: seconds, object: object)
            return result(invoke: invoke, extended: true, poll: number, sequence: 0, object: object, group: group)
        default:
            return []
        }
    }

    private func mdsCreateReport() -> [UInt8] {
        // Attributes: SYS_TYPE {1, 0x114D}, TIME_ABS not set (all FF), TIME_REL.
        let avas: [UInt8] = M.be16(0x0986) + M.be16(4) + M.be16(1) + M.be16(0x114D)
            + M.be16(0x0987) + M.be16(8) + [UInt8](repeating: 0xFF, count: 8)
            + M.be16(0x098F) + M.be16(4) + M.be32(relTime)
        let info: [UInt8] = [0x00, 0x21, 0, 0, 0, 0] + M.be16(3) + M.be16(UInt16(avas.count)) + avas
        let body: [UInt8] = [0x00, 0x21, 0, 0, 0, 0] + M.be32(relTime) + M.be16(M.mdsCreate) + M.be16(UInt16(info.count)) + info
        let roiv: [UInt8] = M.be16(1) + M.be16(M.confirmedEventReport) + M.be16(UInt16(body.count)) + body
        return [0xE1, 0x00, 0x00, 0x02] + M.be16(M.roivType) + M.be16(UInt16(roiv.count)) + roiv
    }

    // MARK: Poll results

    private static func ava(_ id: UInt16, _ value: [UInt8]) -> [UInt8] { M.be16(id) + M.be16(UInt16(value.count)) + value }

    private static func nuObs(_ physio: UInt16, state: UInt16, unit: UInt16, value: Double?) -> [UInt8] {
        M.be16(physio) + M.be16(value == nil ? state | IntelliVueNumeric.invalid : state) + M.be16(unit)
            + M.be32(value.map(IntelliVueNumeric.floatBits) ?? 0x007F_FFFF)
    }

    private static func observation(_ handle: UInt16, _ avas: [[UInt8]]) -> [UInt8] {
        let body = avas.flatMap { $0 }
        return M.be16(handle) + M.be16(UInt16(avas.count)) + M.be16(UInt16(body.count)) + body
    }

    private func numericObservations() -> [[UInt8]] {
        let s = latest
        let state: UInt16 = s.flags.contains(.demo) ? IntelliVueNumeric.demoData : 0
        let off = s.flags.contains(.sensorOff)
        func single(_ handle: UInt16, _ m: Metric, _ v: Double?) -> [UInt8] {
            let p = IntelliVueNumeric.physio(m)!
            return Self.observation(handle, [Self.ava(0x0924, M.be32(0x0002_0000 | UInt32(p))),
                                             Self.ava(0x0950, Self.nuObs(p, state: state, unit: IntelliVueNumeric.unit(m), value: v))])
        }
        var out = [
            single(0x31, .spo2, off ? nil : s.spo2.map(Double.init)),
            single(0x32, .pulse, off ? nil : s.pulse.map(Double.init)),
        ]
        if let bp {
            let parts: [(Metric, Int?)] = [(.nibpSystolic, bp.systolic), (.nibpDiastolic, bp.diastolic),
                                           (.nibpMean, bp.mean ?? (bp.systolic + 2 * bp.diastolic) / 3)]
            let values = parts.flatMap { m, v in
                Self.nuObs(IntelliVueNumeric.physio(m)!, state: state, unit: IntelliVueNumeric.mmHg, value: v.map(Double.init))
            }
            out.append(Self.observation(0x33, [Self.ava(0x0924, M.be32(0x0002_4A04)),
                                                Self.ava(0x094B, M.be16(3) + M.be16(UInt16(values.count)) + values)]))
            out.append(single(0x34, .nibpPulse, bp.pulse.map(Double.init)))
        }
        out.append(single(0x35, .hr, s.heartRate.map(Double.init)))
        out.append(single(0x36, .resp, s.respirationRate.map(Double.init)))
        out.append(single(0x37, .awrr, s.airwayRespirationRate.map(Double.init)))
        out.append(single(0x38, .etco2, s.etco2))
        out.append(single(0x39, .temp, s.temperature))
        out.append(single(0x3A, .pi, off ? nil : s.perfusionIndex))
        return out
    }

    private func alertObservations() -> [[UInt8]] {
        var entries: [UInt8] = []
        var count: UInt16 = 0
        if let code = latest.deviceCode {
            count = 1
            let gen: [UInt8] = M.be16(0) + M.be32(0) + M.be16(0) + M.be16(0x4000)
            entries = M.be16(0x4BB8) + M.be16(UInt16(truncatingIfNeeded: code)) + M.be16(512) + M.be16(0)
                + [0x00, 0x06, 0x00, 0x00, 0x00, 0x31] + M.be16(0x0201) + M.be16(UInt16(gen.count)) + gen
        }
        let patient = M.be16(count) + M.be16(UInt16(entries.count)) + entries
        let technical = M.be16(0) + M.be16(0)
        return [Self.observation(0x01, [Self.ava(0x0902, patient), Self.ava(0x0904, technical)])]
    }

    private func result(invoke: UInt16, extended: Bool, poll: UInt16, sequence: UInt16, object: UInt16, group: UInt16) -> [[UInt8]] {
        let observations: [[UInt8]]
        switch object {
        case M.numericObject: observations = numericObservations()
        case M.alertObject: observations = group == M.groupVMOStatic ? [] : alertObservations()
        default: observations = []
        }
        func message(_ obs: [[UInt8]], linked: (UInt8, UInt8)?) -> [UInt8] {
            let items = obs.flatMap { $0 }
            let context = M.be16(0) + M.be16(UInt16(obs.count)) + M.be16(UInt16(items.count)) + items
            let list = obs.isEmpty ? M.be16(0) + M.be16(0) : M.be16(1) + M.be16(UInt16(context.count)) + context
            var reply = M.be16(poll)
            if extended { reply += M.be16(sequence) }
            reply += M.be32(relTime) + [UInt8](repeating: 0xFF, count: 8) + M.be16(1) + M.be16(object) + M.be16(group) + list
            let action: [UInt8] = [0x00, 0x21, 0, 0, 0, 0] + M.be16(extended ? M.extendedPoll : M.singlePoll) + M.be16(UInt16(reply.count)) + reply
            var apdu = linked.map { [$0.0, $0.1] } ?? []
            apdu += M.be16(invoke) + M.be16(M.confirmedAction) + M.be16(UInt16(action.count)) + action
            return [0xE1, 0x00, 0x00, 0x02] + M.be16(linked == nil ? M.rorsType : M.rolrsType) + M.be16(UInt16(apdu.count)) + apdu
        }
        guard splitResults, object == M.numericObject, observations.count >= 2 else {
            return [message(observations, linked: nil)]
        }
        let half = observations.count / 2
        return [message(Array(observations[..<half]), linked: (1, 1)),
                message(Array(observations[half...]), linked: (3, 2)),
                message([], linked: nil)]
    }
}
