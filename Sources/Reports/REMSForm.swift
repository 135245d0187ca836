import Store
import VitalsCore

/// The fields of the SPRAVATO REMS Patient Monitoring Form (reference/alarms-clinical.md A4) that
/// the record can fill. A field the record cannot answer is `nil`, left blank for the clinician:
/// nothing here is guessed.
public struct REMSForm: Sendable, Hashable {
    /// The form's dose choices.
    public enum DoseChoice: Sendable, Hashable {
        case mg56
        case mg84
        /// Another dose, as written at session start.
        case other(String)
        /// No dose written at session start.
        case notRecorded
    }

    /// One of the three blood pressures the form asks for.
    public struct BloodPressure: Sendable, Hashable {
        /// `before-administration`, `about-40-min`, `before-completion` (the JSON's names).
        public var key: String
        /// The form's wording.
        public var label: String
        /// The stored measurement (`REMSCheckpoints`), if one qualifies.
        public var measurement: BPMeasurement?
        /// Whole minutes from the dose time (negative before it), rounded to the nearest.
        public var minuteFromDose: Int?
    }

    /// One bound of a range answer and the value behind it.
    public struct RangeCheck: Sendable, Hashable {
        /// The bound.
        public var bound: VitalSignRange
        /// The session's limit, when the rules or the session declare it.
        public var limitValue: Double?
        /// The value checked, when there is one.
        public var value: Double?
        /// When it was measured.
        public var at: Int64?
        /// Whether it keeps the bound; `nil` without a value or a limit.
        public var holds: Bool?
    }

    /// "Were vital signs in an acceptable range ...?"
    public struct RangeAnswer: Sendable, Hashable {
        /// Yes, no, or `nil` (blank) when a value or limit is missing and none fails.
        public var answer: Bool?
        /// The bounds and values behind it.
        public var checks: [RangeCheck]
        /// Why it is blank, where it is.
        public var note: String?
    }

    /// The program's suggestion for "when would this patient have been ready to leave".
    public struct ReadySuggestion: Sendable, Hashable {
        /// Minutes from the start of administration; `nil` when it cannot be said.
        public var minute: Int?
        /// How it was found, or why it is blank.
        public var explanation: String
    }

    /// Sedation, dissociation or respiratory depression as the clinician recorded it.
    public struct EffectAnswer: Sendable, Hashable {
        /// Which.
        public var kind: ClinicalObservationKind
        /// Yes when any observation says present; no when one says absent and none present; else blank.
        public var occurred: Bool?
        /// When the last `resolved` after the last `present` was recorded.
        public var resolvedAt: Int64?
        /// The observations of this kind.
        public var observations: [ClinicalObservation]
    }

    /// The time whose local date is the treatment date: the start of administration, else the session's start.
    public var treatmentAt: Int64
    /// The dose as the form's choice.
    public var dose: DoseChoice
    /// The lot number.
    public var lot: String?
    /// The first nasal device's time (else the recorded dose time).
    public var administrationStart: Int64?
    /// The end of monitoring (the session's end); `nil` while it is open.
    public var monitoringEnd: Int64?
    /// Whole minutes from `administrationStart` to `monitoringEnd` (rounded down, so 119.9 is 119).
    public var totalMinutes: Int?
    /// `totalMinutes >= 120`.
    public var atLeastTwoHours: Bool?
    /// Before administration, about 40 min after, before completion.
    public var bloodPressures: [BloodPressure]
    /// Vital signs before administration.
    public var vitalsBeforeAdministration: RangeAnswer
    /// Vital signs before completion.
    public var vitalsBeforeCompletion: RangeAnswer
    /// A suggestion, labelled as such wherever it is shown.
    public var readySuggestion: ReadySuggestion
    /// The three effects in the form's order.
    public var effects: [EffectAnswer]
    /// As answered at session start.
    public var concomitant: ConcomitantMedications

    static let minute: Int64 = 60_000

    /// Computes the form from a session's record.
    public init(
        session s: SessionRecord, now: Int64, checkpoints: REMSCheckpoints, readings: [StoredReading],
        doseDevices: [DoseDevice], observations: [ClinicalObservation], limits: SessionLimits
    ) {
        let start = doseDevices.min { $0.at < $1.at }?.at ?? s.doseAt
        administrationStart = start
        treatmentAt = start ?? s.startedAt
        dose = Self.doseChoice(s.plan.dose)
        lot = s.plan.lot
        monitoringEnd = s.endedAt
        if let start, let end = s.endedAt {
            let minutes = Int((end - start) / Self.minute)
            totalMinutes = minutes
            atLeastTwoHours = minutes >= 120
        } else {
            totalMinutes = nil
            atLeastTwoHours = nil
        }
        let dose = s.doseAt
        func bp(_ key: String, _ label: String, _ m: BPMeasurement?) -> BloodPressure {
            BloodPressure(
                key: key, label: label, measurement: m,
                minuteFromDose: m.flatMap { m in dose.map { Int((Double(m.at - $0) / Double(Self.minute)).rounded()) } })
        }
        bloodPressures = [
            bp("before-administration", "Before administration", checkpoints.baseline),
            bp("about-40-min", "About 40 minutes after administration", checkpoints.postDose),
            bp("before-completion", "Before completion of monitoring", checkpoints.beforeDischarge),
        ]
        let valid = readings.filter { $0.flags.isPhysiologicallyValid }
        // Before administration: the pre-dose BP checkpoint, and the last SpO2/pulse since the session's start.
        if let start {
            vitalsBeforeAdministration = Self.answer(limits: limits, bp: checkpoints.baseline) { metric in
                valid.last { $0.metric == metric && $0.hostTime <= start && $0.hostTime >= s.startedAt }
            }
        } else {
            vitalsBeforeAdministration = RangeAnswer(answer: nil, checks: [], note: "no administration time recorded")
        }
        // Before completion: the before-completion BP checkpoint, and SpO2/pulse within the same window before the end.
        if let end = s.endedAt {
            let from = end - checkpoints.windows.beforeDischargeMilliseconds
            vitalsBeforeCompletion = Self.answer(limits: limits, bp: checkpoints.beforeDischarge) { metric in
                valid.last { $0.metric == metric && $0.hostTime <= end && $0.hostTime >= from }
            }
        } else {
            vitalsBeforeCompletion = RangeAnswer(answer: nil, checks: [], note: "the session has not been completed")
        }
        readySuggestion = Self.ready(start: start, end: s.endedAt ?? now, valid: valid, limits: limits)
        effects = ClinicalObservationKind.allCases.map { kind in
            let list = observations.filter { $0.kind == kind }
            let lastPresent = list.last { $0.status == .present }
            let occurred: Bool? = lastPresent != nil ? true : (list.contains { $0.status == .absent } ? false : nil)
            let resolved = lastPresent.flatMap { p in list.last { $0.status == .resolved && $0.at >= p.at }?.at }
            return EffectAnswer(kind: kind, occurred: occurred, resolvedAt: resolved, observations: list)
        }
        concomitant = s.plan.concomitant
    }

    /// `56 mg` and `84 mg` (spaces and case ignored) are the form's boxes; anything else is "other".
    static func doseChoice(_ text: String?) -> DoseChoice {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return .notRecorded }
        switch text.lowercased().filter({ !$0.isWhitespace }) {
        case "56mg": return .mg56
        case "84mg": return .mg84
        default: return .other(text)
        }
    }

    static func answer(limits: SessionLimits, bp: BPMeasurement?, last: (Metric) -> StoredReading?) -> RangeAnswer {
        var checks: [RangeCheck] = []
        for bound in VitalSignRange.bounds {
            var value: Double?
            var at: Int64?
            switch bound.metric {
            case .nibpSystolic:
                value = bp?.systolic
                at = bp?.at
            case .nibpDiastolic:
                value = bp?.diastolic
                at = bp?.diastolic == nil ? nil : bp?.at
            default:
                let r = last(bound.metric)
                value = r?.value
                at = r?.hostTime
            }
            let limit = limits[bound.limit]
            let holds: Bool? = value.flatMap { v in limit.map { bound.holds(v, limitValue: $0) } }
            checks.append(RangeCheck(bound: bound, limitValue: limit, value: value, at: at, holds: holds))
        }
        if checks.contains(where: { $0.holds == false }) { return RangeAnswer(answer: false, checks: checks, note: nil) }
        let missing = checks.filter { $0.holds == nil }
        if missing.isEmpty { return RangeAnswer(answer: true, checks: checks, note: nil) }
        let names = missing.map { $0.limitValue == nil ? "limit \($0.bound.limit) (not declared)" : "\($0.bound.metric.name) value" }
        return RangeAnswer(answer: nil, checks: checks, note: "not computed: missing " + Array(Set(names)).sorted().joined(separator: ", "))
    }

    /// The first minute after `start` from which every checked metric's valid readings keep the
    /// bounds until `end`: for each metric, the first reading after its last out-of-range one (the
    /// start itself if none left the range); the latest of those. Blank when a metric has no
    /// reading after `start` or was still out of range at its last one.
    static func ready(start: Int64?, end: Int64, valid: [StoredReading], limits: SessionLimits) -> ReadySuggestion {
        guard let start else { return ReadySuggestion(minute: nil, explanation: "no administration time recorded") }
        var latest = start
        for metric in VitalSignRange.metrics {
            let after = valid.filter { $0.metric == metric && $0.hostTime >= start && $0.hostTime <= end }
            guard !after.isEmpty else {
                return ReadySuggestion(minute: nil, explanation: "no \(metric.name) reading after administration")
            }
            let bounds = VitalSignRange.bounds.filter { $0.metric == metric }
            let lastOut = after.last { r in
                bounds.contains { b in limits[b.limit].map { !b.holds(r.value, limitValue: $0) } ?? false }
            }
            guard let lastOut else { continue }
            guard let back = after.first(where: { $0.hostTime > lastOut.hostTime }) else {
                return ReadySuggestion(
                    minute: nil,
                    explanation: "\(metric.name) was still outside the acceptable range at its last reading (\(NumberText.format(lastOut.value)))")
            }
            latest = max(latest, back.hostTime)
        }
        let minutes = Int((latest - start) / minute)
        return ReadySuggestion(
            minute: minutes,
            explanation: "every valid SpO2, pulse and NIBP reading from then to the end of monitoring was within the acceptable range (the limits of the range answers); vital signs only, not sedation or dissociation")
    }
}
