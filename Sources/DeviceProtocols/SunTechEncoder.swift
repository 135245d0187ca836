import VitalsCore

/// A simulated SunTech Advantage OEM NIBP module: it answers host frames the way the reference
/// describes the module (reference/protocols-bp.md 2.1-2.3, [DEC x2]) and ends a measurement with
/// an unprompted `K`.
///
/// - `receive` takes host bytes in any chunking, keeps incomplete frames for the next call, and
///   ignores a frame whose checksum fails (the reference does not say how the module answers one;
///   silence makes the host time out and retry). Replies:
///   - start (`3A 20`, paediatric `3A 87`, neonate `3A 28`): `O` (`3E 04 4F 6F`) and a measurement
///     starts; `B` (busy) if one is running (a simulator choice);
///   - abort (`3A 79 01 00`): `A` (aborted), and the measurement stops without a `K` (a simulator
///     choice; the reference gives the characters' meanings, not this sequence);
///   - cuff pressure (`3A 79 05 00`): `3E 05 lo hi cks`, a made-up inflate-then-deflate curve while
///     measuring and 0 mmHg at rest;
///   - BP data (`3A 79 03 00`): the 24-byte result frame of the latest `snapshot.bloodPressure`
///     (its error code in byte 20 when non-zero); all zeros before any result;
///   - return string (`3A 79 02 40`): 67 bytes starting `LX` (Advantage); the text after the
///     prefix is made up;
///   - return code (`3A 79 02 03`): `3E 06 00 00 00 BC`, 0 = pass;
///   - every other command in the reference's table is parsed and left unanswered (not simulated).
/// - `encode` is called once a `period` (1 s): it keeps the snapshot's result and, once a running
///   measurement has lasted `measurementDuration`, sends `3E 04 4B 73` (K, complete).
///
/// The heartbeat count, BP status and test-code bytes of the result are written as 0: the
/// reference names them but does not say what values they take.
public struct SunTechEncoder: DeviceEncoder {
    /// One encoder call covers one second.
    public var period: Duration { .seconds(1) }
    /// How long a simulated measurement takes before `K`.
    public var measurementDuration: Duration
    /// The text of the return string (up to 64 bytes, NUL-padded); the module's starts `LX` or `SB`.
    public var returnString: String
    /// True while a measurement runs.
    public private(set) var isMeasuring = false
    /// Time since the running measurement started.
    private var elapsed: Duration = .zero
    /// The latest result a snapshot carried.
    private var latest: BloodPressureResult?
    /// Host bytes not yet part of a complete frame.
    private var hostBuffer: [UInt8] = []

    /// A module at rest.
    public init(measurementDuration: Duration = .seconds(30), returnString: String = "LX SIMULATED ADVANTAGE") {
        self.measurementDuration = measurementDuration
        self.returnString = returnString
    }

    /// Keeps the snapshot's result; ends a running measurement with `K` when its time is up.
    public mutating func encode(_ snapshot: VitalSnapshot) -> [EncodedChunk] {
        if let bp = snapshot.bloodPressure { latest = bp }
        guard isMeasuring else { return [] }
        elapsed += period
        guard elapsed >= measurementDuration else { return [] }
        isMeasuring = false
        elapsed = .zero
        return [EncodedChunk(offset: .zero, bytes: Self.statusFrame(.complete))]
    }

    /// The module's replies to every complete host frame in `hostBytes` (and earlier leftovers).
    public mutating func receive(_ hostBytes: [UInt8]) -> [UInt8] {
        hostBuffer += hostBytes
        var out: [UInt8] = []
        while let first = hostBuffer.first {
            guard first == SunTechFrame.hostStart else {
                hostBuffer.removeFirst()
                continue
            }
            guard hostBuffer.count >= 2 else { break }
            guard let length = SunTechFrame.hostFrameLength(command: hostBuffer[1]) else {
                hostBuffer.removeFirst()
                continue
            }
            guard hostBuffer.count >= length else { break }
            let frame = Array(hostBuffer[0..<length])
            guard SunTechFrame.sumsToZero(frame) else {
                hostBuffer.removeFirst()
                continue
            }
            hostBuffer.removeFirst(length)
            out += answer(frame)
        }
        return out
    }

    /// The reply to one valid host frame.
    private mutating func answer(_ frame: [UInt8]) -> [UInt8] {
        switch frame[1] {
        case 0x20, 0x87, 0x28:
            guard !isMeasuring else { return Self.statusFrame(.busy) }
            isMeasuring = true
            elapsed = .zero
            return Self.statusFrame(.received)
        case 0x79:
            switch (frame[2], frame[3]) {
            case (0x01, 0x00):
                isMeasuring = false
                elapsed = .zero
                return Self.statusFrame(.aborted)
            case (0x05, 0x00):
                let p = UInt16(cuffPressure)
                return SunTechFrame.moduleFrame([UInt8(p & 0xFF), UInt8(p >> 8)])
            case (0x03, 0x00):
                return Self.resultFrame(latest)
            case (0x02, 0x40):
                var text = Array(returnString.utf8.prefix(64))
                text += [UInt8](repeating: 0, count: 64 - text.count)
                return SunTechFrame.moduleFrame(text)
            case (0x02, 0x03):
                return SunTechFrame.moduleFrame([0, 0, 0])
            default:
                return []
            }
        default:
            return []
        }
    }

    /// Simulated cuff pressure, mmHg: up to SYS + 30 in the first fifth of the measurement, then
    /// down to 0 by its end; 0 at rest.
    private var cuffPressure: Int {
        guard isMeasuring else { return 0 }
        let peak = min(300, (latest?.systolic ?? 120) + 30)
        let total = max(1, measurementDuration.milliseconds)
        let inflate = max(1, total / 5)
        let t = min(elapsed.milliseconds, total)
        if t < inflate { return Int(Int64(peak) * t / inflate) }
        return Int(Int64(peak) * (total - t) / max(1, total - inflate))
    }

    /// `3E 04 c cks`.
    public static func statusFrame(_ c: SunTechStatusCharacter) -> [UInt8] {
        SunTechFrame.moduleFrame([c.rawValue])
    }

    /// The 24-byte BP result frame of `result` (reference 2.3); all value bytes 0 for `nil`.
    /// Values are clamped to their fields (SYS, DIA, MAP uint16; HR and error one byte).
    public static func resultFrame(_ result: BloodPressureResult?) -> [UInt8] {
        func le16(_ v: Int) -> [UInt8] {
            let u = UInt16(clamping: v)
            return [UInt8(u & 0xFF), UInt8(u >> 8)]
        }
        let r = result
        var data: [UInt8] = []
        data += le16(r?.systolic ?? 0)
        data += le16(r?.diastolic ?? 0)
        data += [0, 0] // heartbeats detected, BP status
        data += [UInt8](repeating: 0, count: 8) // test codes TC[0..7]
        data += [UInt8(clamping: r?.pulse ?? 0), 0] // HR, spare
        data += le16(r?.mean ?? 0)
        data += [UInt8(clamping: r?.errorCode ?? 0), 0, 0] // error code, spare
        return SunTechFrame.moduleFrame(data)
    }
}

