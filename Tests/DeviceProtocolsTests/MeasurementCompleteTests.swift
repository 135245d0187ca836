import Testing
import VitalsCore
@testable import DeviceProtocols

/// Which status tells the host a measurement it started is done (the daemon and the recorder
/// then ask for the result).
@Suite struct MeasurementCompleteTests {
    @Test func sunTechsKCompletesAndNothingElseDoes() {
        // `3E 04 4B 73`: the module's "K", as the decoder reports it (reference 2.3).
        var decoder = SunTechAdvantage.makeDecoder()
        let statuses = decoder.decode([0x3E, 0x04, 0x4B, 0x73, 0x3E, 0x04, 0x4F, 0x6F]).compactMap { e -> DeviceStatus? in
            if case .status(let s) = e { return s }
            return nil
        }
        #expect(statuses.map { SunTechAdvantage.reportsMeasurementComplete($0) } == [true, false])
        #expect(!AndUA767.reportsMeasurementComplete(statuses[0]))
        #expect(!NoninDF7.reportsMeasurementComplete(statuses[0]))
    }
}
