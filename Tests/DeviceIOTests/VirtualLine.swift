import DeviceIO
import DeviceProtocols
import VitalsCore

/// A device of `profile` streaming on a virtual serial line, probed by a ``ProbeSession`` on a
/// virtual clock: what the prober hears under the device's own settings is the device's bytes,
/// under any other setting noise at the same byte rate (what a UART at the wrong speed gives).
/// The probe starts `startOffset` into the stream, mid-frame.
struct VirtualLine {
    let profile: any DeviceProfile.Type
    /// Whether the device sends on its own (false: it only answers the host).
    var streams = true
    var startOffset: Duration = .milliseconds(137)
    var seconds = 30
    /// What a host sent the device before the probe (a V7 device a previous session started).
    var startedBy: [UInt8]? = nil

    /// Runs the probe to its decision.
    func probe(_ plan: ProbePlan, timing: ProbeSession.Timing = ProbeSession.Timing()) -> (outcome: ProbeOutcome, writes: [[UInt8]]) {
        var encoder = profile.makeEncoder()
        if let startedBy { _ = encoder.receive(startedBy) }
        var chunks: [(at: Int64, bytes: [UInt8])] = []
        if streams {
            let period = encoder.period
            let samples = Int((profile.waveformSampleRate ?? 0) * Double(period.milliseconds) / 1000)
            var t = Duration.zero
            while t < .seconds(seconds) {
                let snapshot = VitalSnapshot(
                    spo2: 97, pulse: 64, perfusionIndex: 2.1,
                    pleth: (0..<samples).map { ($0 * 7) % max(1, profile.waveformMaximum / 2) })
                for chunk in encoder.encode(snapshot) {
                    let at = (t + chunk.offset - startOffset).milliseconds
                    if at >= 0 {
                        chunks.append((at, chunk.bytes))
                    } else if (t + chunk.offset + .milliseconds(100) - startOffset) >= .zero, chunk.bytes.count > 2 {
                        // The chunk the probe starts in: only its tail is heard.
                        chunks.append((0, Array(chunk.bytes.suffix(chunk.bytes.count / 2))))
                    }
                }
                t += period
            }
        }
        var session = ProbeSession(plan: plan, timing: timing)
        var noise = NoiseSource()
        var writes: [[UInt8]] = []
        var pending = session.start(at: .zero)
        var next = 0
        var now: Int64 = 0
        while true {
            for action in pending {
                switch action {
                case .finished(let outcome): return (outcome, writes)
                case .listen: break
                case .write(let bytes, _):
                    writes.append(bytes)
                    let reply = encoder.receive(bytes)
                    if !reply.isEmpty, session.currentSettings?.sameLine(as: profile.serial) == true {
                        let at = now + 20
                        let i = chunks.firstIndex { $0.at > at } ?? chunks.count
                        chunks.insert((at, reply), at: i)
                    }
                }
            }
            pending = []
            let deadline = session.nextDeadline?.milliseconds ?? Int64.max
            if next < chunks.count, chunks[next].at <= deadline {
                now = max(now, chunks[next].at)
                let bytes = chunks[next].bytes
                next += 1
                let heard = session.currentSettings?.sameLine(as: profile.serial) == true ? bytes : noise.bytes(bytes.count)
                pending = session.received(heard, at: RunTime(milliseconds: now))
            } else if deadline != Int64.max {
                now = max(now, deadline)
                pending = session.tick(at: RunTime(milliseconds: now))
            } else {
                fatalError("the probe neither decided nor asked for a tick")
            }
        }
    }
}

/// Deterministic noise in the shape a UART at the wrong speed produces: many 0x00, 0x80 and
/// 0xF0-0xFF bytes, the rest anything.
struct NoiseSource {
    var state: UInt32 = 0x1234_5678

    mutating func bytes(_ n: Int) -> [UInt8] {
        (0..<n).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            let r = UInt8(truncatingIfNeeded: state >> 24)
            switch r % 4 {
            case 0: return 0x00
            case 1: return 0xF0 | (r & 0x0F)
            case 2: return 0x80
            default: return UInt8(truncatingIfNeeded: state >> 16)
            }
        }
    }
}
