import VitalsCore

/// The decoder of Nonin's ASCII real-time output: `SPO2=XXX HR=YYY` lines ending in CR/LF, one a
/// second (reference protocols-spo2.md 1.11; line grammar in `NoninASCIILine`).
///
/// A data line gives an SpO2 and a pulse reading, or `.status(.valueMissing)` for `---`. The
/// format has no status bits: `---` is all it says when there is no finger, so no `.sensorOff`
/// status is inferred and readings carry no flags. An `HH:MM:SS` prefix becomes
/// `DeviceTime(.counter)` in milliseconds since the device's midnight (the line has no date).
/// CR, LF or CR LF end a line; empty lines and headers are ignored. A malformed line (or one
/// longer than 80 bytes) counts as a bad frame and, if the decoder was in step, emits
/// `.syncLost` with the line's offset; the next data line emits `.syncAcquired`. A partial line
/// at the very start of a stream is dropped without a sync status.
public struct NoninASCIIDecoder: DeviceDecoder {
    /// Counts of data lines, bad lines, skipped bytes and resyncs.
    public private(set) var statistics = DecoderStatistics()

    /// The longest line accepted, without its terminator.
    public static let maximumLineLength = 80

    private var line: [UInt8] = []
    private var lineStart = 0
    private var overflow = false
    private var offset = 0
    private var locked = false
    private var everLocked = false

    /// A decoder at the start of a stream.
    public init() {}

    /// Feeds `bytes`; appends the events of every line they complete.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [DecoderEvent]) {
        statistics.bytes += bytes.count
        for b in bytes {
            if b == 0x0D || b == 0x0A {
                endLine(into: &events)
                lineStart = offset + 1
            } else if line.count < Self.maximumLineLength {
                line.append(b)
            } else {
                overflow = true
            }
            offset += 1
        }
    }

    private mutating func endLine(into events: inout [DecoderEvent]) {
        defer {
            line.removeAll(keepingCapacity: true)
            overflow = false
        }
        guard !line.isEmpty || overflow else { return }
        let kind: NoninASCIILine.Kind = overflow
            ? .malformed("line longer than \(Self.maximumLineLength) bytes")
            : NoninASCIILine.parse(line[...])
        switch kind {
        case .header:
            return
        case .malformed(let why):
            statistics.badFrames += 1
            statistics.skippedBytes += offset - lineStart
            if locked {
                locked = false
                events.append(.status(DeviceStatus(.syncLost, detail: "line rejected: \(why)", byteOffset: lineStart)))
            }
        case .data(let data):
            statistics.frames += 1
            if !locked {
                if everLocked {
                    statistics.resyncs += 1
                    events.append(.status(DeviceStatus(.syncAcquired, byteOffset: lineStart)))
                }
                locked = true
                everLocked = true
            }
            let time = data.timeOfDay.map { DeviceTime(milliseconds: Int64($0) * 1000, kind: .counter) }
            if let v = data.spo2 {
                events.append(.reading(Reading(metric: .spo2, value: Double(v), deviceTime: time)))
            } else {
                events.append(.status(DeviceStatus(.valueMissing, metric: .spo2, detail: "SPO2=---", deviceTime: time)))
            }
            if let v = data.heartRate {
                events.append(.reading(Reading(metric: .pulse, value: Double(v), deviceTime: time)))
            } else {
                events.append(.status(DeviceStatus(.valueMissing, metric: .pulse, detail: "HR=---", deviceTime: time)))
            }
        }
    }
}
