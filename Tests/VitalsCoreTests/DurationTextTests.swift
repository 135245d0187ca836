import Testing
@testable import VitalsCore

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("30s", Int64(30_000)), ("10m", 600_000), ("2h", 7_200_000), ("1h30m", 5_400_000),
        ("250ms", 250), ("90", 90_000), ("1.5s", 1500), ("0", 0),
    ])
    func parses(_ text: String, _ ms: Int64) {
        #expect(DurationText.parse(text)?.milliseconds == ms)
    }

    @Test(arguments: ["", "m", "10x", "-5s", "5s3", "abc", "1..2s"])
    func rejects(_ text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test func formatsRoundTrip() {
        for ms: Int64 in [250, 1000, 59_000, 600_000, 5_400_000, 7_201_500] {
            let text = DurationText.format(.milliseconds(ms))
            #expect(DurationText.parse(text)?.milliseconds == ms, "\(text)")
        }
    }
}
