import DeviceIO
import DeviceProtocols
import Testing

extension TTYTests {
    @Suite("PortReader on a real pty")
    struct PortReaderTests {
        static let settings = SerialSettings(baudRate: 9600)

        static func bytes(_ events: [PortEvent]) -> [UInt8] {
            events.flatMap { event -> [UInt8] in
                if case .bytes(let chunk) = event { chunk } else { [] }
            }
        }

        static func isGone(_ event: PortEvent) -> Bool {
            if case .gone = event { true } else { false }
        }

        @Test func deliversBytesInOrder() async throws {
            let pty = try PseudoTerminal()
            defer { pty.close() }
            let port = try SerialPort.open(pty.slavePath, settings: Self.settings)
            defer { port.close() }
            let events = EventCollector<PortEvent>()
            let reader = try PortReader(port: port, chunkSize: 64) { events.append($0) }
            defer { reader.stop() }

            // Every byte value, 0x11/0x13 and CR/LF included, in uneven chunks.
            let sent = (0..<4).flatMap { _ in (0...255).map { UInt8($0) } }
            var offset = 0
            for size in [1, 7, 300, 2, 513, 200] where offset < sent.count {
                let end = min(sent.count, offset + size)
                try pty.write(Array(sent[offset..<end]))
                offset = end
            }
            try pty.write(Array(sent[offset...]))
            let received = await events.wait { Self.bytes($0).count >= sent.count }
            #expect(Self.bytes(received) == sent)
            #expect(!received.contains(where: Self.isGone))
        }

        @Test func closingTheDeviceSideIsReportedAsGone() async throws {
            let pty = try PseudoTerminal()
            let port = try SerialPort.open(pty.slavePath, settings: Self.settings)
            defer { port.close() }
            let (reader, stream) = try PortReader.stream(port)
            defer { reader.stop() }
            try pty.write([1, 2, 3])
            var seen: [PortEvent] = []
            for await event in stream {
                seen.append(event)
                if Self.bytes(seen).count == 3 { pty.close() }
            }
            // The stream finished after exactly one `gone`, and it was last.
            #expect(Self.bytes(seen) == [1, 2, 3])
            #expect(seen.filter(Self.isGone).count == 1)
            let last = try #require(seen.last)
            // A pty slave reads EOF once its master closes; real adapters may give EIO instead:
            // both are "gone".
            #expect(last == .gone(.endOfFile) || last == .gone(.error(5)))
            // Writing to the hung-up port fails with EIO, reported as the device being gone.
            let error = #expect(throws: SerialPortError.self) { try port.write([0x3A, 0x20, 0xA6]) }
            #expect(error?.cause == .noSuchDevice)
        }

        @Test func stopAndCloseEndTheReaderWithoutGone() async throws {
            let pty = try PseudoTerminal()
            defer { pty.close() }
            let port = try SerialPort.open(pty.slavePath, settings: Self.settings)
            let (reader, stream) = try PortReader.stream(port)
            reader.stop()
            var afterStop: [PortEvent] = []
            for await event in stream { afterStop.append(event) }
            #expect(afterStop.isEmpty)
            reader.stop()

            let (second, secondStream) = try PortReader.stream(port)
            port.close()
            var afterClose: [PortEvent] = []
            for await event in secondStream { afterClose.append(event) }
            #expect(afterClose.isEmpty)
            second.waitUntilFinished()
        }
    }
}
