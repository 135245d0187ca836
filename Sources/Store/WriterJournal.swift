import Foundation
import VitalsCore

/// Where a `ReadingWriter` puts what it cannot store: JSON lines, one per reading or event, in
/// the order they arrived, appended and fsynced, mode 0600.
///
/// The file is `<database>.unstored.jsonl` beside the database (not `<database>-journal`, which
/// is SQLite's own name), or, when that directory cannot take it (the same full, read-only or
/// missing filesystem), a file named after the database's path in the fallback directory. The
/// writer merges it into the database, in one transaction, the first time a write succeeds, and
/// deletes it then; a writer opened later on the same database merges what an earlier one left.
struct WriterJournal: Sendable {
    /// The file beside the database.
    let primary: String
    /// The file in the fallback directory.
    let fallback: String

    init(databasePath: String, fallbackDirectory: String?) {
        primary = databasePath + ".unstored.jsonl"
        let dir = fallbackDirectory ?? Self.defaultFallbackDirectory()
        let absolute = databasePath.hasPrefix("/") ? databasePath : FileManager.default.currentDirectoryPath + "/" + databasePath
        let name = absolute.map { $0 == "/" ? "_" : $0 }.dropFirst()
        fallback = dir + "/" + String(name) + ".unstored.jsonl"
    }

    static let floats = JSONEncoder.NonConformingFloatEncodingStrategy.convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    static let floatsIn = JSONDecoder.NonConformingFloatDecodingStrategy.convertFromString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")

    /// `$XDG_RUNTIME_DIR/vitals`, else `/tmp/vitals-UID`.
    static func defaultFallbackDirectory() -> String {
        if let r = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"], r.hasPrefix("/") { return r + "/vitals" }
        return "/tmp/vitals-\(getuid())"
    }

    /// The journal files that exist, oldest first (by modification time).
    func existing() -> [String] {
        [primary, fallback].filter { FileManager.default.fileExists(atPath: $0) }.sorted { a, b in
            modified(a) < modified(b)
        }
    }

    private func modified(_ path: String) -> Double {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate]) as? Date)?.timeIntervalSince1970 ?? 0
    }

    /// Appends `records` to the first file that takes them and returns its path, or the reason
    /// neither did. The records are on disk (fsync) when this returns a path.
    func append(readings: [Observation], items: [PendingItem]) -> Result<String, JournalError> {
        var text = ""
        text.reserveCapacity(readings.count * 160)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // A NaN or infinite value must not make a record unwritable.
        encoder.nonConformingFloatEncodingStrategy = Self.floats
        for r in readings { text += JournalRecord(r).line(encoder) + "\n" }
        for i in items { text += JournalRecord(i).line(encoder) + "\n" }
        let data = Array(text.utf8)
        var reasons: [String] = []
        // Once the fallback holds records, later ones go there too, so the order stays one file's order.
        let order = FileManager.default.fileExists(atPath: fallback) ? [fallback] : [primary, fallback]
        for path in order {
            if path == fallback {
                let dir = (fallback as NSString).deletingLastPathComponent
                try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                reasons.append("\(path): \(String(cString: strerror(errno)))")
                continue
            }
            let size = lseek(fd, 0, SEEK_END)
            var written = 0
            var failure: Int32 = 0
            while written < data.count {
                let n = data[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                written += n
            }
            if failure == 0, fsync(fd) != 0 { failure = errno }
            if failure != 0 {
                // Leave no half record behind: the file ends where it did.
                _ = ftruncate(fd, size)
                close(fd)
                reasons.append("\(path): \(String(cString: strerror(failure)))")
                continue
            }
            close(fd)
            return .success(path)
        }
        return .failure(JournalError(reason: reasons.joined(separator: "; ")))
    }

    /// Reads every record of the journal files, oldest file first; unreadable lines (a record
    /// cut by a crash mid-write) are counted, not fatal.
    func load() -> (readings: [Observation], items: [PendingItem], files: [String], badLines: Int) {
        var readings: [Observation] = []
        var items: [PendingItem] = []
        var bad = 0
        let files = existing()
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = Self.floatsIn
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
                guard let record = try? decoder.decode(JournalRecord.self, from: Data(line)) else {
                    bad += 1
                    continue
                }
                switch record.decoded() {
                case let .reading(o)?: readings.append(o)
                case let .item(i)?: items.append(i)
                case nil: bad += 1
                }
            }
        }
        return (readings, items, files, bad)
    }

    /// How many readings and other records a journal file holds (counted by line, without decoding).
    static func countRecords(_ file: String) -> (readings: Int, events: Int) {
        guard let data = FileManager.default.contents(atPath: file) else { return (0, 0) }
        var readings = 0
        var events = 0
        let marker = Array("\"type\":\"reading\"".utf8)
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            if line.firstRange(of: marker) != nil { readings += 1 } else { events += 1 }
        }
        return (readings, events)
    }

    /// Removes the files once their records are committed.
    func remove(_ files: [String]) {
        for f in files { unlink(f) }
    }
}

/// Neither journal file could be written.
struct JournalError: Error, Sendable {
    let reason: String
}

/// One journal line: a flat record with a `type` and the fields that type uses.
struct JournalRecord: Codable, Sendable {
    var type: String
    var device: String?
    var metric: String?
    var value: Double?
    var flags: UInt32?
    var deviceTime: DeviceTime?
    var run: Int64?
    var at: Int64?
    var rule: String?
    var priority: String?
    var kind: String?
    var event: String?
    var message: String?
    var by: String?
    var occurrence: Int?
    var code: Int64?
    var count: Int64?
    var sessionID: Int64?
    var sampleRate: Double?
    var samples: [Int32]?
    var identity: DeviceIdentity?

    enum Decoded {
        case reading(Observation)
        case item(PendingItem)
    }

    init(type: String) { self.type = type }

    init(_ o: Observation) {
        self.init(type: "reading")
        device = o.device
        metric = o.metric.rawValue
        value = o.value
        flags = o.flags.rawValue
        deviceTime = o.reading.deviceTime
        run = o.time.milliseconds
        at = o.hostTime
    }

    init(_ item: PendingItem) {
        switch item {
        case let .device(identity, t):
            self.init(type: "device")
            self.identity = identity
            at = t
        case let .alert(a, _):
            self.init(type: "alert")
            run = a.time.milliseconds
            at = a.hostTime
            rule = a.rule
            priority = a.priority.rawValue
            kind = a.kind.rawValue
            event = a.event.rawValue
            metric = a.metric?.rawValue
            value = a.value
            message = a.message
            device = a.device
            by = a.by
            occurrence = a.occurrence
        case let .deviceEvent(e):
            self.init(type: "device-event")
            device = e.device
            at = e.at
            kind = e.kind.rawValue
            metric = e.metric?.rawValue
            code = e.code
            count = e.count
            message = e.detail
        case let .sessionEvent(e):
            self.init(type: "session-event")
            sessionID = e.sessionID
            at = e.at
            kind = e.kind.rawValue
            message = e.text
            by = e.by
        case let .waveform(d, t, w):
            self.init(type: "waveform")
            device = d
            at = t
            metric = w.metric.rawValue
            sampleRate = w.sampleRate
            samples = w.samples
            flags = w.flags.rawValue
        }
    }

    func line(_ encoder: JSONEncoder) -> String {
        guard let data = try? encoder.encode(self) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    func decoded() -> Decoded? {
        let metric = self.metric.flatMap { Metric(rawValue: $0) }
        switch type {
        case "reading":
            guard let metric, let value, let device, let at else { return nil }
            return .reading(
                Observation(
                    reading: Reading(metric: metric, value: value, flags: QualityFlags(rawValue: flags ?? 0), deviceTime: deviceTime),
                    device: device, time: RunTime(milliseconds: run ?? 0), hostTime: at))
        case "device":
            guard let identity, let at else { return nil }
            return .item(.device(identity, at: at))
        case "alert":
            guard let at, let rule, let priority = priority.flatMap(AlertPriority.init(rawValue:)),
                let kind = kind.flatMap(AlertKind.init(rawValue:)), let event = event.flatMap(AlertEventKind.init(rawValue:)),
                let message
            else { return nil }
            return .item(
                .alert(
                    AlertEvent(
                        time: RunTime(milliseconds: run ?? 0), hostTime: at, rule: rule, priority: priority, kind: kind,
                        event: event, metric: metric, value: value, message: message, device: device, by: by,
                        occurrence: occurrence ?? 0), ticket: nil))
        case "device-event":
            guard let device, let at, let kind = kind.flatMap(DeviceEventKind.init(rawValue:)) else { return nil }
            return .item(
                .deviceEvent(
                    DeviceEvent(device: device, at: at, kind: kind, metric: metric, code: code, count: count, detail: message ?? "")))
        case "session-event":
            guard let at, let kind = kind.flatMap(SessionEventKind.init(rawValue:)) else { return nil }
            return .item(.sessionEvent(SessionEvent(sessionID: sessionID ?? 0, at: at, kind: kind, text: message ?? "", by: by)))
        case "waveform":
            guard let device, let at, let metric, let sampleRate, let samples else { return nil }
            return .item(
                .waveform(
                    device: device, at: at,
                    Waveform(metric: metric, sampleRate: sampleRate, samples: samples, flags: QualityFlags(rawValue: flags ?? 0))))
        default:
            return nil
        }
    }
}
