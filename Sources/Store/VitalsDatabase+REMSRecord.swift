import GRDB
import VitalsCore

extension VitalsDatabase {
    /// Records when nasal device `number` (1 = the first) of `sessionID` was given, replacing an
    /// earlier time for that number, with a `dose` event. Device 1 is the start of administration:
    /// its time becomes the session's dose time, which the REMS checkpoints count from.
    public func recordDoseDevice(session sessionID: Int64, number: Int, at: Int64, text: String = "", by: String? = nil) throws(StoreError) {
        guard number >= 1 else {
            throw StoreError.invalidValue(name: "--device", value: String(number), reason: "devices are numbered from 1")
        }
        try writing { db in
            let s = try Self.requireOpen(db, id: sessionID)
            try db.execute(
                sql: "INSERT OR REPLACE INTO dose_devices(session_id, device, t, by) VALUES (?, ?, ?, ?)",
                arguments: [s.id, number, at, by])
            if number == 1 {
                try db.execute(sql: "UPDATE sessions SET dose_at = ? WHERE id = ?", arguments: [at, s.id])
            }
            let what = "nasal device \(number)" + (text.isEmpty ? "" : ": " + text)
            try Self.insertEvent(db, SessionEvent(sessionID: s.id, at: at, kind: .dose, text: what, by: by))
        }
    }

    /// The nasal devices recorded for `sessionID`, by number.
    public func doseDevices(session sessionID: Int64) throws(StoreError) -> [DoseDevice] {
        try reading { db in
            try Row.fetchAll(
                db, sql: "SELECT device, t, by FROM dose_devices WHERE session_id = ? ORDER BY device", arguments: [sessionID]
            ).map { DoseDevice(number: $0["device"], at: $0["t"], by: $0["by"]) }
        }
    }

    /// Stores a clinician's observation (the session may have ended: observations made during
    /// monitoring are often written up after discharge).
    @discardableResult
    public func addObservation(_ o: ClinicalObservation) throws(StoreError) -> Int64 {
        try writing { db in
            guard try Self.session(db, id: o.sessionID) != nil else { throw StoreError.unknownSession(id: o.sessionID) }
            try db.execute(
                sql: "INSERT INTO clinical_observations(session_id, t, kind, status, text, by) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [o.sessionID, o.at, o.kind.rawValue, o.status.rawValue, o.text, o.by])
            return db.lastInsertedRowID
        }
    }

    /// The observations of `sessionID` in time order.
    public func observations(session sessionID: Int64) throws(StoreError) -> [ClinicalObservation] {
        try reading { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM clinical_observations WHERE session_id = ? ORDER BY t, id", arguments: [sessionID]
            ).compactMap { row in
                guard let kind = ClinicalObservationKind(rawValue: row["kind"]),
                      let status = ClinicalObservationStatus(rawValue: row["status"])
                else { return nil }
                return ClinicalObservation(
                    id: row["id"], sessionID: row["session_id"], at: row["t"], kind: kind, status: status,
                    text: row["text"], by: row["by"])
            }
        }
    }
}

extension VitalsDatabase {
    /// The notes clinicians gave with `vitals ack` for the alerts of `sessionID`, by alert id (the
    /// note is kept only on the command row, docs/SCHEMA.md); applied acknowledgements only.
    public func acknowledgementNotes(session sessionID: Int64) throws(StoreError) -> [Int64: String] {
        try reading { db in
            var notes: [Int64: String] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT alert_id, note FROM commands
                    WHERE session_id = ? AND kind = 'ack' AND outcome = 'applied' AND note IS NOT NULL AND note != ''
                    ORDER BY id
                    """,
                arguments: [sessionID])
            {
                notes[row["alert_id"]] = row["note"]
            }
            return notes
        }
    }
}
