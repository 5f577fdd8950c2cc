/// A delivery row claimed for sending: the message for `subscriber` may now be handed to SMTP.
public struct ClaimedDelivery: Sendable, Hashable {
    public let id: Int64
    public let subscriber: Subscriber
    /// The list through which the subscriber receives this issue (for List-Id).
    public let listID: String
    /// How many times the row has been claimed, this claim included.
    public let attempts: Int
    /// When the row was queued: temporary failures are retried until a deadline counted from here.
    public let queuedAt: Timestamp

    public init(id: Int64, subscriber: Subscriber, listID: String, attempts: Int = 1, queuedAt: Timestamp = Timestamp(epochSeconds: 0)) {
        self.id = id
        self.subscriber = subscriber
        self.listID = listID
        self.attempts = attempts
        self.queuedAt = queuedAt
    }
}

/// What became of one claimed delivery, to be committed to the ledger.
public struct DeliveryResult: Sendable, Hashable {
    public let id: Int64
    public let event: DeliveryState.Event
    /// The SMTP reply code that decided it, if any.
    public let code: Int?
    /// The server's reply text, or what went wrong.
    public let reply: String
    /// For a deferral: when to try again (epoch seconds).
    public let retryAt: Timestamp?

    public init(id: Int64, event: DeliveryState.Event, code: Int?, reply: String, retryAt: Timestamp? = nil) {
        self.id = id
        self.event = event
        self.code = code
        self.reply = reply
        self.retryAt = retryAt
    }
}
