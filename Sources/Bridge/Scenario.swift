import VitalsCore

/// A physiological story for simulated devices, as a function of time since the scenario began
/// and of the dose time. Deterministic: the same time gives the same state.
///
/// The ketamine response follows docs/CLINICAL-SOURCES.md B: SBP up 20 to 30 mmHg peaking
/// about 35-40 minutes after the dose and back by about 2 hours, HR up 10 to 20.
public enum Scenario: String, Sendable, CaseIterable {
    /// Healthy, steady values.
    case stable
    /// The typical ketamine haemodynamic response after the dose.
    case ketamineBPRise = "ketamine-bp-rise"
    /// SpO2 falls to about 84% for two minutes, then recovers (10 minutes in, and every 30).
    case desaturation
    /// Pulse falls to about 38/min for three minutes (10 minutes in, and every 30).
    case bradycardia
    /// The finger comes out of the sensor for a minute (5 minutes in, and every 20).
    case sensorOff = "sensor-off"
    /// Motion artifact: erratic values flagged artifact for 90 s (5 minutes in, and every 20).
    case motionArtifact = "motion-artifact"
    /// A failed sensor that shows plausible-looking numbers with its sensor flags set.
    case deadSensor = "dead-sensor"
    /// The device is unplugged for two minutes (3 minutes in), then comes back.
    case disconnect
    /// The demo's session: the ketamine response plus one desaturation 50 minutes after the dose,
    /// preceded (on a monitor with capnography) by a respiratory depression from 44 minutes after
    /// the dose: respiration slows to 6/min and EtCO2 rises to 58 mmHg for about 10 minutes, so
    /// capnography shows it before SpO2 falls (issue 14; reference/alarms-clinical.md H).
    case ketamineSession = "ketamine-session"
    /// A hypertensive surge: BP about 192/114 from 10 to 30 minutes in (a crisis by the 180/110
    /// definition of reference B14, below the 200/120 extreme), steady 122/78 otherwise.
    case bpSurge = "bp-surge"

    /// The scenario named `name`, or an error listing the known ones.
    public static func named(_ name: String) throws -> Scenario {
        guard let s = Scenario(rawValue: name) else { throw UnknownScenarioError(name: name) }
        return s
    }

    /// The patient and sensor at `t` after the scenario began, with the dose at `dose` (if given).
    public func state(at t: Duration, dose: Duration?) -> PatientState {
        let s = t.secondsDouble
        let noise = Self.noise(seconds: s)
        var spo2 = 97.5 + noise * 0.8
        var pulse = 72 + noise * 2
        var sys = 122.0, dia = 78.0
        var flags: QualityFlags = []
        var connected = true
        var present = true
        // 0..1: how far breathing is depressed (ketamine-session only).
        var depression = 0.0

        let response = Self.ketamineResponse(sinceDose: dose.map { s - $0.secondsDouble })
        switch self {
        case .stable:
            break
        case .ketamineBPRise:
            sys += 26 * response
            dia += 12 * response
            pulse += 16 * response
        case .ketamineSession:
            sys += 26 * response
            dia += 12 * response
            pulse += 16 * response
            let sinceDose = s - (dose?.secondsDouble ?? 0)
            spo2 -= 13 * Self.episode(at: sinceDose, start: 50 * 60, rise: 60, hold: 120, fall: 60)
            depression = Self.episode(at: sinceDose, start: 44 * 60, rise: 120, hold: 8 * 60, fall: 120)
        case .desaturation:
            spo2 -= 13.5 * Self.repeating(s, first: 600, every: 1800) { Self.episode(at: $0, start: 0, rise: 60, hold: 120, fall: 60) }
        case .bradycardia:
            pulse -= 34 * Self.repeating(s, first: 600, every: 1800) { Self.episode(at: $0, start: 0, rise: 30, hold: 180, fall: 30) }
        case .sensorOff:
            present = Self.repeating(s, first: 300, every: 1200) { $0 < 60 ? 1 : 0 } == 0
        case .motionArtifact:
            if Self.repeating(s, first: 300, every: 1200, { $0 < 90 ? 1 : 0 }) == 1 {
                flags.insert(.artifact)
                spo2 = 80 + noise * 15
                pulse = 130 + noise * 40
            }
        case .deadSensor:
            flags.formUnion([.sensorOff, .outOfTrack])
        case .disconnect:
            connected = !(s >= 180 && s < 300)
        case .bpSurge:
            if s >= 600 && s < 1800 {
                sys += 70
                dia += 36
            }
        }
        guard present else {
            return PatientState(spo2: nil, pulse: nil, perfusionIndex: 0, systolic: Int(sys), diastolic: Int(dia),
                                oximeterFlags: [.sensorOff], connected: connected)
        }
        var state = PatientState(
            spo2: Int(min(100, max(50, spo2)).rounded()), pulse: Int(max(25, pulse).rounded()),
            perfusionIndex: max(0.2, 3.5 + noise), systolic: Int(sys.rounded()), diastolic: Int(dia.rounded()),
            oximeterFlags: flags, connected: connected)
        if depression > 0 {
            state.respirationRate = Int((14 - 8 * depression).rounded())
            state.etco2 = (38 + 20 * depression).rounded()
        }
        return state
    }

    /// 0 before the dose, rising to 1 at 37 minutes, back to 0 by about 2 hours.
    static func ketamineResponse(sinceDose: Double?) -> Double {
        guard let m = sinceDose.map({ $0 / 60 }), m > 0 else { return 0 }
        if m < 37 { return sin(m / 37 * .pi / 2) }
        if m < 115 { return cos((m - 37) / 78 * .pi / 2) }
        return 0
    }

    /// A trapezoid: 0 before `start`, ramps to 1 over `rise`, holds, ramps down over `fall`.
    static func episode(at s: Double, start: Double, rise: Double, hold: Double, fall: Double) -> Double {
        let x = s - start
        if x < 0 { return 0 }
        if x < rise { return x / rise }
        if x < rise + hold { return 1 }
        if x < rise + hold + fall { return 1 - (x - rise - hold) / fall }
        return 0
    }

    static func repeating(_ s: Double, first: Double, every: Double, _ f: (Double) -> Double) -> Double {
        guard s >= first else { return 0 }
        return f((s - first).truncatingRemainder(dividingBy: every))
    }

    /// Smooth pseudo-noise in -1...1: a sum of incommensurate sines, so it is deterministic.
    static func noise(seconds s: Double) -> Double {
        (sin(s * 0.37) * 0.5 + sin(s * 0.113 + 1.3) * 0.3 + sin(s * 1.91 + 0.2) * 0.2)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
