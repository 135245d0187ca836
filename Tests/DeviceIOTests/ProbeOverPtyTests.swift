import DeviceIO
import DeviceProtocols
import Dispatch
import Foundation
import Synchronization
import Testing
import VitalsCore

extension TTYTests {
    /// Every streaming profile's bytes, at the device's own pace, through the real prober on a
    /// pseudo-terminal (a pty ignores the speed, so every setting hears clean bytes: the worst
    /// case for ruling candidates out). A measurement more than a check, so it runs only with
    /// `VITALS_PROBE_TIMES=1` and prints the times; it asserts the identification, never a speed.
    @Suite("Probe over a pty", .enabled(if: ProcessInfo.processInfo.environment["VITALS_PROBE_TIMES"] == "1"))
    struct ProbeOverPtyTests {
        @Test func everyStreamingProfileIsIdentifiedOnARealPort() throws {
            var figures: [String] = []
            for profile in ProbeSessionTests.streaming {
                let pty = try PseudoTerminal()
                defer { pty.close() }
                let done = Atomic<Bool>(false)
                let finished = DispatchSemaphore(value: 0)
                let device = Thread {
                    var encoder = profile.makeEncoder()
                    let period = encoder.period
                    let samples = Int((profile.waveformSampleRate ?? 0) * Double(period.milliseconds) / 1000)
                    let start = ContinuousClock.now
                    var t = Duration.zero
                    while !done.load(ordering: .relaxed) {
                        let snapshot = VitalSnapshot(spo2: 97, pulse: 64, perfusionIndex: 2.1, pleth: Array(repeating: 40, count: samples))
                        for chunk in encoder.encode(snapshot) {
                            let due = start + t + chunk.offset
                            if due > ContinuousClock.now { Thread.sleep(forTimeInterval: Double((due - ContinuousClock.now).milliseconds) / 1000) }
                            try? pty.write(chunk.bytes)
                        }
                        t += period
                    }
                    finished.signal()
                }
                device.start()
                // BerryMed's BCI frames and the legacy Contec stream share their framing (5 bytes,
                // bit-7 sync) and differ by speed (115200 8N1, 19200 8O1), which a pty ignores:
                // on a pty the legacy Contec candidate, tried first, would decode BerryMed bytes.
                let candidates = ProfileCatalog.all.filter { profile.id != BerryMed.id || $0.id != ContecCMS50.id }
                let outcome = try ProfileProber().probe(path: pty.slavePath, plan: ProbePlan(candidates: candidates))
                done.store(true, ordering: .relaxed)
                finished.wait()
                #expect(outcome.profile?.id == profile.id, "\(profile.id): \(outcome.summary)")
                figures.append("pty probe-time \(profile.id): \(outcome.sinceFirstByte?.milliseconds ?? -1) ms after the first bytes, \(outcome.elapsed?.milliseconds ?? -1) ms in all")
            }
            print(figures.joined(separator: "\n"))
        }
    }
}
