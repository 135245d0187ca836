import Foundation
import Store
import Testing
@testable import Forwarding
import VitalsTestSupport

/// The test receiver's rules catch what they are there to catch: a peer test that could not
/// fail would prove nothing.
@Suite struct ReceiverRulesTests {
    func errors(_ message: String) throws -> [String] {
        let dir = try TemporaryDirectory()
        try message.replacingOccurrences(of: "\r", with: "\n").write(toFile: dir.file("m.hl7"), atomically: true, encoding: .utf8)
        let peer = try PythonPeer("hl7_receiver.py", ["--log", dir.file("log.jsonl"), "--check", dir.file("m.hl7")], waitForPort: false)
        peer.process.waitUntilExit()
        return try #require(ReceivedMessage.read(dir.file("log.jsonl")).first).errors
    }

    @Test func aWrongCodeNamePairAWrongUnitAndAnNIBPFromTheFutureAreCaught() throws {
        let dir = try TemporaryDirectory()
        let room = try RoomFixture(path: dir.file("room.sqlite"), seconds: 6)
        let batch = try room.database.forwardBatch(after: ForwardCursor())
        let encoder = PCDEncoder(sender: PCDSender(application: "VITALS", eui64: "0012A1FFFE000001", facility: ""))
        let messages = encoder.messages(for: batch, continueAfter: nil)
        let oximeter = try #require(messages.first { $0.text.contains("150456^") })
        #expect(try errors(oximeter.text).isEmpty)
        #expect(try !errors(oximeter.text.replacingOccurrences(of: "150456^MDC_PULS_OXIM_SAT_O2", with: "150456^MDC_PULS_OXIM_PULS_RATE")).isEmpty)
        #expect(try !errors(oximeter.text.replacingOccurrences(of: "262688^MDC_DIM_PERCENT", with: "266016^MDC_DIM_MMHG")).isEmpty)
        #expect(try !errors(oximeter.text.replacingOccurrences(of: "|1.1.1.1|", with: "|1.7.1.1|")).isEmpty)
        let nibp = try #require(messages.first { $0.text.contains("150021^") })
        #expect(try errors(nibp.text).isEmpty)
        let measured = HL7Text.time(RoomFixture.start + 4100 - 40_000)
        let future = HL7Text.time(RoomFixture.start + 3_600_000)
        #expect(try !errors(nibp.text.replacingOccurrences(of: measured, with: future)).isEmpty)
        let alert = try #require(messages.first { $0.kind == .alert })
        #expect(try errors(alert.text).isEmpty)
        #expect(try !errors(alert.text.replacingOccurrences(of: "|start|", with: "|begin|")).isEmpty)
        #expect(try !errors(alert.text.replacingOccurrences(of: "68484^MDC_ATTR_ALARM_PRIORITY", with: "68168^MDC_ATTR_ALARM_PRIORITY")).isEmpty)
    }
}

extension ReceiverRulesTests {
    /// A technical alert without a metric (a cuff unplugged) names its source device in facet 2.
    @Test func aTechnicalAlertWithoutAMetricIsValidToo() throws {
        let session = ForwardSession(
            id: 1, room: "WARD3|BED7", patientRef: "MRN^1", clinician: nil, medication: nil, dose: nil, route: nil,
            observeMs: nil, limitsJSON: "{}", startedAt: 0, doseAt: nil, endedAt: nil, endReason: nil, autoOpened: false)
        let event = ForwardAlertEvent(
            id: 7, alertID: 3, sessionID: 1, t: 1_780_000_000_000, runMs: 0, event: .raised, rule: "cuff-disconnected",
            priority: .medium, kind: .technical, metric: nil, value: nil, message: "Cuff disconnected", device: "cuff-1", by: nil)
        let batch = RoomChangeBatch(room: RoomIdentity(uid: "00112233445566778899aabbccddeeff", name: "WARD3"), sessions: [session], alertEvents: [event])
        let encoder = PCDEncoder(sender: PCDSender(application: "VITALS", eui64: "0012A1FFFE000001", facility: ""))
        let message = try #require(encoder.messages(for: batch, continueAfter: nil).first)
        #expect(message.controlID == "001122334455.A7")
        #expect(message.text.contains("|68480^MDC_ATTR_ALERT_SOURCE^MDC|1.0.0.0.2|cuff-1|"))
        #expect(message.text.contains("|ST|"))
        // Delimiters in the room and the patient reference are escaped, not structure.
        #expect(message.text.contains("PID|||MRN\\S\\1^^^^MR|"))
        #expect(try errors(message.text).isEmpty)
    }
}
