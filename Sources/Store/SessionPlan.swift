/// What a clinician states when starting a session (`vitals session start`).
public struct SessionPlan: Sendable, Hashable {
    /// The room the session runs in (one open session a room).
    public var room: String
    /// A pseudonymous patient reference; never a name.
    public var patientRef: String?
    /// The clinician responsible.
    public var clinician: String?
    /// The medication as written (`esketamine`).
    public var medication: String?
    /// The dose as written (`56 mg`).
    public var dose: String?
    /// The route as written (`intranasal`).
    public var route: String?
    /// The planned observation after the dose, in milliseconds (REMS: at least 2 h).
    public var observeMilliseconds: Int64?
    /// The patient's own alarm limits by name (`spo2_low` = 88), overriding the rules' defaults.
    public var limits: [String: Double]
    /// The medication's lot number, as written (REMS form).
    public var lot: String?
    /// The REMS form's concomitant-medication answers given at start.
    public var concomitant: ConcomitantMedications
    /// The rule file or folder the session was started with, as given (`Rules/ketamine.yaml`).
    public var rulesPath: String?
    /// Lower-case hex SHA-256 of that rule set when the session started (`RuleSetSource`), so
    /// `session show` and `session end` can tell whether the file still says the same.
    public var rulesSHA256: String?

    /// A session plan.
    public init(
        room: String, patientRef: String? = nil, clinician: String? = nil, medication: String? = nil,
        dose: String? = nil, route: String? = nil, observeMilliseconds: Int64? = nil, limits: [String: Double] = [:],
        lot: String? = nil, concomitant: ConcomitantMedications = ConcomitantMedications(),
        rulesPath: String? = nil, rulesSHA256: String? = nil
    ) {
        self.lot = lot
        self.concomitant = concomitant
        self.rulesPath = rulesPath
        self.rulesSHA256 = rulesSHA256
        self.room = room
        self.patientRef = patientRef
        self.clinician = clinician
        self.medication = medication
        self.dose = dose
        self.route = route
        self.observeMilliseconds = observeMilliseconds
        self.limits = limits
    }
}
