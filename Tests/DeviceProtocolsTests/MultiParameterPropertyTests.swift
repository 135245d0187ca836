import Testing
import VitalsCore
@testable import DeviceProtocols

/// Properties of the three session profiles (contec-cms50-v7, ge-s5, philips-intellivue) on
/// seeded random inputs: values survive the whole session, no value is ever invented from damage,
/// random bytes decode the same in any chunking and never give an implausible reading.
@Suite struct MultiParameterPropertyTests {
    static let names = ["contec-cms50-v7", "ge-s5", "philips-intellivue"]
    static func profile(_ name: String) -> any DeviceProfile.Type { ProfileCatalog.profile(named: name)! }

    /// Random monitor snapshots, each held for `hold` seconds so slow profiles (GE every 5 s) see them.
    static func snapshots(_ rng: inout SplitMix64, count: Int, hold: Int) -> [VitalSnapshot] {
        var out: [VitalSnapshot] = []
        while out.count < count {
            func maybe(_ range: ClosedRange<Int>) -> Int? { rng.next() % 6 == 0 ? nil : Int(rng.next() % UInt64(range.count)) + range.lowerBound }
            let s = VitalSnapshot(
                spo2: maybe(60...100), pulse: maybe(30...250), perfusionIndex: maybe(1...2000).map { Double($0) / 100 },
                heartRate: maybe(30...250), respirationRate: maybe(1...60), airwayRespirationRate: maybe(0...60),
                etco2: maybe(0...90).map(Double.init), temperature: maybe(300...420).map { Double($0) / 10 })
            out += Array(repeating: s, count: hold)
        }
        return Array(out.prefix(count))
    }

    /// The values a snapshot shows, per metric.
    static func shown(_ s: VitalSnapshot) -> [Metric: Double] {
        var v: [Metric: Double] = [:]
        v[.spo2] = s.spo2.map(Double.init)
        v[.pulse] = s.pulse.map(Double.init)
        v[.pi] = s.perfusionIndex
        v[.hr] = s.heartRate.map(Double.init)
        v[.resp] = s.respirationRate.map(Double.init)
        v[.awrr] = s.airwayRespirationRate.map(Double.init)
        v[.etco2] = s.etco2
        v[.temp] = s.temperature
        return v
    }

    @Test(arguments: names, [UInt64(1), 2, 3])
    func everyDecodedValueWasShownAndEveryShownValueArrives(_ name: String, seed: UInt64) {
        let p = Self.profile(name)
        var rng = SplitMix64(seed: seed)
        let hold = name == "ge-s5" ? 10 : 3
        let snaps = Self.snapshots(&rng, count: 120, hold: hold)
        var session = SessionSimulation(profile: p)
        session.run(until: .seconds(120)) { snaps[min($0, snaps.count - 1)] }
        let decoded = OximeterTestSupport.readings(session.events)
        #expect(!decoded.isEmpty)
        var shownPerMetric: [Metric: Set<Double>] = [:]
        for s in snaps { for (m, v) in Self.shown(s) { shownPerMetric[m, default: []].insert(v) } }
        for r in decoded {
            #expect(shownPerMetric[r.metric]?.contains { abs($0 - r.value) < 0.051 } == true, "\(name): \(r.metric.name)=\(r.value) never shown")
            #expect(r.metric.plausibleRange.contains(r.value))
        }
        // Each metric the profile carries and the snapshots showed arrives at least once.
        for m in p.metrics where m != .pleth && !m.isBloodPressure {
            guard let set = shownPerMetric[m], !set.isEmpty else { continue }
            #expect(decoded.contains { $0.metric == m }, "\(name): no \(m.name) decoded")
        }
    }

    @Test(arguments: names, [UInt64(7), 8])
    func damageNeverInventsAValue(_ name: String, seed: UInt64) {
        let p = Self.profile(name)
        var rng = SplitMix64(seed: seed)
        let snaps = Self.snapshots(&rng, count: 60, hold: name == "ge-s5" ? 10 : 3)
        var session = SessionSimulation(profile: p)
        session.run(until: .seconds(60)) { snaps[min($0, snaps.count - 1)] }
        var bytes = session.script.deviceBytes
        let clean = OximeterTestSupport.readings(FixtureSupport.decode(bytes, profile: p, chunks: []))
        let allowed = Set(clean.map { "\($0.metric.name)=\($0.value)" })
        for _ in 0..<40 {
            let i = Int(rng.next() % UInt64(bytes.count))
            switch rng.next() % 3 {
            case 0: bytes[i] ^= UInt8(1) << UInt8(rng.next() % 8)
            case 1: bytes.remove(at: i)
            default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: i)
            }
        }
        let damaged = OximeterTestSupport.readings(FixtureSupport.decode(bytes, profile: p, chunks: FixtureSupport.randomChunks(seed: seed)))
        for r in damaged {
            // Contec V7 has no checksum: a value another package carried is possible only after three identical
            // damaged packages, which 40 scattered hits over 60 s of packages do not make.
            #expect(allowed.contains("\(r.metric.name)=\(r.value)"), "\(name): phantom \(r.metric.name)=\(r.value)")
        }
    }

    @Test(arguments: names, [UInt64(11), 12, 13])
    func randomBytesDecodeTheSameInAnyChunking(_ name: String, seed: UInt64) {
        let p = Self.profile(name)
        var rng = SplitMix64(seed: seed)
        // Random bytes rich in each protocol's delimiters.
        let specials: [UInt8] = [0x7E, 0x7D, 0xC0, 0xC1, 0x01, 0x80, 0x11, 0x00, 0xE1, 0xFF]
        let bytes: [UInt8] = (0..<20_000).map { _ in
            rng.next() % 3 == 0 ? specials[Int(rng.next() % UInt64(specials.count))] : UInt8(truncatingIfNeeded: rng.next())
        }
        var whole = p.makeDecoder()
        let a = whole.decode(bytes)
        #expect(FixtureSupport.decode(bytes, profile: p, chunks: FixtureSupport.randomChunks(seed: seed)) == a)
        #expect(FixtureSupport.decode(bytes, profile: p, chunks: [1]) == a)
        for r in OximeterTestSupport.readings(a) { #expect(r.metric.plausibleRange.contains(r.value)) }
        #expect(whole.statistics.bytes == bytes.count)
    }
}
