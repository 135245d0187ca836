import Foundation
import Store
import VitalsCore

/// The backtest benchmark's room database (issue 18, goal 4): `sessions` sessions of `hours`
/// hours each, back to back, every one with SpO2, pulse rate, EtCO2 and airway respiration rate
/// at 1 Hz and an NIBP measurement (systolic, diastolic, mean, pulse) every 5 minutes, from one
/// multi-parameter monitor (`ge-s5`, whose metrics cover all of them), the dose at 10 minutes.
/// 2,000 sessions of 2 h are 57.8 million readings: a busy clinic's year.
///
/// Written through the real `ReadingWriter`, `startSession`, `recordDose` and `endSession`, so
/// the database is what a room would have stored. Values are synthetic and deterministic (a
/// fixed-seed generator per session): steady vitals with noise, and in some sessions the
/// episodes the shipped rules are about (a desaturation, slow breathing, a hypertensive
/// reading), so the backtest has alerts to count. Not clinical data.
enum ClinicYear {
    static let device = "monitor-1"
    static let profile = "ge-s5"
    /// 2026-01-01 00:00 UTC.
    static let firstStart: Int64 = 1_767_225_600_000

    static func write(path: String, room: String, sessions: Int, hours: Int) throws {
        let db = try VitalsDatabase(path: path)
        let writer = ReadingWriter(
            database: db, configuration: WriterConfiguration(room: room, maxBatchReadings: 20_000),
            onError: { e in FileHandle.standardError.write(Data("vitals-test-writer: \(e)\n".utf8)) })
        let seconds = hours * 3600
        var total = 0
        var block: [Observation] = []
        block.reserveCapacity(4096)
        for index in 0..<sessions {
            // One session every `hours + 1` hours.
            let start = firstStart + Int64(index) * Int64(hours + 1) * 3_600_000
            let session = try db.startSession(SessionPlan(room: room, patientRef: "bench-\(index)"), at: start)
            writer.register(DeviceIdentity(profile: profile, name: device, serialNumber: "BENCH-1"), at: start)
            writer.record(DeviceEvent(device: device, at: start, kind: .connected))
            var random = SplitMix(seed: UInt64(index) &+ 1)
            let episode = Episodes(random: &random, seconds: seconds)
            for s in 0..<seconds {
                let t = start + Int64(s) * 1000
                func add(_ metric: Metric, _ value: Double, at: Int64 = t) {
                    block.append(Observation(
                        reading: Reading(metric: metric, value: value), device: device,
                        time: RunTime(milliseconds: at - start), hostTime: at))
                }
                let noise = random.unit()
                add(.spo2, episode.desaturation.contains(s) ? 86 : (96 + (noise * 3).rounded(.down)))
                add(.pulse, 70 + (random.unit() * 10).rounded(.down))
                add(.etco2, 36 + (random.unit() * 4).rounded(.down))
                add(.awrr, episode.slowBreathing.contains(s) ? 6 : 12 + (random.unit() * 5).rounded(.down))
                if s % 300 == 150 {
                    let high = episode.hypertensive == s / 300
                    let sys = high ? 185 : 115 + (random.unit() * 15).rounded(.down)
                    let dia = high ? 105 : 70 + (random.unit() * 10).rounded(.down)
                    let at = t + 400
                    add(.nibpSystolic, sys, at: at)
                    add(.nibpDiastolic, dia, at: at)
                    add(.nibpMean, ((sys + 2 * dia) / 3).rounded(), at: at)
                    add(.nibpPulse, 72, at: at)
                }
                if block.count >= 4000 {
                    total += block.count
                    writer.append(contentsOf: block)
                    block.removeAll(keepingCapacity: true)
                    while writer.statistics.pendingReadings > 40_000 { usleep(500) }
                }
            }
            total += block.count
            writer.append(contentsOf: block)
            block.removeAll(keepingCapacity: true)
            writer.flush()
            try db.recordDose(session: session.id, at: start + 600_000, text: "bench dose")
            try db.endSession(session.id, at: start + Int64(seconds) * 1000, reason: "bench")
            if index % 100 == 99 {
                FileHandle.standardError.write(Data("vitals-test-writer: \(index + 1) sessions, \(total) readings\n".utf8))
            }
        }
        let summary = writer.close()
        print("clinic-year \(sessions) sessions \(total) readings \(summary)")
    }

    /// The episodes of one session, in seconds from its start.
    struct Episodes {
        var desaturation: Range<Int> = 0..<0
        var slowBreathing: Range<Int> = 0..<0
        /// The NIBP cycle (5 min each) that reads hypertensive, or -1.
        var hypertensive = -1

        init(random: inout SplitMix, seconds: Int) {
            let late = max(1, seconds - 1800)
            if random.unit() < 0.25 {
                let at = 1200 + Int(random.unit() * Double(late))
                desaturation = at..<(at + 90)
            }
            if random.unit() < 0.125 {
                let at = 1200 + Int(random.unit() * Double(late))
                slowBreathing = at..<(at + 120)
            }
            if random.unit() < 0.1 { hypertensive = Int(random.unit() * Double(seconds / 300)) }
        }
    }
}

/// SplitMix64: a small, fixed-seed generator, so the database is the same on every machine.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// In [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
