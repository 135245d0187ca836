import Foundation
import Testing
@testable import VitalsCore

@Suite struct JSONLineTests {
    @Test func readingLineMatchesDesignExactly() {
        let o = Observation(
            reading: Reading(metric: .spo2, value: 97), device: "nonin-df7",
            time: RunTime(milliseconds: 12_000), hostTime: VirtualClock.defaultEpoch + 12_000)
        #expect(o.jsonLine == #"{"type":"reading","t":12.0,"at":"2026-01-01T09:00:12.000Z","device":"nonin-df7","metric":"spo2","value":97,"unit":"%","flags":[]}"#)
    }

    @Test func alertLineMatchesDesignFields() throws {
        let e = AlertEvent(
            time: RunTime(milliseconds: 615_000), hostTime: VirtualClock.defaultEpoch + 615_000, rule: "spo2-low",
            priority: .high, kind: .physiological, event: .raised, metric: .spo2, value: 88,
            message: "SpO2 88% \"low\"\nline")
        let line = e.jsonLine
        #expect(line.hasPrefix(#"{"type":"alert","t":615.0,"at":"2026-01-01T09:10:15.000Z","rule":"spo2-low","priority":"high","kind":"physiological","event":"raised","metric":"spo2","value":88,"message":"#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == "SpO2 88% \"low\"\nline")
    }

    @Test func numbersAndEscapes() throws {
        var w = JSONObjectWriter()
        w.add("a", number: 1.5)
        w.add("b", number: .nan)
        w.add("c", "\u{01}\t\\")
        w.add("d", number: -3)
        #expect(w.line == #"{"a":1.5,"b":null,"c":"\u0001\t\\","d":-3}"#)
        _ = try JSONSerialization.jsonObject(with: Data(w.line.utf8))
    }

    @Test func flagNamesRoundTrip() {
        let all = QualityFlags.named.reduce(QualityFlags()) { $0.union($1.0) }
        #expect(QualityFlags(names: all.names) == all)
        #expect(QualityFlags(names: ["sensor-off", "bogus"]) == nil)
        #expect(!QualityFlags.held.isPhysiologicallyValid)
        #expect(QualityFlags.lowBattery.isPhysiologicallyValid)
    }

    @Test func metricCodesAreTheReferenceOnes() {
        #expect(Metric.spo2.mdcCode == 150456)
        #expect(Metric.nibpSystolic.mdcCode == 150021)
        #expect(Metric.nibpSystolic.loinc == "8480-6")
        #expect(Metric(name: "nibp.map") == .nibpMean)
        #expect(Set(Metric.allCases.map(\.storageCode)).count == Metric.allCases.count)
        for m in Metric.allCases { #expect(Metric(storageCode: m.storageCode) == m) }
    }
}
