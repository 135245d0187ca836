import Foundation
import GRDB
import VitalsCore

extension VitalsDatabase {
    /// Starts a session in `plan.room` at `at` (ms since 1970 UTC).
    ///
    /// An automatically opened session in the room (data arrived before anyone started one) is
    /// ended and replaced; a clinician's open session is an error.
    @discardableResult
    public func startSession(_ plan: SessionPlan, at: Int64) throws(StoreError) -> SessionRecord {
        try writing { db in
            if let open = try Self.openSession(db, room: plan.room) {
                guard open.autoOpened else { throw StoreError.sessionAlreadyOpen(room: plan.room, id: open.id) }
                try db.execute(
                    sql: "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ?",
                    arguments: [max(at, open.startedAt), "replaced by a session started by a clinician", open.id])
                try Self.detachAll(db, session: open.id, at: max(at, open.startedAt))
            }
            try db.execute(
                sql: """
                    INSERT INTO sessions(room, patient_ref, clinician, medication, dose, route, observe_ms,
                                         limits_json, started_at, auto_opened, lot, concomitant_benzodiazepine,
                                         concomitant_sedative_hypnotic, concomitant_psychostimulant, concomitant_maoi,
                                         rules_path, rules_sha256)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    plan.room, plan.patientRef, plan.clinician, plan.medication, plan.dose, plan.route,
                    plan.observeMilliseconds, Self.limitsJSON(plan.limits), at, plan.lot,
                    plan.concomitant.benzodiazepine, plan.concomitant.sedativeHypnotic,
                    plan.concomitant.psychostimulant, plan.concomitant.maoi, plan.rulesPath, plan.rulesSHA256,
                ])
            return try Self.session(db, id: db.lastInsertedRowID)!
        }
    }

    /// Records the dose time of `sessionID` (replacing an earlier one) and a `dose` event.
    public func recordDose(session sessionID: Int64, at: Int64, text: String = "", by: String? = nil) throws(StoreError) {
        try writing { db in
            let s = try Self.requireOpen(db, id: sessionID)
            try db.execute(sql: "UPDATE sessions SET dose_at = ? WHERE id = ?", arguments: [at, s.id])
            try Self.insertEvent(db, SessionEvent(sessionID: s.id, at: at, kind: .dose, text: text, by: by))
        }
    }

    /// Adds a session event (a note, a BP checkpoint) to `sessionID`.
    @discardableResult
    public func addEvent(_ event: SessionEvent) throws(StoreError) -> Int64 {
        try writing { db in
            guard try Self.session(db, id: event.sessionID) != nil else {
                throw StoreError.unknownSession(id: event.sessionID)
            }
            return try Self.insertEvent(db, event)
        }
    }

    /// Ends `sessionID` at `at` with `reason`: records the REMS BP checkpoints found (or
    /// missing) as `bp-checkpoint` events and a `discharge` event, detaches its devices and
    /// checkpoints the WAL. Call `endWarnings` first; this does not check them. `windows` are the
    /// REMS windows of the session's rule set.
    public func endSession(_ sessionID: Int64, at: Int64, reason: String?, by: String? = nil,
                           windows: REMSWindows = .standard) throws(StoreError) {
        let checkpoints = try remsCheckpoints(session: sessionID, now: at, windows: windows)
        try writing { db in
            let s = try Self.requireOpen(db, id: sessionID)
            let end = max(at, s.startedAt)
            if checkpoints.hasDose {
                for (name, m) in [
                    ("before the dose", checkpoints.baseline), ("about \(windows.postDoseCheckMilliseconds / 60_000) min after the dose", checkpoints.postDose),
                    ("before discharge", checkpoints.beforeDischarge),
                ] {
                    let text = m.map { "\(name): \($0.text) mmHg at \(Timestamp.iso8601(milliseconds: $0.at))" } ?? "\(name): missing"
                    try Self.insertEvent(db, SessionEvent(sessionID: s.id, at: m?.at ?? end, kind: .bpCheckpoint, text: text, by: by))
                }
            }
            try db.execute(
                sql: "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ?", arguments: [end, reason, s.id])
            try Self.detachAll(db, session: s.id, at: end)
            try Self.insertEvent(db, SessionEvent(sessionID: s.id, at: end, kind: .discharge, text: reason ?? "", by: by))
        }
        try? checkpoint()
    }

    /// The open session in `room`, if any.
    public func openSession(room: String) throws(StoreError) -> SessionRecord? {
        try reading { db in try Self.openSession(db, room: room) }
    }

    /// The session with this id; throws `unknownSession` when there is none.
    public func session(id: Int64) throws(StoreError) -> SessionRecord {
        try reading { db in
            guard let s = try Self.session(db, id: id) else { throw StoreError.unknownSession(id: id) }
            return s
        }
    }

    /// Sessions, newest first, at most `limit`.
    public func sessions(limit: Int = 100) throws(StoreError) -> [SessionRecord] {
        try reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM sessions ORDER BY started_at DESC, id DESC LIMIT ?", arguments: [limit])
                .map(Self.sessionRecord)
        }
    }

    /// The session events of `sessionID` in time order.
    public func events(session sessionID: Int64) throws(StoreError) -> [SessionEvent] {
        try reading { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM session_events WHERE session_id = ? ORDER BY t, id", arguments: [sessionID]
            ).compactMap { row in
                guard let kind = SessionEventKind(rawValue: row["kind"]) else { return nil }
                return SessionEvent(id: row["id"], sessionID: row["session_id"], at: row["t"], kind: kind, text: row["text"], by: row["by"])
            }
        }
    }

    // MARK: - Shared helpers (used by the writer too)

    static func openSession(_ db: Database, room: String) throws -> SessionRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE room = ? AND ended_at IS NULL", arguments: [room])
            .map(sessionRecord)
    }

    static func session(_ db: Database, id: Int64) throws -> SessionRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE id = ?", arguments: [id]).map(sessionRecord)
    }

    static func requireOpen(_ db: Database, id: Int64) throws -> SessionRecord {
        guard let s = try session(db, id: id) else { throw StoreError.unknownSession(id: id) }
        guard s.isOpen else { throw StoreError.sessionEnded(id: id) }
        return s
    }

    @discardableResult
    static func insertEvent(_ db: Database, _ e: SessionEvent) throws -> Int64 {
        try db.execute(
            sql: "INSERT INTO session_events(session_id, t, kind, text, by) VALUES (?, ?, ?, ?, ?)",
            arguments: [e.sessionID, e.at, e.kind.rawValue, e.text, e.by])
        return db.lastInsertedRowID
    }

    static func detachAll(_ db: Database, session: Int64, at: Int64) throws {
        try db.execute(
            sql: "UPDATE session_devices SET detached_at = ? WHERE session_id = ? AND detached_at IS NULL",
            arguments: [at, session])
    }

    static func sessionRecord(_ row: Row) -> SessionRecord {
        let first: Int64? = row["first_reading_id"]
        let last: Int64? = row["last_reading_id"]
        let plan = SessionPlan(
            room: row["room"], patientRef: row["patient_ref"], clinician: row["clinician"],
            medication: row["medication"], dose: row["dose"], route: row["route"],
            observeMilliseconds: row["observe_ms"], limits: parseLimits(row["limits_json"]), lot: row["lot"],
            concomitant: ConcomitantMedications(
                benzodiazepine: row["concomitant_benzodiazepine"], sedativeHypnotic: row["concomitant_sedative_hypnotic"],
                psychostimulant: row["concomitant_psychostimulant"], maoi: row["concomitant_maoi"]),
            rulesPath: row["rules_path"], rulesSHA256: row["rules_sha256"])
        return SessionRecord(
            id: row["id"], plan: plan, startedAt: row["started_at"], doseAt: row["dose_at"], endedAt: row["ended_at"],
            endReason: row["end_reason"], autoOpened: row["auto_opened"] as Int64 != 0,
            readingIDs: first.flatMap { f in last.map { l in f...max(f, l) } })
    }

    static func limitsJSON(_ limits: [String: Double]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: limits, options: [.sortedKeys]),
              let s = String(data: data, encoding: .utf8)
        else { return "{}" }
        return s
    }

    static func parseLimits(_ text: String?) -> [String: Double] {
        guard let data = text?.data(using: .utf8),
              let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return [:] }
        var out: [String: Double] = [:]
        for (k, v) in obj {
            if let n = v as? NSNumber { out[k] = n.doubleValue }
        }
        return out
    }

    /// Runs a write transaction, turning SQLite errors into `StoreError`.
    func writing<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.write(body)
        } catch let e as StoreError {
            throw e
        } catch let e as DatabaseError {
            throw .writeFailed(code: e.resultCode.primaryResultCode.rawValue, message: e.message ?? "\(e)")
        } catch {
            throw .writeFailed(code: -1, message: "\(error)")
        }
    }

    /// Runs a read, turning SQLite errors into `StoreError`.
    func reading<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try pool.read(body)
        } catch let e as StoreError {
            throw e
        } catch let e as DatabaseError {
            throw .readFailed(code: e.resultCode.primaryResultCode.rawValue, message: e.message ?? "\(e)")
        } catch {
            throw .readFailed(code: -1, message: "\(error)")
        }
    }
}
