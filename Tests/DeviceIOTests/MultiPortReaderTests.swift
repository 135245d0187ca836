import DeviceIO
import DeviceProtocols
import Glibc
import Testing

extension TTYTests {
    @Suite("MultiPortReader: one thread for many real ptys")
    struct MultiPortReaderTests {
        static let settings = SerialSettings(baudRate: 9600)

        /// What one port delivered, tagged with the thread it ran on.
        enum Delivery: Sendable, Equatable {
            case bytes(port: Int, [UInt8], thread: UInt)
            case gone(port: Int, PortGoneReason)
        }

        static func bytes(of port: Int, _ deliveries: [Delivery]) -> [UInt8] {
            deliveries.flatMap { d -> [UInt8] in
                if case .bytes(port, let chunk, _) = d { chunk } else { [] }
            }
        }

        static func gone(of port: Int, _ deliveries: [Delivery]) -> [PortGoneReason] {
            deliveries.compactMap { d in if case .gone(port, let reason) = d { reason } else { nil } }
        }

        static func add(
            _ port: SerialPort, index: Int, to reader: MultiPortReader, _ events: EventCollector<Delivery>
        ) throws -> MultiPortReader.Registration {
            try reader.add(
                port,
                onBytes: { events.append(.bytes(port: index, Array($0), thread: UInt(pthread_self()))) },
                onGone: { events.append(.gone(port: index, $0)) })
        }

        @Test func readsEveryPortInOrderOnOneThread() async throws {
            let count = 6
            let ptys = try (0..<count).map { _ in try PseudoTerminal() }
            defer { for p in ptys { p.close() } }
            let ports = try ptys.map { try SerialPort.open($0.slavePath, settings: Self.settings) }
            defer { for p in ports { p.close() } }
            let reader = try MultiPortReader(chunkSize: 64)
            defer { reader.stop() }
            let events = EventCollector<Delivery>()
            let registrations = try ports.enumerated().map { try Self.add($1, index: $0, to: reader, events) }
            #expect(reader.count == count)

            // Each port its own bytes (every value, 0x11/0x13 and CR/LF included), interleaved in
            // uneven chunks; chunks above 64 bytes take several reads.
            let sent = (0..<count).map { k in (0..<600).map { UInt8(truncatingIfNeeded: $0 * (k + 1)) } }
            var offsets = [Int](repeating: 0, count: count)
            for size in [1, 7, 300, 2, 90, 200] {
                for k in 0..<count where offsets[k] < sent[k].count {
                    let end = min(sent[k].count, offsets[k] + size + k)
                    try ptys[k].write(Array(sent[k][offsets[k]..<end]))
                    offsets[k] = end
                }
            }
            for k in 0..<count where offsets[k] < sent[k].count { try ptys[k].write(Array(sent[k][offsets[k]...])) }
            let received = await events.wait { all in (0..<count).allSatisfy { Self.bytes(of: $0, all).count >= 600 } }
            for k in 0..<count {
                #expect(Self.bytes(of: k, received) == sent[k])
                #expect(Self.gone(of: k, received).isEmpty)
            }
            let threads = Set(received.compactMap { d -> UInt? in if case .bytes(_, _, let t) = d { t } else { nil } })
            #expect(threads.count == 1)
            for r in registrations { r.stop() }
            #expect(reader.count == 0)
        }

        @Test func aClosedDeviceSideIsGoneOnceAndTheOthersGoOn() async throws {
            let first = try PseudoTerminal()
            let second = try PseudoTerminal()
            defer { second.close() }
            let a = try SerialPort.open(first.slavePath, settings: Self.settings)
            defer { a.close() }
            let b = try SerialPort.open(second.slavePath, settings: Self.settings)
            defer { b.close() }
            let reader = try MultiPortReader()
            defer { reader.stop() }
            let events = EventCollector<Delivery>()
            _ = try Self.add(a, index: 0, to: reader, events)
            _ = try Self.add(b, index: 1, to: reader, events)

            try first.write([1, 2, 3])
            await events.wait { Self.bytes(of: 0, $0).count == 3 }
            first.close()
            let afterHangUp = await events.wait { !Self.gone(of: 0, $0).isEmpty }
            // A pty slave reads EOF or EIO once its master closes; real adapters give EIO: both
            // are "gone", reported once, after the bytes, and the port leaves the epoll set.
            let reasons = Self.gone(of: 0, afterHangUp)
            #expect(reasons == [.endOfFile] || reasons == [.error(EIO)])
            #expect(Self.bytes(of: 0, afterHangUp) == [1, 2, 3])
            #expect(reader.count == 1)

            try second.write([9, 8, 7])
            let later = await events.wait { Self.bytes(of: 1, $0).count == 3 }
            #expect(Self.bytes(of: 1, later) == [9, 8, 7])
            #expect(Self.gone(of: 0, later).count == 1)
            #expect(Self.gone(of: 1, later).isEmpty)
        }

        @Test func stopAndCloseEndAPortWithoutGone() async throws {
            let ptys = try (0..<3).map { _ in try PseudoTerminal() }
            defer { for p in ptys { p.close() } }
            let ports = try ptys.map { try SerialPort.open($0.slavePath, settings: Self.settings) }
            defer { for p in ports { p.close() } }
            let reader = try MultiPortReader()
            let events = EventCollector<Delivery>()
            let registrations = try ports.enumerated().map { try Self.add($1, index: $0, to: reader, events) }

            registrations[0].stop()
            registrations[0].stop()
            ports[1].close()
            try ptys[0].write([1])
            try ptys[2].write([3])
            let seen = await events.wait { Self.bytes(of: 2, $0) == [3] }
            // Port 2 proves the thread went round; nothing came from the stopped or closed ports.
            #expect(Self.bytes(of: 0, seen).isEmpty)
            #expect(Self.bytes(of: 1, seen).isEmpty)
            #expect(Self.gone(of: 0, seen).isEmpty && Self.gone(of: 1, seen).isEmpty)

            // The port stays open after its registration stopped: a new one reads what waited.
            _ = try Self.add(ports[0], index: 10, to: reader, events)
            let again = await events.wait { Self.bytes(of: 10, $0) == [1] }
            #expect(Self.bytes(of: 10, again) == [1])

            // Stopping the reader stops every port; nothing is delivered afterwards.
            reader.stop()
            #expect(reader.count == 0)
            let before = events.all.count
            try ptys[2].write([4])
            try await Task.sleep(for: .milliseconds(100))
            #expect(events.all.count == before)
            // Adding to a stopped reader registers nothing that could ever deliver.
            reader.stop()
        }
    }
}
