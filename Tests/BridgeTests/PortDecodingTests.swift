import Bridge
import DeviceIO
import DeviceProtocols
import Foundation
import RulesEngine
import Testing
import VitalsCore

/// `vitals run` decodes on its reader thread and wakes the room core only when something decoded
/// (issue 18): what it hands over, when, and that the core makes the same of it as of raw bytes.
@Suite struct PortDecodingTests {
    /// One read: the bytes of one encoder chunk, at its run time (ms).
    struct Read {
        var bytes: [UInt8]
        var ms: Int64
    }

    /// `seconds` of a stable oximeter as the device writes it, a chunk a read.
    static func reads(_ profile: any DeviceProfile.Type, seconds: Int, spo2: (Int64) -> Int = { _ in 97 }) -> [Read] {
        var encoder = profile.makeEncoder()
        var out: [Read] = []
        var start: Int64 = 0
        while start < Int64(seconds) * 1000 {
            var snap = VitalSnapshot(deviceTime: DeviceTime(milliseconds: start, kind: .counter))
            snap.spo2 = spo2(start)
            snap.pulse = 70
            for chunk in encoder.encode(snap) { out.append(Read(bytes: chunk.bytes, ms: start + chunk.offset.milliseconds)) }
            start += encoder.period.milliseconds
        }
        return out
    }

    @Test func aNoninDF7HandsOverOncePerPacketNotPerFrame() throws {
        let reads = Self.reads(NoninDF7.self, seconds: 6)
        var decoding = PortDecoding(profile: NoninDF7.self)
        var handed: [(DecodedBytes, Int64)] = []
        for r in reads {
            if let d = r.bytes.withUnsafeBytes({ decoding.decode($0, at: RunTime(milliseconds: r.ms)) }) { handed.append((d, r.ms)) }
        }
        var whole = PortDecoding(profile: NoninDF7.self)
        let all = reads.flatMap(\.bytes).withUnsafeBytes { whole.decode($0) }
        // A read a frame, 25 frames a packet.
        let packets = reads.count / 25
        #expect(reads.count == packets * 25 && packets >= 18)
        // The first frames at once (the connection streams without waiting for a packet), then
        // one hand-over per packet. Never one per read.
        #expect(handed.count <= packets + 1, "\(handed.count) hand-overs for \(reads.count) reads")
        // DF7 locks on its second frame (it has no constant byte), and reports it at once.
        let first = try #require(handed.first)
        #expect(first.1 == reads[1].ms && first.0.frames == 2 && first.0.events.isEmpty)
        // Nothing lost, nothing reordered: the same events and frames as decoding it all at once.
        #expect(handed.flatMap(\.0.events) == all.events)
        #expect(handed.map(\.0.frames).reduce(0, +) == all.frames)
        #expect(all.frames == reads.count)
    }

    @Test func anEventIsHandedOverInTheReadThatCompletesIt() throws {
        // Masimo: one line a second, each completing readings: every read that carries a line's
        // last byte is handed over at once, whatever was handed just before.
        let reads = Self.reads(MasimoASCII.self, seconds: 5)
        var decoding = PortDecoding(profile: MasimoASCII.self)
        for r in reads {
            var one = PortDecoding(profile: MasimoASCII.self)
            let alone = Array(reads.prefix { $0.ms <= r.ms }.flatMap(\.bytes)).withUnsafeBytes { one.decode($0) }
            let got = r.bytes.withUnsafeBytes { decoding.decode($0, at: RunTime(milliseconds: r.ms)) }
            if r.bytes.last == 0x0A {
                let handed = try #require(got, "a complete line at \(r.ms) ms was held back")
                #expect(!handed.events.isEmpty)
                #expect(alone.events.suffix(handed.events.count) == handed.events[...])
            }
        }
    }

    @Test func framesWithoutEventsAreReportedAtLeastEverySecond() throws {
        // DF7 frames read 400 ms apart: a packet (25 frames) takes 10 s, so frames come for
        // seconds without an event. They are reported often enough that the device never looks
        // quiet (expected gap 2 s), and still far less often than they are read.
        let reads = Self.reads(NoninDF7.self, seconds: 1).prefix(75)
        var decoding = PortDecoding(profile: NoninDF7.self)
        #expect(decoding.frameReportInterval == .seconds(1))
        var reports: [Int64] = []
        for (i, r) in reads.enumerated() {
            let ms = Int64(i) * 400
            if let d = r.bytes.withUnsafeBytes({ decoding.decode($0, at: RunTime(milliseconds: ms)) }) {
                #expect(d.frames > 0)
                reports.append(ms)
            }
        }
        let gaps = zip(reports.dropFirst(), reports).map { $0 - $1 }
        #expect(reports.first == 400)
        #expect(gaps.allSatisfy { $0 <= 1000 + 400 }, "\(gaps)")
        #expect(reports.count < reads.count / 2)
    }

    /// Bytes that decode no frame are handed over after waiting the report interval (the core
    /// drops a kept identity that no longer decodes from them), and never after a first frame.
    @Test func bytesThatDecodeNothingReachTheCoreBeforeTheFirstFrameOnly() throws {
        var decoding = PortDecoding(profile: NoninDF7.self)
        let noise: [UInt8] = Array(repeating: 0x55, count: 40)
        var handed: [(DecodedBytes, Int64)] = []
        for ms in stride(from: Int64(0), through: 2400, by: 200) {
            if let d = noise.withUnsafeBytes({ decoding.decode($0, at: RunTime(milliseconds: ms)) }) { handed.append((d, ms)) }
        }
        #expect(handed.map(\.1) == [1000, 2200], "\(handed.map(\.1))")
        #expect(handed.allSatisfy { $0.0.frames == 0 && $0.0.bytes > 0 })
        #expect(handed.last?.0.statistics.bytes == 12 * 40)
        // After a frame, noise alone wakes nobody.
        var streaming = PortDecoding(profile: NoninDF7.self)
        for r in Self.reads(NoninDF7.self, seconds: 2) {
            _ = r.bytes.withUnsafeBytes { streaming.decode($0, at: RunTime(milliseconds: r.ms)) }
        }
        var late = 0
        for ms in stride(from: Int64(3000), through: 9000, by: 200) {
            if let d = noise.withUnsafeBytes({ streaming.decode($0, at: RunTime(milliseconds: ms)) }), d.events.isEmpty { late += 1 }
        }
        #expect(late == 0)
    }

    @Test func theCoreMakesTheSameOfDecodedBytesAsOfRawBytes() throws {
        let rules = try RoomCoreTests.rules
        // SpO2 falls to 85 for 40 s in the middle: the alert is raised and cleared.
        let reads = Self.reads(NoninDF7.self, seconds: 120) { $0 >= 30_000 && $0 < 70_000 ? 85 : 97 }
        func run(decodingInShell: Bool) -> RoomCoreTests.Harness {
            let h = RoomCoreTests.Harness(rules: rules)
            h.attach(NoninDF7.self, name: "ox")
            let handle = h.handles["ox"]!
            var shell = h.room.decoding(for: handle)!
            for r in reads {
                h.run(to: r.ms)
                if decodingInShell {
                    if let d = r.bytes.withUnsafeBytes({ shell.decode($0, at: RunTime(milliseconds: r.ms)) }) {
                        h.feed(.decoded(handle, d), at: r.ms)
                    }
                } else {
                    h.feed(.bytes(handle, r.bytes), at: r.ms)
                }
            }
            h.run(to: 130_000)
            return h
        }
        let raw = run(decodingInShell: false)
        let shell = run(decodingInShell: true)
        #expect(raw.readings.count > 200)
        #expect(shell.readings.map(\.value) == raw.readings.map(\.value))
        #expect(shell.readings.map(\.time) == raw.readings.map(\.time))
        #expect(shell.alerts.map { "\($0.rule) \($0.event) \($0.time.milliseconds)" } == raw.alerts.map { "\($0.rule) \($0.event) \($0.time.milliseconds)" })
        #expect(raw.alerts.contains { $0.event == .raised && $0.metric == .spo2 })
        #expect(shell.connections.map(\.0) == raw.connections.map(\.0))
        // A handle the core has replaced gets no decoding.
        #expect(shell.room.decoding(for: PortHandle(device: "ox", generation: 99)) == nil)
    }
}
