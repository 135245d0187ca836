import DeviceIO
import Testing
import VitalsCore

@Suite("ConnectionStateMachine on a virtual clock")
struct ConnectionStateMachineTests {
    static func at(_ seconds: Double) -> RunTime { RunTime(seconds: seconds) }

    @Test func streamingQuietAndBack() {
        var machine = ConnectionStateMachine(expectedGap: .seconds(5))
        #expect(machine.state == .connecting)
        #expect(machine.handle(.opened(at: Self.at(0))).isEmpty)
        let first = machine.handle(.validFrame(at: Self.at(1)))
        #expect(first.map(\.to) == [.streaming])
        #expect(first.first?.from == .connecting)
        #expect(first.first?.at == Self.at(1))

        // Frames within the gap keep it streaming; ticks within the gap change nothing.
        #expect(machine.handle(.validFrame(at: Self.at(3))).isEmpty)
        #expect(machine.handle(.tick(at: Self.at(8))).isEmpty)
        // Exactly the gap is still normal; past it is quiet, once.
        #expect(machine.handle(.tick(at: Self.at(8.001))).map(\.to) == [.quiet])
        #expect(machine.state == .quiet)
        #expect(machine.handle(.tick(at: Self.at(20))).isEmpty)
        let back = machine.handle(.validFrame(at: Self.at(21)))
        #expect(back == [ConnectionTransition(from: .quiet, to: .streaming, at: Self.at(21), reason: "valid frames again")])
    }

    @Test func aSilentPortBecomesQuietInsteadOfConnectingForever() {
        var machine = ConnectionStateMachine(expectedGap: .seconds(2))
        _ = machine.handle(.opened(at: Self.at(10)))
        #expect(machine.handle(.tick(at: Self.at(11))).isEmpty)
        let quiet = machine.handle(.tick(at: Self.at(12.5)))
        #expect(quiet.map(\.from) == [.connecting])
        #expect(quiet.map(\.to) == [.quiet])
        #expect(quiet.first?.reason == "no valid frame for 2.5 s (expected gap 2.0 s)")
    }

    @Test func unplugBackoffAndReplug() throws {
        let backoff = ReconnectBackoff(initial: .milliseconds(500), multiplier: 2, maximum: .seconds(5))
        var machine = ConnectionStateMachine(expectedGap: .seconds(5), backoff: backoff)
        _ = machine.handle(.opened(at: Self.at(0)))
        _ = machine.handle(.validFrame(at: Self.at(1)))

        let gone = machine.handle(.gone(at: Self.at(10)))
        #expect(gone.map(\.to) == [.disconnected])
        #expect(machine.handle(.gone(at: Self.at(10.1))).isEmpty)
        // Frames still in the pipeline after the unplug do not bring it back.
        #expect(machine.handle(.validFrame(at: Self.at(10.2))).isEmpty)
        #expect(!machine.reopenDue(at: Self.at(10.4)))
        #expect(machine.handle(.tick(at: Self.at(10.4))).isEmpty)
        #expect(machine.reopenDue(at: Self.at(10.5)))
        #expect(machine.handle(.tick(at: Self.at(10.5))).map(\.to) == [.reconnecting])

        // Each failure doubles the wait: 1, 2, 4, then the 5 s cap.
        var now = Self.at(10.5)
        var waits: [Int64] = []
        for _ in 0..<6 {
            #expect(machine.handle(.reopenFailed(at: now)).isEmpty)
            #expect(machine.state == .reconnecting)
            let due = try #require(machine.nextReopen)
            waits.append(due.since(now).milliseconds)
            #expect(!machine.reopenDue(at: due.advanced(by: .milliseconds(-1))))
            #expect(machine.reopenDue(at: due))
            now = due
        }
        #expect(waits == [1000, 2000, 4000, 5000, 5000, 5000])

        let opened = machine.handle(.opened(at: now))
        #expect(opened.map(\.to) == [.connecting])
        #expect(opened.first?.reason.hasPrefix("port opened after") == true)
        #expect(machine.failedReopens == 0)
        #expect(!machine.reopenDue(at: now.advanced(by: .seconds(60))))
        #expect(machine.handle(.validFrame(at: now.advanced(by: .milliseconds(300)))).map(\.to) == [.streaming])
    }

    @Test func aReplugAnnouncedByUdevOpensBeforeTheBackoff() {
        var machine = ConnectionStateMachine(expectedGap: .seconds(5))
        _ = machine.handle(.opened(at: Self.at(0)))
        _ = machine.handle(.validFrame(at: Self.at(0.5)))
        _ = machine.handle(.gone(at: Self.at(3)))
        // The udev `add` came 0.2 s later: the caller opens at once.
        let transitions = machine.handle(.opened(at: Self.at(3.2)))
        #expect(transitions.map(\.from) == [.disconnected])
        #expect(transitions.map(\.to) == [.connecting])
        #expect(transitions.first?.reason == "port opened after 0.2 s disconnected")
    }

    @Test func aFirstOpenThatFailsRetriesWithBackoff() {
        var machine = ConnectionStateMachine(expectedGap: .seconds(5))
        let failed = machine.handle(.reopenFailed(at: Self.at(0)))
        #expect(failed.map(\.to) == [.reconnecting])
        #expect(machine.nextReopen == Self.at(1))
        #expect(machine.reopenDue(at: Self.at(1)))
    }

    @Test func theProfileGivesTheExpectedGap() {
        let machine = ConnectionStateMachine(profile: FakeA5.self)
        #expect(machine.expectedGap == .seconds(2))
        #expect(machine.state == .connecting)
    }

    @Test func backoffDelays() {
        let backoff = ReconnectBackoff()
        #expect((0..<7).map { backoff.delay(afterFailures: $0) }
            == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5), .seconds(5)])
        #expect(backoff.delay(afterFailures: 1000) == .seconds(5))
    }
}
