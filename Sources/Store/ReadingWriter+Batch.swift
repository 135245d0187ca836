import GRDB
import GRDBSQLite
import VitalsCore

extension ReadingWriter {
    /// Takes everything waiting and commits it in one transaction; on failure puts it back
    /// (bounded) and reports the error. Runs on the writer's queue only.
    func performFlush(includePartialWaveforms: Bool) {
        let (readings, items) = buffer.withLock { b -> ([Observation], [PendingItem]) in
            b.flushQueued = false
            if includePartialWaveforms {
                for (device, acc) in b.waveforms.sorted(by: { $0.value.startAt < $1.value.startAt }) {
                    b.items.append(.waveform(device: device, at: acc.startAt, acc.waveform))
                }
                b.waveforms = [:]
            }
            let taken = (b.readings, b.items)
            b.readings = []
            b.items = []
            b.oldestPendingAt = nil
            return taken
        }
        guard !readings.isEmpty || !items.isEmpty else { return }
        var state = flushState.withLock { $0 }
        do {
            var commit = try database.pool.write { db in
                try writeBatch(db, readings: readings, items: items, state: &state)
            }
            let recovered = state.reportedError != nil
            state.reportedError = nil
            let committedState = state
            flushState.withLock { $0 = committedState }
            commit.totalCommittedReadings = buffer.withLock { b in
                b.stats.committedReadings += Int64(commit.readings)
                if let ids = commit.readingIDs { b.stats.lastCommittedReadingID = ids.upperBound }
                b.stats.committedEvents += Int64(commit.events)
                b.stats.failing = false
                b.lastFailureAt = nil
                return b.stats.committedReadings
            }
            if recovered {
                onError("the database \(database.path) accepts writes again; the readings kept in memory are written")
            }
            onCommit(commit)
        } catch {
            let t = now()
            let pending = buffer.withLock { b -> Int in
                b.readings.insert(contentsOf: readings, at: 0)
                b.items.insert(contentsOf: items, at: 0)
                trimReadings(&b)
                trimItems(&b)
                b.lastFailureAt = t
                b.oldestPendingAt = t
                b.stats.failing = true
                return b.readings.count
            }
            let reason: String
            if let e = error as? DatabaseError {
                reason = "\(e.message ?? "SQLite error") (SQLite code \(e.resultCode.primaryResultCode.rawValue))"
            } else {
                reason = "\(error)"
            }
            let shouldReport = flushState.withLock { s -> Bool in
                defer { s.reportedError = reason }
                return s.reportedError != reason
            }
            if shouldReport {
                onError(
                    "cannot write to the database \(database.path): \(reason). Keeping \(pending) readings in memory "
                        + "(at most \(configuration.maxRetainedReadings)) and retrying; alerts are still shown. "
                        + "Free disk space or make the file writable.")
            }
        }
    }

    /// Writes one batch. `state` (device ids, attachments) is updated only if the transaction
    /// commits, because the caller keeps it only then.
    func writeBatch(
        _ db: Database, readings: [Observation], items: [PendingItem], state: inout WriterFlushState
    ) throws -> WriterCommit {
        let room = configuration.room
        var session: Int64? = try VitalsDatabase.openSession(db, room: room)?.id

        func sessionID(at: Int64) throws -> Int64 {
            if let s = session { return s }
            try db.execute(
                sql: "INSERT INTO sessions(room, started_at, auto_opened) VALUES (?, ?, 1)", arguments: [room, at])
            let s = db.lastInsertedRowID
            session = s
            return s
        }
        func deviceID(_ name: String, at: Int64) throws -> Int64 {
            if let id = state.deviceIDs[name] { return id }
            try db.execute(
                sql: "INSERT INTO devices(profile, name, first_seen) VALUES ('unknown', ?, ?) ON CONFLICT(name) DO NOTHING",
                arguments: [name, at])
            let id = try Int64.fetchOne(db, sql: "SELECT id FROM devices WHERE name = ?", arguments: [name]) ?? 0
            state.deviceIDs[name] = id
            return id
        }
        func attach(_ s: Int64, _ d: Int64, at: Int64) throws {
            guard !state.attached.contains(SessionDeviceKey(session: s, device: d)) else { return }
            try db.execute(
                sql: """
                    INSERT INTO session_devices(session_id, device_id, attached_at) VALUES (?, ?, ?)
                    ON CONFLICT(session_id, device_id) DO UPDATE SET detached_at = NULL
                    """,
                arguments: [s, d, at])
            state.attached.insert(SessionDeviceKey(session: s, device: d))
        }

        var events = 0
        var chunks = 0
        var alertIDs: [Int64] = []

        // Device identities first, so readings in the same batch find their profile.
        for case let .device(identity, at) in items {
            try db.execute(
                sql: """
                    INSERT INTO devices(profile, name, usb_vendor, usb_product, serial, port, first_seen)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET profile = excluded.profile,
                        usb_vendor = coalesce(excluded.usb_vendor, usb_vendor),
                        usb_product = coalesce(excluded.usb_product, usb_product),
                        serial = coalesce(excluded.serial, serial), port = coalesce(excluded.port, port)
                    """,
                arguments: [
                    identity.profile, identity.name, identity.usbVendorID.map { Int64($0) },
                    identity.usbProductID.map { Int64($0) }, identity.serialNumber, identity.port, at,
                ])
            state.deviceIDs[identity.name] = try Int64.fetchOne(
                db, sql: "SELECT id FROM devices WHERE name = ?", arguments: [identity.name])
        }

        var readingIDs: ClosedRange<Int64>?
        if let firstReading = readings.first {
            let sid = try sessionID(at: firstReading.hostTime)
            let insert = try db.cachedStatement(
                sql: "INSERT INTO readings(session_id, device_id, metric, t, device_t, value_x100, flags) VALUES (?, ?, ?, ?, ?, ?, ?)")
            var firstID: Int64?
            var lastID: Int64 = 0
            // The previous reading's device, already looked up, attached and its time kind noted:
            // readings come in runs from one device, and the lookups hash a string each.
            var previous: (name: String, id: Int64, timeKindKnown: Bool)?
            for o in readings {
                let d: Int64
                if let p = previous, p.name == o.device, p.timeKindKnown || o.reading.deviceTime == nil {
                    d = p.id
                } else {
                    d = try deviceID(o.device, at: o.hostTime)
                    try attach(sid, d, at: o.hostTime)
                    if let dt = o.reading.deviceTime, !state.deviceTimeKindKnown.contains(d) {
                        try db.execute(
                            sql: "UPDATE devices SET device_time_kind = ? WHERE id = ?", arguments: [dt.kind.rawValue, d])
                        state.deviceTimeKindKnown.insert(d)
                    }
                    previous = (o.device, d, state.deviceTimeKindKnown.contains(d))
                }
                lastID = try Self.insertReading(
                    insert, db, session: sid, device: d, metric: Int64(o.metric.storageCode), t: o.hostTime,
                    deviceTime: o.reading.deviceTime?.milliseconds, value: ReadingValue.encode(o.value),
                    flags: Int64(o.flags.rawValue))
                if firstID == nil { firstID = lastID }
            }
            if let firstID {
                readingIDs = firstID...lastID
                try db.execute(
                    sql: "UPDATE sessions SET first_reading_id = coalesce(first_reading_id, ?), last_reading_id = ? WHERE id = ?",
                    arguments: [firstID, lastID, sid])
            }
        }

        for item in items {
            switch item {
            case .device:
                continue
            case let .waveform(device, at, waveform):
                let sid = try sessionID(at: at)
                let d = try deviceID(device, at: at)
                try attach(sid, d, at: at)
                let packed = WaveformEncoding.encode(waveform.samples)
                // Cached: a chunk a second per device, and compiling the INSERT each time cost
                // more than running it (make bench, figure 4).
                try db.cachedStatement(
                    sql: """
                        INSERT INTO waveform_chunks(session_id, device_id, metric, t, sample_rate, sample_count, encoding, samples, flags)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """
                ).execute(
                    arguments: [
                        sid, d, waveform.metric.storageCode, at, waveform.sampleRate, waveform.samples.count,
                        packed.encoding, packed.blob, Int64(waveform.flags.rawValue),
                    ])
                chunks += 1
            case let .alert(a):
                alertIDs.append(try writeAlert(db, a, session: try sessionID(at: a.hostTime)))
                events += 1
            case let .deviceEvent(e):
                let d = try deviceID(e.device, at: e.at)
                // A device event is data too: it belongs to the room's session, opened
                // automatically if need be, like the readings that follow it.
                let s = try sessionID(at: e.at)
                try db.execute(
                    sql: "INSERT INTO device_events(session_id, device_id, t, kind, metric, code, count, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [s, d, e.at, e.kind.rawValue, e.metric?.storageCode, e.code, e.count, e.detail])
                do {
                    if e.kind == .disconnected {
                        try db.execute(
                            sql: "UPDATE session_devices SET detached_at = ? WHERE session_id = ? AND device_id = ?",
                            arguments: [e.at, s, d])
                        state.attached.remove(SessionDeviceKey(session: s, device: d))
                    } else if e.kind == .connected {
                        try attach(s, d, at: e.at)
                    }
                }
                events += 1
            case let .sessionEvent(e):
                let sid = e.sessionID != 0 ? e.sessionID : try sessionID(at: e.at)
                if e.kind == .dose {
                    try db.execute(sql: "UPDATE sessions SET dose_at = ? WHERE id = ?", arguments: [e.at, sid])
                }
                var stored = e
                stored.sessionID = sid
                try VitalsDatabase.insertEvent(db, stored)
                events += 1
            }
        }
        return WriterCommit(
            sessionID: session ?? 0, readingIDs: readingIDs, waveformChunks: chunks, events: events,
            alertEventIDs: alertIDs, totalCommittedReadings: 0)
    }

    /// Runs the prepared readings insert for one row through SQLite's C API and returns the new
    /// row id. The hot path of every commit: GRDB's `execute(arguments:)` boxes the seven values
    /// into an array of existentials and validates them on every row, which cost more than
    /// SQLite's own insert (make bench, figure 3). The statement is GRDB's cached one, run on
    /// GRDB's writer connection inside its transaction, so a failure still throws `DatabaseError`
    /// and rolls the batch back as before.
    static func insertReading(
        _ insert: Statement, _ db: Database, session: Int64, device: Int64, metric: Int64, t: Int64,
        deviceTime: Int64?, value: Int64, flags: Int64
    ) throws -> Int64 {
        let stmt = insert.sqliteStatement
        sqlite3_bind_int64(stmt, 1, session)
        sqlite3_bind_int64(stmt, 2, device)
        sqlite3_bind_int64(stmt, 3, metric)
        sqlite3_bind_int64(stmt, 4, t)
        if let deviceTime { sqlite3_bind_int64(stmt, 5, deviceTime) } else { sqlite3_bind_null(stmt, 5) }
        sqlite3_bind_int64(stmt, 6, value)
        sqlite3_bind_int64(stmt, 7, flags)
        let code = sqlite3_step(stmt)
        guard code == SQLITE_DONE else {
            let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            sqlite3_reset(stmt)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: insert.sql)
        }
        sqlite3_reset(stmt)
        return db.lastInsertedRowID
    }

    /// Stores one alert event and keeps its `alerts` row (one per occurrence) up to date.
    func writeAlert(_ db: Database, _ a: AlertEvent, session sid: Int64) throws -> Int64 {
        var alertID: Int64?
        if a.event != .raised {
            alertID = try Int64.fetchOne(
                db, sql: "SELECT id FROM alerts WHERE session_id = ? AND rule = ? AND occurrence = ? ORDER BY id DESC LIMIT 1",
                arguments: [sid, a.rule, a.occurrence])
        }
        if alertID == nil {
            try db.execute(
                sql: """
                    INSERT INTO alerts(session_id, rule, occurrence, kind, metric, priority, message, raised_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [sid, a.rule, a.occurrence, a.kind.rawValue, a.metric?.name, a.priority.rawValue, a.message, a.hostTime])
            alertID = db.lastInsertedRowID
        }
        let id = alertID ?? 0
        switch a.event {
        case .raised:
            break
        case .escalated:
            try db.execute(
                sql: "UPDATE alerts SET priority = ?, escalated_at = coalesce(escalated_at, ?) WHERE id = ?",
                arguments: [a.priority.rawValue, a.hostTime, id])
        case .acknowledged:
            try db.execute(
                sql: "UPDATE alerts SET acknowledged_at = coalesce(acknowledged_at, ?), acknowledged_by = coalesce(acknowledged_by, ?) WHERE id = ?",
                arguments: [a.hostTime, a.by, id])
        case .cleared:
            try db.execute(sql: "UPDATE alerts SET cleared_at = ? WHERE id = ?", arguments: [a.hostTime, id])
        }
        try db.execute(
            sql: """
                INSERT INTO alert_events(alert_id, session_id, t, run_ms, event, rule, priority, kind, metric, value, message, device, by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id, sid, a.hostTime, a.time.milliseconds, a.event.rawValue, a.rule, a.priority.rawValue, a.kind.rawValue,
                a.metric?.name, a.value, a.message, a.device, a.by,
            ])
        return db.lastInsertedRowID
    }
}
