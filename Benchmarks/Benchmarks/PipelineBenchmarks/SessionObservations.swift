import Bridge
import VitalsCore

/// The observations of a ketamine session as the pipeline gives them to the rules and the store:
/// an oximeter (SpO2, pulse, PI at 1 Hz) and an NIBP cuff (a result every 5 minutes), from the
/// `ketamine-session` scenario with the dose 10 minutes in.
enum SessionObservations {
    static let oximeter = "nonin-df7"
    static let cuff = "suntech-advantage"
    static let dose = Duration.seconds(600)
    static let epoch = VirtualClock.defaultEpoch

    /// `seconds` of observations, starting `offset` seconds into the session's time line.
    static func make(seconds: Int, offset: Int = 0) -> [Observation] {
        var out: [Observation] = []
        out.reserveCapacity(seconds * 3 + seconds / 300 * 4 + 8)
        for s in offset..<(offset + seconds) {
            let state = Scenario.ketamineSession.state(at: .seconds(s % 7200), dose: dose)
            let ms = Int64(s) * 1000
            func add(_ device: String, _ metric: Metric, _ value: Double, _ flags: QualityFlags, at: Int64) {
                out.append(Observation(
                    reading: Reading(metric: metric, value: value, flags: flags,
                                     deviceTime: DeviceTime(milliseconds: epoch + at, kind: .clock)),
                    device: device, time: RunTime(milliseconds: at), hostTime: epoch + at))
            }
            if let spo2 = state.spo2 { add(oximeter, .spo2, Double(spo2), state.oximeterFlags, at: ms) }
            if let pulse = state.pulse { add(oximeter, .pulse, Double(pulse), state.oximeterFlags, at: ms + 1) }
            add(oximeter, .pi, state.perfusionIndex, state.oximeterFlags, at: ms + 2)
            if s % 300 == 0 {
                add(cuff, .nibpSystolic, Double(state.systolic), [], at: ms + 3)
                add(cuff, .nibpDiastolic, Double(state.diastolic), [], at: ms + 3)
                add(cuff, .nibpMean, Double(state.mean), [], at: ms + 3)
                add(cuff, .nibpPulse, Double(state.pulse ?? 0), [], at: ms + 3)
            }
        }
        return out
    }
}
