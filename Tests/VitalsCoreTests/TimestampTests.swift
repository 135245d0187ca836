import Testing
@testable import VitalsCore

@Suite struct TimestampTests {
    @Test func formatsTheDesignExample() {
        #expect(Timestamp.iso8601(milliseconds: VirtualClock.defaultEpoch + 12_000) == "2026-01-01T09:00:12.000Z")
        #expect(Timestamp.iso8601(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.iso8601(milliseconds: 951_827_696_789) == "2000-02-29T12:34:56.789Z")
    }

    @Test func parsesWhatItFormats() {
        for ms: Int64 in [0, 1, 999, 86_399_999, 951_827_696_789, 4_102_444_799_999] {
            #expect(Timestamp.parseISO8601(Timestamp.iso8601(milliseconds: ms)) == ms)
        }
    }

    @Test func parsesOffsetsAndRejectsNonsense() {
        #expect(Timestamp.parseISO8601("2026-01-01T10:00:00+01:00") == VirtualClock.defaultEpoch - 3_600_000 + 3_600_000)
        #expect(Timestamp.parseISO8601("2026-01-01T09:00:00") == VirtualClock.defaultEpoch)
        #expect(Timestamp.parseISO8601("2026-02-30T09:00:00Z") == nil)
        #expect(Timestamp.parseISO8601("2026-01-01 9:00") == nil)
        #expect(Timestamp.parseISO8601("yesterday") == nil)
        #expect(Timestamp.parseISO8601("2026-01-01T09:00:00Zjunk") == nil)
    }
}
