import Foundation
import Testing
@testable import RulesEngine
import VitalsCore

/// The rule set owns its limits: every override is checked against a name, a finite value and
/// the range the file declares, and the engine never takes a value it could not use.
@Suite struct LimitValidationTests {
    static let ketamine = TestSupport.rulesDirectory + "/ketamine.yaml"

    enum Expected: Sendable, CustomStringConvertible {
        case accepted
        case unknown(String?)
        case notFinite
        case outOfRange
        case notOverridable

        var description: String {
            switch self {
            case .accepted: "accepted"
            case .unknown(let s): "unknown(\(s ?? "-"))"
            case .notFinite: "notFinite"
            case .outOfRange: "outOfRange"
            case .notOverridable: "notOverridable"
            }
        }
    }

    /// The issue's examples and the edges of the declared ranges (Rules/ketamine.yaml).
    static let table: [(String, Double, Expected)] = [
        ("spo2_low", 88, .accepted),
        ("spo2_low", 80, .accepted),
        ("spo2_low", 96, .accepted),
        ("spo2_low", 79.9, .outOfRange),
        ("spo2_low", -1, .outOfRange),
        ("spo2_low", 101, .outOfRange),
        ("spo2_lo", 88, .unknown("spo2_low")),
        ("zzzzzzzz", 1, .unknown(nil)),
        ("stale_spo2", 30, .accepted),
        ("stale_spo2", 1e300, .outOfRange),
        ("stale_spo2", -5, .outOfRange),
        ("stale_spo2", 0, .outOfRange),
        ("stale_spo2", .nan, .notFinite),
        ("stale_spo2", .infinity, .notFinite),
        ("spo2_low", -.infinity, .notFinite),
        ("bp_crisis_sys", 170, .accepted),
        ("bp_crisis_sys", 400, .outOfRange),
        ("pulse_high", 130, .accepted),
        ("pulse_high", 0, .outOfRange),
        ("stale_nibp", 900, .accepted),
        ("stale_nibp", 86_401, .outOfRange),
        ("rems_bp_from", 1800, .notOverridable),
    ]

    @Test(arguments: 0..<table.count)
    func validationTable(_ row: Int) throws {
        let (name, value, expected) = Self.table[row]
        let set = try RuleSet.load(path: Self.ketamine)
        let v = set.validate(limits: [name: value])
        switch expected {
        case .accepted:
            #expect(v.isValid && v.accepted == [name: value], "\(name)=\(value): \(v.refusals)")
        case .unknown(let suggestion):
            #expect(v.accepted.isEmpty)
            #expect(v.refusals.map(\.reason) == [.unknown(suggestion: suggestion)], "\(name)=\(value)")
        case .notFinite:
            #expect(v.refusals.map(\.reason) == [.notFinite], "\(name)=\(value)")
        case .outOfRange:
            let limit = try #require(set.limit(named: name))
            #expect(v.refusals.map(\.reason) == [.outOfRange(limit.range)], "\(name)=\(value)")
        case .notOverridable:
            #expect(v.refusals.map(\.reason) == [.notOverridable], "\(name)=\(value)")
        }
        for r in v.refusals {
            #expect(r.description.contains(name))
            #expect(r.sessionAlertMessage.hasPrefix("session limit \(name)="))
        }
        // The engine takes exactly what validation accepts, and never crashes on the rest.
        if v.isValid {
            let e = try RuleEngine(rules: set, limits: [name: value])
            #expect(e.limitValues[name] == value)
        } else {
            #expect(throws: LimitRefusal.self) { try RuleEngine(rules: set, limits: [name: value]) }
        }
    }

    @Test func aRefusedStoredValueReadsAsATechnicalAlertMessage() throws {
        let set = try RuleSet.load(path: Self.ketamine)
        let v = set.validate(limits: ["stale_spo2": 1e300, "spo2_low": 88, "spo2_lo": 88])
        #expect(v.accepted == ["spo2_low": 88])
        #expect(v.refusals.map(\.name) == ["spo2_lo", "stale_spo2"])
        #expect(v.refusals[1].sessionAlertMessage
            == "session limit stale_spo2=1e+300 refused: `stale_spo2` must be 5s to 1m, not 1e+300 s; running on the rule default 25s")
        #expect(v.refusals[0].sessionAlertMessage
            == "session limit spo2_lo=88 refused: unknown limit `spo2_lo`; did you mean `spo2_low`?; kept for the record only")
        #expect(throws: LimitRefusal.self) { try v.get() }
    }

    @Test func everyShippedLimitHasARangeHoldingItsDefault() throws {
        let set = try RuleSet.load(path: Self.ketamine)
        for l in set.limits {
            #expect(l.range.contains(l.defaultValue), "\(l.name)")
            let bound = Limit.defaultRange(unit: l.unit, isDuration: l.isDuration)
            if l.isOverridable {
                #expect(bound.contains(l.range.lowerBound) && bound.contains(l.range.upperBound), "\(l.name)")
            }
            if l.isDuration { #expect(l.range.lowerBound > 0 && l.range.upperBound <= 86_400, "\(l.name)") }
        }
    }

    @Test func unitKindsGetADefaultRange() throws {
        let set = try TestSupport.rules("""
            limits:
              p: {default: 90, unit: "%"}
              bp: {default: 120, unit: "mmHg"}
              rate: {default: 60, unit: "/min"}
              d: 30s
              n: 3
            rules:
              - id: r
                title: t
                priority: low
                kind: technical
                when: spo2 < p and nibp.sys < bp and pulse < rate and age(spo2) < d and count(spo2 < 90, 1m) > n
            """)
        #expect(set.limit(named: "p")?.range == 0...100)
        #expect(set.limit(named: "bp")?.range == 0...300)
        #expect(set.limit(named: "rate")?.range == 0...350)
        #expect(set.limit(named: "d")?.range == 0.001...86_400)
        #expect(set.limit(named: "n")?.range == -1e9...1e9)
        #expect(!set.validate(limits: ["n": 1e300]).isValid)
    }

    @Test func theEngineNeverCrashesOnAnyDouble() throws {
        let set = try RuleSet.load(path: Self.ketamine)
        let weird: [Double] = [.nan, .infinity, -.infinity, 1e300, -1e300, .greatestFiniteMagnitude, -0.0, .leastNonzeroMagnitude]
        for l in set.limits {
            for x in weird {
                let ok = set.validate(limits: [l.name: x]).isValid
                do {
                    let e = try RuleEngine(rules: set, limits: [l.name: x])
                    #expect(ok, "\(l.name)=\(x) reached the engine")
                    _ = e.tick(at: RunTime(seconds: 1))
                } catch {
                    #expect(!ok)
                }
            }
        }
    }

    @Test func remsWindowsComeFromTheFile() throws {
        let set = try RuleSet.load(path: Self.ketamine)
        #expect(set.rems.postDoseCheckMilliseconds == 40 * 60_000)
        #expect(set.rems.postDoseWindowMilliseconds == 30 * 60_000...50 * 60_000)
        #expect(set.rems.observationMilliseconds == 2 * 3_600_000)
        #expect(set.rems.beforeDischargeMilliseconds == 30 * 60_000)
        #expect(set.rems.predoseWindowMilliseconds == 3_600_000)
        // The reminder rule reads the same window, through limits the section defines.
        #expect(set.limit(named: "rems_bp_from")?.defaultValue == 1800)
        #expect(set.limit(named: "rems_bp_to")?.defaultValue == 3000)
        #expect(set.limit(named: "rems_bp_to")?.isOverridable == false)

        let text = try String(contentsOfFile: Self.ketamine, encoding: .utf8)
            .replacingOccurrences(of: "post_dose_check: {at: 40m, window: [30m, 50m]}", with: "post_dose_check: {at: 45m, window: [35m, 55m]}")
        let moved = try RuleSet.parse(yaml: text)
        #expect(moved.rems.postDoseCheckMilliseconds == 45 * 60_000)
        #expect(moved.rems.postDoseWindowMilliseconds == 35 * 60_000...55 * 60_000)
        #expect(moved.limit(named: "rems_bp_to")?.defaultValue == 3300)
        // Without a section: the standard windows, and no derived limits.
        let bare = try TestSupport.rules(TestSupport.rule("spo2 < low"))
        #expect(bare.rems == .standard)
        #expect(bare.limit(named: "rems_bp_from") == nil)
    }

    @Test func theSourceHashIsSha256sumOfTheFile() throws {
        // FIPS 180-2 test vector.
        #expect(RuleSetSource.sha256(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let set = try RuleSet.load(path: Self.ketamine)
        let source = try #require(set.source)
        #expect(source.path == Self.ketamine)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [Self.ketamine]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(out.hasPrefix(source.sha256 + " "))
        // A folder's hash changes when one of its files does.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rules-hash-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let yaml = TestSupport.rule("spo2 < low")
        try yaml.write(toFile: dir + "/a.yaml", atomically: true, encoding: .utf8)
        let first = try #require(try RuleSet.load(path: dir).source?.sha256)
        try (yaml + "\n# edited\n").write(toFile: dir + "/a.yaml", atomically: true, encoding: .utf8)
        let second = try #require(try RuleSet.load(path: dir).source?.sha256)
        #expect(first != second && first.count == 64)
        #expect(try RuleSet.parse(yaml: yaml).source == nil)
    }
}
