/// What a clinician observed about the patient (`vitals session observe`): the REMS form asks whether
/// sedation, dissociation or respiratory depression occurred (reference/alarms-clinical.md A4).
public struct ClinicalObservation: Sendable, Hashable {
    /// The row id (0 before it is stored).
    public var id: Int64
    /// The session.
    public var sessionID: Int64
    /// When, ms since 1970 UTC.
    public var at: Int64
    /// Which effect.
    public var kind: ClinicalObservationKind
    /// Present, resolved or absent at that time.
    public var status: ClinicalObservationStatus
    /// The clinician's words.
    public var text: String
    /// Who observed it.
    public var by: String?

    /// An observation.
    public init(
        id: Int64 = 0, sessionID: Int64, at: Int64, kind: ClinicalObservationKind, status: ClinicalObservationStatus,
        text: String = "", by: String? = nil
    ) {
        self.id = id
        self.sessionID = sessionID
        self.at = at
        self.kind = kind
        self.status = status
        self.text = text
        self.by = by
    }
}

/// The effects the REMS monitoring is for (the `kind` column of `clinical_observations`).
public enum ClinicalObservationKind: String, Sendable, Hashable, CaseIterable {
    case sedation
    case dissociation
    case respiratoryDepression = "respiratory-depression"

    /// The form's wording.
    public var label: String {
        switch self {
        case .sedation: "Sedation"
        case .dissociation: "Dissociation"
        case .respiratoryDepression: "Respiratory depression"
        }
    }
}

/// What the clinician saw (the `status` column of `clinical_observations`).
public enum ClinicalObservationStatus: String, Sendable, Hashable, CaseIterable {
    /// The effect is there.
    case present
    /// An effect seen earlier has gone.
    case resolved
    /// The clinician looked and it is not there.
    case absent
}
