import Foundation
import Testing
@testable import Forwarding
import Store
import VitalsCore
import VitalsTestSupport

@Suite struct PCDEncoderTests {
    static let encoder = PCDEncoder(sender: PCDSender(application: "VITALS", eui64: "0012A1FFFE000001", facility: "WARD3"))

    @Test func textIsEscapedAndTimesAreUTCWithMilliseconds() {
        #expect(HL7Text.escape(#"a|b^c&d~e\f"#) == #"a\F\b\S\c\T\d\R\e\E\f"#)
        #expect(HL7Text.escape("two\nlines") == "two lines")
        #expect(HL7Text.time(1_735_732_800_123) == "20250101120000.123+0000")
        #expect(HL7Text.number(97) == "97")
        #expect(HL7Text.number(36.85) == "36.85")
    }

    @Test func acknowledgementsAreReadFromMSA() throws {
        let aa = try #require(HL7Acknowledgement("MSH|^~\\&|R||||20250101||ACK^R01^ACK|1|P|2.6\rMSA|AA|X.R1-2\r"))
        #expect(aa.code == .accept)
        #expect(aa.controlID == "X.R1-2")
        let ae = try #require(HL7Acknowledgement("MSH|^~\\&|R\rMSA|AE|X.A1\rERR||||E||||unknown patient\r"))
        #expect(ae.code == .error)
        #expect(ae.text == "unknown patient")
        #expect(HL7Acknowledgement("MSA|AA|1") == nil)
        #expect(HL7Acknowledgement("MSH|^~\\&|R\rMSA|ZZ|1\r") == nil)
    }

    @Test func theSameBatchGivesTheSameMessagesAndContinuesFollowTheAlert() throws {
        let dir = try TemporaryDirectory()
        let room = try RoomFixture(path: dir.file("room.sqlite"), seconds: 75)
        let batch = try room.database.forwardBatch(after: ForwardCursor())
        let a = Self.encoder.messages(for: batch, continueAfter: nil)
        let b = Self.encoder.messages(for: batch, continueAfter: nil)
        #expect(a == b)
        let continues = a.filter { $0.controlID.contains(".C") }
        #expect(continues.map(\.time) == [RoomFixture.start + 5100 + 30_000, RoomFixture.start + 5100 + 60_000])
        // Already sent up to the first continue: only the second remains.
        let later = Self.encoder.messages(for: batch, continueAfter: RoomFixture.start + 5100 + 30_000)
        #expect(later.filter { $0.controlID.contains(".C") }.count == 1)
        // One observation message per device and period, in time order.
        #expect(a.filter { $0.kind == .observation }.count == 76)
        #expect(a.map(\.time) == a.map(\.time).sorted())
        let nibp = try #require(a.first { $0.text.contains("150021^MDC_PRESS_BLD_NONINV_SYS^MDC") })
        #expect(nibp.text.contains("|1.2.1.1|118|266016^MDC_DIM_MMHG^MDC|||||R|||\(HL7Text.time(RoomFixture.start + 4100 - 40_000))|"))
    }

    @Test func mllpFramesAreFoundInAStreamWhateverItsChunks() throws {
        let framed = MLLP.frame("MSH|a\r").readableBytesView + MLLP.frame("MSH|b\r").readableBytesView
        #expect(Array(framed.prefix(1)) == [0x0B])
        #expect(Array(framed.suffix(2)) == [0x1C, 0x0D])
    }
}
