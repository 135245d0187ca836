import Store
import VitalsCore

/// One cuff measurement for the trend: systolic with the diastolic and mean the same device sent
/// within two seconds of it.
public struct NIBPPoint: Sendable, Hashable {
    /// Host time of the systolic reading, ms since 1970 UTC.
    public var at: Int64
    /// mmHg.
    public var systolic: Double
    /// mmHg, where sent.
    public var diastolic: Double?
    /// Mean arterial pressure, mmHg, where sent.
    public var mean: Double?
}

/// Everything the session report shows, read from the store once: the `vitals session show`
/// summary plus the readings, device events and the REMS record (devices, observations).
public struct ReportModel: Sendable {
    /// The summary `vitals session show` prints.
    public var summary: SessionReport
    /// Every reading, valid or flagged, in time order.
    public var readings: [StoredReading]
    /// Device events (disconnects, sensor off) in time order.
    public var deviceEvents: [DeviceEvent]
    /// Nasal devices given.
    public var doseDevices: [DoseDevice]
    /// The clinician's observations.
    public var observations: [ClinicalObservation]
    /// The notes given with acknowledgements, by alert id.
    public var acknowledgementNotes: [Int64: String]
    /// The limits the session ran with.
    public var limits: SessionLimits
    /// The REMS form's fields, computed from the above.
    public var form: REMSForm

    /// The session.
    public var session: SessionRecord { summary.session }
    /// The end of the record: the session's end, or `now` while open.
    public var end: Int64 { session.endedAt ?? summary.now }

    /// Reads session `sessionID` from `database`; `now` stands in for the end of an open session.
    public static func load(database: VitalsDatabase, session sessionID: Int64, now: Int64, limits: SessionLimits) throws(StoreError) -> ReportModel {
        let summary = try database.report(session: sessionID, now: now)
        let readings = try database.readings(session: sessionID)
        let devices = try database.doseDevices(session: sessionID)
        let observations = try database.observations(session: sessionID)
        let form = REMSForm(
            session: summary.session, now: now, checkpoints: summary.checkpoints, readings: readings,
            doseDevices: devices, observations: observations, limits: limits)
        return ReportModel(
            summary: summary, readings: readings, deviceEvents: try database.deviceEvents(session: sessionID),
            doseDevices: devices, observations: observations,
            acknowledgementNotes: try database.acknowledgementNotes(session: sessionID), limits: limits, form: form)
    }

    /// Valid readings of `metric` and the count left out for their flags.
    public func series(_ metric: Metric) -> (valid: [StoredReading], flagged: [StoredReading]) {
        var valid: [StoredReading] = []
        var flagged: [StoredReading] = []
        for r in readings where r.metric == metric {
            if r.flags.isPhysiologicallyValid { valid.append(r) } else { flagged.append(r) }
        }
        return (valid, flagged)
    }

    /// The cuff measurements with their means, for the NIBP trend.
    public var nibpPoints: [NIBPPoint] {
        let valid = readings.filter { $0.flags.isPhysiologicallyValid }
        let dia = valid.filter { $0.metric == .nibpDiastolic }
        let map = valid.filter { $0.metric == .nibpMean }
        func near(_ list: [StoredReading], _ sys: StoredReading) -> Double? {
            list.first { $0.device == sys.device && abs($0.hostTime - sys.hostTime) <= 2000 }?.value
        }
        return valid.filter { $0.metric == .nibpSystolic }.map {
            NIBPPoint(at: $0.hostTime, systolic: $0.value, diastolic: near(dia, $0), mean: near(map, $0))
        }
    }

    /// The metrics beyond SpO2, pulse and NIBP that have readings, in `Metric` order.
    public var extraMetrics: [Metric] {
        let present = Set(readings.map(\.metric))
        return [Metric.hr, .resp, .awrr, .etco2].filter(present.contains)
    }
}
