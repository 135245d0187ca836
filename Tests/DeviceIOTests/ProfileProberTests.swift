import DeviceIO
import Dispatch
import Foundation
import DeviceProtocols
import Synchronization
import Testing

extension TTYTests {
    @Suite("ProfileProber")
    struct ProfileProberTests {
        @Test func picksTheOneProfileThatDecodesCleanly() throws {
            // Started mid-frame, as a probe always is.
            let bytes = Array(FakeA5.frames(40).dropFirst(2))
            let outcome = ProfileProber().evaluate([
                .init(profile: Fake5A.self, bytes: bytes),
                .init(profile: FakeA5.self, bytes: bytes),
            ])
            #expect(outcome.profile?.id == "fake-a5", "\(outcome.summary)")
            let a5 = try #require(outcome.candidates.first { $0.profileID == "fake-a5" })
            #expect(a5.isClean)
            #expect(a5.statistics.frames == 39)
            #expect(a5.readings == 39)
            #expect(outcome.candidates.first { $0.profileID == "fake-5a" }?.isClean == false)
            #expect(outcome.summary.hasPrefix("only fake-a5 at 9600 8N1: 39 frames"))
        }

        @Test func twoCleanProfilesAreAmbiguous() {
            let bytes = FakeA5.frames(40)
            let outcome = ProfileProber().evaluate([
                .init(profile: FakeA5.self, bytes: bytes),
                .init(profile: FakeA5Twin.self, bytes: bytes),
            ])
            #expect(outcome.profile == nil)
            #expect(outcome.candidates.allSatisfy { $0.isClean })
            #expect(outcome.summary.hasPrefix("ambiguous: fake-a5, fake-a5-twin"))
        }

        @Test func noiseSilenceAndTooFewFramesChooseNothing() {
            var noisy = FakeA5.frames(20)
            for i in stride(from: 2, to: noisy.count, by: 6) { noisy[i] ^= 0x01 }  // every other check broken
            let prober = ProfileProber()
            #expect(prober.evaluate([.init(profile: FakeA5.self, bytes: noisy)]).profile == nil)
            let silent = prober.evaluate([.init(profile: FakeA5.self, bytes: [])])
            #expect(silent.profile == nil)
            #expect(silent.summary.hasPrefix("no bytes received"))
            #expect(prober.evaluate([.init(profile: FakeA5.self, bytes: FakeA5.frames(2))]).profile == nil)
            // A few frames after a burst of garbage: too much skipped.
            let garbage = [UInt8](repeating: 0x00, count: 200) + FakeA5.frames(10)
            #expect(prober.evaluate([.init(profile: FakeA5.self, bytes: garbage)]).profile == nil)
        }

        @Test func probesARealPortUnderEachCandidatesSettings() throws {
            let pty = try PseudoTerminal()
            defer { pty.close() }
            let done = Mutex(false)
            // The device streams until the probe is over (the probe flushes what came before it
            // opened the port, so a device that stopped early would be missed).
            // A real thread, not a task: the probe blocks its caller, and on a 2-core machine the
            // cooperative pool may have no other thread free while other suites block theirs.
            let finished = DispatchSemaphore(value: 0)
            let device = Thread {
                while !done.withLock({ $0 }) {
                    try? pty.write(FakeA5.frames(5))
                    usleep(20_000)
                }
                finished.signal()
            }
            device.start()
            let outcome = try ProfileProber().probe(path: pty.slavePath, plan: ProbePlan(candidates: [Fake5A.self, FakeA5.self]))
            done.withLock { $0 = true }
            finished.wait()
            #expect(outcome.profile?.id == "fake-a5", "\(outcome.summary)")
            #expect(outcome.candidates.map(\.settings) == [Fake5A.serial, FakeA5.serial])
        }
    }
}
