import NIOCore
import NIOPosix
import NIOSSL

/// One MLLP client connection: sends a message and waits for the receiver's answer, with a
/// timeout after which the connection is closed (a receiver that never answers cannot hold the
/// forwarder). One request at a time.
final class MLLPConnection: Sendable {
    let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Connects to `host:port`, through TLS when `tls` is given (`mllps://`).
    static func connect(host: String, port: Int, tls: NIOSSLContext?, timeout: Double) async throws -> MLLPConnection {
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(Int64(timeout * 1000)))
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        // SNI takes a name, never an address; the certificate is still verified.
                        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
                        let handler = try NIOSSLClientHandler(context: tls, serverHostname: isAddress ? nil : host)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(MLLPFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(MLLPResponseHandler())
                }
            }
        let channel = try await bootstrap.connect(host: host, port: port).get()
        return MLLPConnection(channel: channel)
    }

    /// Sends `payload` framed and returns the receiver's next MLLP payload.
    func request(_ payload: String, timeout: Double) async throws -> String {
        let promise = channel.eventLoop.makePromise(of: ByteBuffer.self)
        let framed = MLLP.frame(payload, allocator: channel.allocator)
        let channel = self.channel
        channel.eventLoop.execute {
            do {
                let handler = try channel.pipeline.syncOperations.handler(type: MLLPResponseHandler.self)
                handler.expect(promise, timeout: .milliseconds(Int64(timeout * 1000)), seconds: timeout)
                channel.writeAndFlush(framed).whenFailure { promise.fail($0) }
            } catch {
                promise.fail(error)
            }
        }
        let answer = try await promise.futureResult.get()
        return String(buffer: answer)
    }

    func close() async {
        try? await channel.close()
    }

    var isActive: Bool { channel.isActive }
}

/// Hands the next inbound payload to the waiting request; fails it on timeout or close.
final class MLLPResponseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var pending: EventLoopPromise<ByteBuffer>?
    private var timer: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        fail(MLLPError.connectionClosed)
    }

    func expect(_ promise: EventLoopPromise<ByteBuffer>, timeout: TimeAmount, seconds: Double) {
        guard let context, context.channel.isActive else {
            promise.fail(MLLPError.connectionClosed)
            return
        }
        pending = promise
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: timeout) {
            let handler = loopBound.value
            handler.fail(MLLPError.timeout(seconds: seconds))
            handler.context?.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let payload = Self.unwrapInboundIn(data)
        guard let p = pending else { return }  // an unsolicited frame is ignored
        pending = nil
        timer?.cancel()
        timer = nil
        p.succeed(payload)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(MLLPError.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    private func fail(_ error: any Error) {
        timer?.cancel()
        timer = nil
        if let p = pending {
            pending = nil
            p.fail(error)
        }
    }
}
