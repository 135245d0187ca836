import Foundation
import Logging
import NIOSSL
import Store

/// `mllp://HOST:PORT` and `mllps://HOST:PORT`: IHE PCD-01 and PCD-04 messages (`PCDEncoder`)
/// to an HL7 interface engine, one at a time, each waiting for its ACK.
///
/// - `AA` (or `CA`): delivered, next message.
/// - `AE`: logged with the receiver's text; the batch fails and the forwarder retries it after
///   a backoff (messages already accepted in this batch are not sent again by this process).
/// - `AR`: the same, until the message was rejected `maxRejects` times: then it is parked in
///   `forward_dead_letters`, reported on stderr, and skipped, so it never blocks the rest.
/// - No answer within `ackTimeout`, or a closed connection: the connection is dropped and made
///   again on the retry. A resent message carries the same MSH-10.
///
/// `mllps://` takes `?ca=/path/to/ca.pem` to trust a private CA instead of the system's roots.
public actor MLLPDestination: ForwardDestination {
    public nonisolated let cursorKey: String
    /// One message at a time waits for its ACK: a few hundred messages a batch keep what a
    /// crash makes the forwarder send twice small.
    public nonisolated let batchLimit: Int? = 600
    let host: String
    let port: Int
    let tls: NIOSSLContext?
    let encoder: PCDEncoder
    let context: DestinationContext
    let logger: Logger

    private var connection: MLLPConnection?
    /// Control ids accepted (or parked) since the cursor last moved.
    private var delivered: Set<String> = []
    /// `AR` answers per control id.
    private var rejects: [String: Int] = [:]
    /// Periodic alert messages up to this time were sent by this process.
    private var continueHorizon: Int64?

    public init(url: DestinationURL, context: DestinationContext) throws {
        guard let host = url.host, let port = url.port, (1...65535).contains(port) else {
            throw ForwardingError.badURL(url.redacted, reason: "expected \(url.scheme)://HOST:PORT")
        }
        self.host = host
        self.port = port
        cursorKey = url.redacted
        if url.scheme == "mllps" {
            var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
            if let ca = url.parameter("ca") {
                tlsConfiguration.trustRoots = .file(ca)
            }
            do {
                tls = try NIOSSLContext(configuration: tlsConfiguration)
            } catch {
                throw ForwardingError.badURL(url.redacted, reason: "cannot set up TLS: \(error)")
            }
        } else {
            tls = nil
        }
        self.context = context
        logger = context.logger
        let c = context.configuration
        let eui = c.sendingEUI64 ?? PCDSender.eui64(roomUID: (try? context.database.roomIdentity().uid) ?? "")
        encoder = PCDEncoder(
            sender: PCDSender(application: c.sendingApplication, eui64: eui, facility: c.sendingFacility),
            readingPeriodMs: c.readingPeriodMs, continuePeriodMs: c.continuePeriodMs)
    }

    public func deliver(_ batch: RoomChangeBatch) async throws {
        let messages = encoder.messages(for: batch, continueAfter: continueHorizon)
        for m in messages where !delivered.contains(m.controlID) {
            try await send(m)
        }
        if let h = PCDEncoder.horizon(of: batch) { continueHorizon = max(continueHorizon ?? h, h) }
        delivered.removeAll(keepingCapacity: true)
    }

    /// Sends one message until the receiver accepts it or it is parked; throws to retry later.
    func send(_ m: HL7Message) async throws {
        let timeout = context.configuration.ackTimeout
        let answer: String
        do {
            let c = try await connected()
            answer = try await c.request(m.text, timeout: timeout)
        } catch {
            await drop()
            throw ForwardingError.deliveryFailed(destination: cursorKey, reason: "\(m.controlID): \(error)")
        }
        guard let ack = HL7Acknowledgement(answer), ack.controlID == m.controlID else {
            await drop()
            throw ForwardingError.deliveryFailed(
                destination: cursorKey, reason: "\(m.controlID): \(MLLPError.badAcknowledgement(String(answer.prefix(200))))")
        }
        switch ack.code {
        case .accept:
            delivered.insert(m.controlID)
            rejects[m.controlID] = nil
        case .error:
            logger.warning("receiver answered AE", metadata: ["destination": "\(cursorKey)", "control": "\(m.controlID)", "text": "\(ack.text)"])
            throw ForwardingError.deliveryFailed(destination: cursorKey, reason: "\(m.controlID): AE \(ack.text)")
        case .reject:
            let n = (rejects[m.controlID] ?? 0) + 1
            rejects[m.controlID] = n
            logger.warning("receiver answered AR", metadata: ["destination": "\(cursorKey)", "control": "\(m.controlID)", "tries": "\(n)", "text": "\(ack.text)"])
            if n >= context.configuration.maxRejects {
                try context.database.parkDeadLetter(
                    destination: cursorKey, messageID: m.controlID, tries: n, reason: "AR \(ack.text)", message: m.text,
                    now: Int64(Date().timeIntervalSince1970 * 1000))
                logger.error(
                    "message parked in the dead-letter table after \(n) rejections",
                    metadata: ["destination": "\(cursorKey)", "control": "\(m.controlID)", "text": "\(ack.text)"])
                delivered.insert(m.controlID)
                rejects[m.controlID] = nil
                return
            }
            throw ForwardingError.deliveryFailed(destination: cursorKey, reason: "\(m.controlID): AR \(ack.text)")
        }
    }

    func connected() async throws -> MLLPConnection {
        if let c = connection, c.isActive { return c }
        await drop()
        let c = try await MLLPConnection.connect(host: host, port: port, tls: tls, timeout: context.configuration.ackTimeout)
        connection = c
        logger.info("connected", metadata: ["destination": "\(cursorKey)"])
        return c
    }

    func drop() async {
        if let c = connection {
            connection = nil
            await c.close()
        }
    }

    public func close() async {
        await drop()
    }
}
