import KyozonDomain

/// One run of sending an issue: claim a batch of deliveries, send each, commit the
/// results, until nothing is due.
///
/// ```swift
/// let run = SendRun(ledger: ledger, transport: smtp, envelopeFrom: sender, message: { compose($0) })
/// let summary = try run.run()
/// ```
/// A row is claimed (`sending`, committed) before its message reaches the transport, and
/// results are committed once per batch, so a crash leaves at most `batchSize` rows
/// `sending`: the next run marks them `uncertain` instead of sending them twice.
public struct SendRun {
    public let ledger: any DeliveryLedger
    public let transport: any MailTransport
    public let envelopeFrom: EmailAddress
    /// Rows claimed per transaction: the most a crash can leave uncertain.
    public let batchSize: Int
    /// How long a temporarily refused message waits before the next try.
    public let retryDelaySeconds: Int64
    public let clock: @Sendable () -> Timestamp
    public let message: (ClaimedDelivery) -> [UInt8]
    public let progress: (SendSummary) -> Void

    public init(
        ledger: any DeliveryLedger, transport: any MailTransport, envelopeFrom: EmailAddress, batchSize: Int = 16,
        retryDelaySeconds: Int64 = 600, clock: @escaping @Sendable () -> Timestamp,
        message: @escaping (ClaimedDelivery) -> [UInt8], progress: @escaping (SendSummary) -> Void = { _ in }
    ) {
        precondition(batchSize > 0)
        self.ledger = ledger
        self.transport = transport
        self.envelopeFrom = envelopeFrom
        self.batchSize = batchSize
        self.retryDelaySeconds = retryDelaySeconds
        self.clock = clock
        self.message = message
        self.progress = progress
    }

    /// Sends until no delivery is due or the relay fails. Ledger errors are thrown.
    public func run() throws -> SendSummary {
        var summary = SendSummary()
        while summary.relayFailure == nil {
            let batch = try ledger.claim(limit: batchSize, now: clock())
            if batch.isEmpty { break }
            var results: [DeliveryResult] = []
            results.reserveCapacity(batch.count)
            for delivery in batch {
                if summary.relayFailure != nil {
                    // Never handed to the transport: back to the queue, not uncertain.
                    results.append(DeliveryResult(id: delivery.id, event: .released, code: nil, reply: "not sent: run stopped"))
                    continue
                }
                let outgoing = OutgoingMessage(
                    envelopeFrom: envelopeFrom, recipient: delivery.subscriber.email, data: message(delivery))
                let result = transport.send(outgoing)
                results.append(classify(result, delivery: delivery))
                summary.count(result)
            }
            try ledger.record(results, now: clock())
            progress(summary)
        }
        return summary
    }

    func classify(_ result: TransportResult, delivery: ClaimedDelivery) -> DeliveryResult {
        let id = delivery.id
        switch result {
        case .accepted(let reply):
            return DeliveryResult(id: id, event: .accepted, code: reply.code, reply: reply.description)
        case .temporaryFailure(let reply):
            return DeliveryResult(
                id: id, event: .temporaryFailure, code: reply.code, reply: reply.description, retryAt: retryTime())
        case .permanentFailure(let reply):
            return DeliveryResult(id: id, event: .permanentFailure, code: reply.code, reply: reply.description)
        case .notSent(let why):
            return DeliveryResult(id: id, event: .temporaryFailure, code: nil, reply: why, retryAt: retryTime())
        case .outcomeUnknown(let why):
            return DeliveryResult(id: id, event: .outcomeUnknown, code: nil, reply: why)
        case .relayFailure(let why):
            return DeliveryResult(id: id, event: .released, code: nil, reply: "not sent: \(why)")
        }
    }

    private func retryTime() -> Timestamp {
        Timestamp(epochSeconds: clock().epochSeconds + retryDelaySeconds)
    }
}

/// Counts of what one run did.
public struct SendSummary: Sendable, Equatable {
    public var sent = 0
    public var deferred = 0
    public var failed = 0
    public var uncertain = 0
    /// Why the run stopped early, when the relay failed.
    public var relayFailure: String?

    public init() {}

    mutating func count(_ result: TransportResult) {
        switch result {
        case .accepted: sent += 1
        case .temporaryFailure, .notSent: deferred += 1
        case .permanentFailure: failed += 1
        case .outcomeUnknown: uncertain += 1
        case .relayFailure(let why): relayFailure = why
        }
    }
}
