import KyozonDomain

/// A message ready for SMTP: the envelope and the exact bytes (CRLF line ends).
public struct OutgoingMessage: Sendable {
    public let envelopeFrom: EmailAddress
    public let recipient: EmailAddress
    public let data: [UInt8]

    public init(envelopeFrom: EmailAddress, recipient: EmailAddress, data: [UInt8]) {
        self.envelopeFrom = envelopeFrom
        self.recipient = recipient
        self.data = data
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
    /// Sends the messages (several at once where the transport can) and returns a result for
    /// each, in the same order. After a relay failure no new message is started: those come
    /// back `.notStarted`.
    func send(_ messages: [OutgoingMessage]) -> [TransportResult]
}

/// The delivery ledger as the send run needs it; the store adapts to it.
public protocol DeliveryLedger {
    /// Claims up to `limit` due deliveries (`-> sending`), committed before returning.
    /// Returns nothing once staff paused or cancelled the send.
    func claim(limit: Int, now: Timestamp) throws -> [ClaimedDelivery]
    /// Commits the results of claimed deliveries.
    func record(_ results: [DeliveryResult], now: Timestamp) throws
    /// When the earliest deferred delivery may be tried again, if any is waiting.
    func nextRetry() throws -> Timestamp?
}
