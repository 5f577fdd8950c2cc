import KyozonDomain

/// A message ready for SMTP: the envelope and the exact bytes (CRLF line ends).
public struct OutgoingMessage: Sendable {
    public let envelopeFrom: EmailAddress
    public let recipient: EmailAddress
    public let data: [UInt8]
    /// The caller's name for this message (a delivery row's id), handed back with its result.
    public let tag: Int64

    public init(envelopeFrom: EmailAddress, recipient: EmailAddress, data: [UInt8], tag: Int64 = 0) {
        self.envelopeFrom = envelopeFrom
        self.recipient = recipient
        self.data = data
        self.tag = tag
    }
}

/// A server's reply: its code and every line of text it sent.
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    public let code: Int
    public let lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// `550 5.1.1 No such user` (several lines joined by ` / `).
    public var description: String { lines.isEmpty ? "\(code)" : lines.joined(separator: " / ") }
}

/// What a transport could tell about one message.
public enum TransportResult: Sendable, Hashable {
    /// The server took responsibility for the message (250 after the final dot).
    case accepted(SMTPReply)
    /// The server refused this message for now (4xx): try again later.
    case temporaryFailure(SMTPReply)
    /// The server refused this message for good (5xx).
    case permanentFailure(SMTPReply)
    /// The connection failed before the message body was sent; the message was not delivered.
    case notSent(String)
    /// The connection failed after the message body was sent and before the server answered:
    /// the server may have accepted it (RFC 1047).
    case outcomeUnknown(String)
    /// The relay itself is failing (refused connection, bad greeting, TLS or login failure,
    /// 421 closing): this message was not accepted, and it says nothing about the recipient.
    case relayFailure(String)
    /// Never handed to the relay (the batch stopped at a relay failure).
    case notStarted
}

/// Sends messages over SMTP. The mailer depends on this, not on libcurl.
public protocol MailTransport: AnyObject {
    /// Sends the messages `next` hands out, several at once where the transport can, and
    /// reports each result to `done` (with the message's tag) as soon as it is known.
    ///
    /// `next` is asked for a message whenever a connection is free, so connections never wait
    /// for a whole group to finish; once it returns nil it is not asked again. After a relay
    /// failure no new message is started. Returns when nothing is in flight.
    func stream(next: () -> OutgoingMessage?, done: (Int64, TransportResult) -> Void)
}

extension MailTransport {
    /// Sends the messages and returns a result for each, in the same order; those not started
    /// because the relay failed come back `.notStarted`.
    public func send(_ messages: [OutgoingMessage]) -> [TransportResult] {
        var results = [TransportResult](repeating: .notStarted, count: messages.count)
        var index = 0
        stream(
            next: {
                guard index < messages.count else { return nil }
                defer { index += 1 }
                let m = messages[index]
                return OutgoingMessage(envelopeFrom: m.envelopeFrom, recipient: m.recipient, data: m.data, tag: Int64(index))
            },
            done: { tag, result in results[Int(tag)] = result })
        return results
    }

    /// Sends one message; for callers that have just one (a test copy).
    public func send(_ message: OutgoingMessage) -> TransportResult { send([message])[0] }
}

/// The delivery ledger as the send run needs it; the store adapts to it.
public protocol DeliveryLedger {
    /// In one committed transaction: records the results of claimed deliveries, then claims up
    /// to `limit` due deliveries (`-> sending`). Claims nothing once staff paused or cancelled
    /// the send. One commit (one fsync) per group keeps durability from capping the rate.
    func exchange(recording results: [DeliveryResult], claiming limit: Int, now: Timestamp) throws -> [ClaimedDelivery]
    /// When the earliest deferred delivery may be tried again, if any is waiting.
    func nextRetry() throws -> Timestamp?
    /// Of claimed deliveries not yet handed to the relay, those whose subscriber may no longer
    /// be mailed (unsubscribed, blocked or bounced since the claim), with why. A read, no commit.
    func notMailable(_ deliveries: [ClaimedDelivery]) throws -> [Int64: String]
}
