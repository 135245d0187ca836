import GRDB
import GRDBSQLite
import VitalsCore

extension ReadingWriter {
    /// Takes everything waiting (the journal's records first) and commits it in one
    /// transaction; on failure puts the in-memory part back, spills what exceeds the memory bound
    /// to the journal, and reports the cause. Runs on the writer's queue only.
    ///
    /// `force` (flush, close) tries even before a failing writer's retry is due.
    func performFlush(includePartialWaveforms: Bool, force: Bool) {
        let attemptAt = now()
        let taken = buffer.withLock { b -> (readings: [Observation], items: [PendingItem], journal: Bool, failing: Bool)? in
            b.flushQueued = false
            if includePartialWaveforms {
                for (device, acc) in b.waveforms.sorted(by: { $0.value.startAt < $1.value.startAt }) {
                    b.items.append(.waveform(device: device, at: acc.startAt, acc.waveform))
                }
                b.waveforms = [:]
            }
            var failing = false
            if case .failing = b.health { failing = true }
            if failing, !force, let failed = b.lastFailureAt, attemptAt - failed < configuration.retryIntervalMilliseconds,
                attemptAt >= failed
            {
                return nil
            }
            // Every attempt of a failing writer postpones the next by the retry interval.
            if failing { b.lastFailureAt = attemptAt }
            let taken = (b.readings, b.items, b.journalPending, failing)
            b.readings = []
            b.items = []
            b.oldestPendingAt = nil
            return taken
        }
        guard let (readings, items, journalPending, wasFailing) = taken else { return }
        guard !readings.isEmpty || !items.isEmpty || journalPending || (wasFailing && database == nil) else { return }

        var database = self.database
        if database == nil {
            do {
                database = try VitalsDatabase(path: path)
                opened.withLock { $0 = database }
            } catch {
                fail(error, readings: readings, items: items)
                return
            }
        }
        guard let database else { return }
        if wasFailing {
            // A WAL that grew before the failure is cut back (journal_size_limit) if it can be.
            try? database.checkpoint()
        }
        var journalReadings: [Observation] = []
        var journalItems: [PendingItem] = []
        var journalFiles: [String] = []
        if journalPending {
            let loaded = journal.load()
            journalReadings = loaded.readings
            journalItems = loaded.items
            journalFiles = loaded.files
            if loaded.badLines > 0 {
                onError("\(loaded.badLines) unreadable lines in the journal \(loaded.files.joined(separator: ", ")) (a record cut by a crash) are skipped")
            }
        }
        guard !readings.isEmpty || !items.isEmpty || !journalReadings.isEmpty || !journalItems.isEmpty else {
            if journalPending {
                journal.remove(journalFiles)
                buffer.withLock { b in
                    b.journalPending = false
                    b.journalPaths = []
                    b.journaledReadings = 0
                    b.journaledEvents = 0
                }
            }
            if wasFailing { recovered(database) }
            return
        }
        var state = flushState.withLock { $0 }
        do {
            let allReadings = journalReadings.isEmpty ? readings : journalReadings + readings
            let allItems = journalItems.isEmpty ? items : journalItems + items
            var commit = try database.pool.write { db in
                try writeBatch(db, readings: allReadings, items: allItems, state: &state)
            }
            let committedState = state
            flushState.withLock { $0 = committedState }
            if !journalFiles.isEmpty { journal.remove(journalFiles) }
            let merged = (journalReadings.count, journalItems.count)
            commit.totalCommittedReadings = buffer.withLock { b in
                b.stats.committedReadings += Int64(commit.readings)
                if let ids = commit.readingIDs { b.stats.lastCommittedReadingID = ids.upperBound }
                b.stats.committedEvents += Int64(commit.events)
                b.stats.mergedReadings += Int64(merged.0)
                b.stats.mergedEvents += Int64(merged.1)
                if journalPending {
                    b.journalPending = false
                    b.journalPaths = []
                    b.journaledReadings = 0
                    b.journaledEvents = 0
                }
                return b.stats.committedReadings
            }
            // Resolve the commitAlert calls waiting for these alerts.
            var ids = commit.alertEventIDs.suffix(from: commit.alertEventIDs.count - alertCount(items)).makeIterator()
            for case let .alert(_, ticket) in items {
                let id = ids.next()
                guard let ticket, let id, let w = waiters.withLock({ $0.removeValue(forKey: ticket) }) else { continue }
                w.resolve(.stored(id: id))
            }
            if merged.0 + merged.1 > 0 {
                onError("merged the journal \(journalFiles.joined(separator: ", ")) into \(path): \(merged.0) readings, \(merged.1) events")
            }
            if wasFailing { recovered(database) }
            onCommit(commit)
        } catch {
            fail(error, readings: readings, items: items)
        }
    }

    func alertCount(_ items: [PendingItem]) -> Int {
        items.reduce(0) { n, i in if case .alert = i { n + 1 } else { n } }
    }

    /// Health is back: report it once and shrink the WAL.
    func recovered(_ database: VitalsDatabase) {
        let changed = buffer.withLock { b -> Bool in
            b.lastFailureAt = nil
            b.stats.failing = false
            if case .ok = b.health { return false }
            b.health = .ok
            return true
        }
        flushState.withLock { $0.reportedError = nil }
        try? database.checkpoint()
        if changed {
            onError("recording works again: the database \(path) accepts writes; the data kept meanwhile is stored")
            onHealthChange(.ok)
        }
    }

    /// A write (or open) failed: keep the data (the excess over the memory bound in the
    /// journal), mark the writer failing with the cause, tell the waiting `commitAlert`s.
    func fail(_ error: any Error, readings: [Observation], items: [PendingItem]) {
        let t = now()
        let cause = StorageFailureCause.classify(error, path: path)
        let detail: String
        if let e = error as? DatabaseError {
            detail = "\(e.message ?? "SQLite error") (SQLite code \(e.resultCode.primaryResultCode.rawValue))"
        } else if let e = error as? StoreError {
            detail = e.description
        } else {
            detail = "\(error)"
        }
        let (failure, changed, pending) = buffer.withLock { b -> (StorageFailure, Bool, Int) in
            b.readings.insert(contentsOf: readings, at: 0)
            b.items.insert(contentsOf: items.map { i in if case let .alert(a, _) = i { .alert(a, ticket: nil) } else { i } }, at: 0)
            b.lastFailureAt = t
            b.oldestPendingAt = t
            b.stats.failing = true
            var since = wall.nowMilliseconds()
            var same = false
            if case let .failing(old) = b.health {
                since = old.since
                same = old.cause == cause
            }
            let f = StorageFailure(cause: cause, path: path, since: since, detail: detail)
            b.health = .failing(f)
            return (f, !same, b.readings.count)
        }
        for case let .alert(_, ticket?) in items {
            waiters.withLock { $0.removeValue(forKey: ticket) }?.resolve(.pending(.failing(failure)))
        }
        spill(keepInMemory: true)
        let shouldReport = flushState.withLock { s -> Bool in
            defer { s.reportedError = detail }
            return s.reportedError != detail
        }
        if shouldReport {
            onError(
                "\(failure): \(detail). Keeping \(pending) readings in memory (at most "
                    + "\(configuration.maxRetainedReadings), then in the journal \(journal.primary)) and retrying; "
                    + "alerts are still shown. Free disk space or make the file writable.")
        }
        if changed { onHealthChange(.failing(failure)) }
    }

    /// Moves what waits in memory beyond its bound (or, at close, everything) to the journal,
    /// oldest first. What the journal cannot take stays in memory.
    func spill(keepInMemory: Bool) {
        let (readings, items) = buffer.withLock { b -> ([Observation], [PendingItem]) in
            let r = keepInMemory ? max(0, b.readings.count - configuration.maxRetainedReadings) : b.readings.count
            let i = keepInMemory ? max(0, b.items.count - configuration.maxRetainedEvents) : b.items.count
            let taken = (Array(b.readings.prefix(r)), Array(b.items.prefix(i)))
            b.readings.removeFirst(r)
            b.items.removeFirst(i)
            return taken
        }
        guard !readings.isEmpty || !items.isEmpty else { return }
        switch journal.append(readings: readings, items: items) {
        case let .success(file):
            buffer.withLock { b in
                b.journalPending = true
                if !b.journalPaths.contains(file) { b.journalPaths.append(file) }
                b.journaledReadings += readings.count
                b.journaledEvents += items.count
            }
        case let .failure(e):
            buffer.withLock { b in
                b.readings.insert(contentsOf: readings, at: 0)
                b.items.insert(contentsOf: items, at: 0)
            }
            let report = flushState.withLock { s -> Bool in
                defer { s.reportedJournalError = e.reason }
                return s.reportedJournalError != e.reason
            }
            if report { onError("cannot write the journal either (\(e.reason)); the data stays in memory") }
        }
    }

    /// At close, after the last attempt: whatever is still in memory goes to the journal.
    func spillAll() {
        guard buffer.withLock({ !$0.readings.isEmpty || !$0.items.isEmpty }) else { return }
        spill(keepInMemory: false)
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
            case let .alert(a, _):
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
        // One row per occurrence: a re-alarm (raised again while the occurrence is still open, after
        // an acknowledgement) continues its row; only a raise of a closed or unknown occurrence
        // starts one.
        var alertID = try Int64.fetchOne(
            db,
            sql: a.event == .raised
                ? "SELECT id FROM alerts WHERE session_id = ? AND rule = ? AND occurrence = ? AND cleared_at IS NULL ORDER BY id DESC LIMIT 1"
                : "SELECT id FROM alerts WHERE session_id = ? AND rule = ? AND occurrence = ? ORDER BY id DESC LIMIT 1",
            arguments: [sid, a.rule, a.occurrence])
        let reAlarm = a.event == .raised && alertID != nil
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
            if reAlarm {
                // The acknowledgement ends with the re-alarm (its event stays in alert_events).
                try db.execute(
                    sql: "UPDATE alerts SET acknowledged_at = NULL, acknowledged_by = NULL, priority = ? WHERE id = ?",
                    arguments: [a.priority.rawValue, id])
            }
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
