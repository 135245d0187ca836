import DeviceProtocols
import VitalsCore

/// A device of one profile following a scenario: it turns the patient's state into the exact bytes
/// that profile's device sends (through the profile's encoder), one encoder period at a time, and
/// answers the host's commands for command-driven devices.
///
/// Time here is device time since the simulation began; the caller decides how fast it passes.
public struct SimulatedDevice: Sendable {
    /// The profile simulated.
    public let profile: any DeviceProfile.Type
    /// The story followed.
    public let scenario: Scenario
    /// When the dose is given, from the start of the simulation.
    public let dose: Duration?
    /// How often a device that pushes results (not command-driven) takes a blood pressure.
    public var nibpInterval: Duration = .seconds(300)

    private var encoder: any DeviceEncoder
    private var elapsed: Duration = .zero
    private var lastPushedNIBP: Duration?
    private let clockStart: Int64
    private var phase: Double = 0

    /// A simulated device; `deviceClockStart` is the device clock's reading at time zero (ms since 1970, as UTC).
    public init(profile: any DeviceProfile.Type, scenario: Scenario, dose: Duration?, deviceClockStart: Int64 = VirtualClock.defaultEpoch) {
        self.profile = profile
        self.scenario = scenario
        self.dose = dose
        self.encoder = profile.makeEncoder()
        self.clockStart = deviceClockStart
    }

    /// Device time since the simulation began.
    public var now: Duration { elapsed }

    /// The patient's state now.
    public var state: PatientState { scenario.state(at: elapsed, dose: dose) }

    /// True when the device answers host commands (its results must be asked for).
    public var isCommandDriven: Bool { profile.bytes(for: .requestResult) != nil }

    /// The bytes of the next encoder period and their offsets; empty while the scenario has the
    /// device unplugged. Advances device time by one period.
    public mutating func nextPeriod() -> (period: Duration, chunks: [EncodedChunk], connected: Bool) {
        let period = encoder.period
        let st = state
        defer { elapsed += period }
        guard st.connected else { return (period, [], false) }
        var snapshot = VitalSnapshot(
            deviceTime: DeviceTime(milliseconds: clockStart + elapsed.milliseconds, kind: .clock))
        switch profile.category {
        case .pulseOximeter:
            snapshot.spo2 = st.spo2
            snapshot.pulse = st.pulse
            snapshot.perfusionIndex = st.spo2 == nil ? nil : st.perfusionIndex
            snapshot.flags = st.oximeterFlags
            snapshot.pleth = pleth(for: period, pulse: st.pulse, present: st.spo2 != nil)
        case .bloodPressure:
            let result = BloodPressureResult(
                systolic: st.systolic, diastolic: st.diastolic, mean: st.mean, pulse: st.pulse,
                deviceTime: snapshot.deviceTime)
            if isCommandDriven {
                snapshot.bloodPressure = result
            } else if lastPushedNIBP.map({ elapsed - $0 >= nibpInterval }) ?? true {
                snapshot.bloodPressure = result
                lastPushedNIBP = elapsed
            }
        case .multiParameter:
            // A monitor shows oximetry, ECG heart rate (the scenario's pulse) and a cuff result
            // every `nibpInterval`; the scenario has no respiration, capnography or temperature
            // yet, so the monitor shows steady normal values for them.
            snapshot.spo2 = st.spo2
            snapshot.pulse = st.pulse
            snapshot.heartRate = st.pulse
            snapshot.respirationRate = 14
            snapshot.airwayRespirationRate = 14
            snapshot.etco2 = 38
            snapshot.temperature = 36.8
            snapshot.perfusionIndex = st.spo2 == nil ? nil : st.perfusionIndex
            snapshot.flags = st.oximeterFlags
            if lastPushedNIBP.map({ elapsed - $0 >= nibpInterval }) ?? true {
                snapshot.bloodPressure = BloodPressureResult(
                    systolic: st.systolic, diastolic: st.diastolic, mean: st.mean, pulse: st.pulse,
                    deviceTime: snapshot.deviceTime)
                lastPushedNIBP = elapsed
            }
        }
        return (period, encoder.encode(snapshot), true)
    }

    /// The device's answer to bytes the host wrote.
    public mutating func receive(_ hostBytes: [UInt8]) -> [UInt8] {
        state.connected ? encoder.receive(hostBytes) : []
    }

    /// A pleth pulse shape (fast upstroke, dicrotic notch, decay) at the profile's sample rate.
    private mutating func pleth(for period: Duration, pulse: Int?, present: Bool) -> [Int] {
        guard let rate = profile.waveformSampleRate else { return [] }
        let count = Int((period.secondsDouble * rate).rounded())
        let top = Double(profile.waveformMaximum)
        guard present, let pulse else { return Array(repeating: 0, count: count) }
        let step = Double(pulse) / 60 / rate
        var out: [Int] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            let p = phase
            let shape: Double
            if p < 0.15 {
                shape = sin(p / 0.15 * .pi / 2)
            } else {
                shape = exp(-(p - 0.15) * 3.2) + 0.12 * exp(-pow((p - 0.45) / 0.06, 2))
            }
            out.append(Int((0.15 + 0.7 * min(1, shape)) * top))
            phase += step
            if phase >= 1 { phase -= 1 }
        }
        return out
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
