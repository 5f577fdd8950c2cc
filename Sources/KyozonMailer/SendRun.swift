import KyozonDomain

/// How a send run paces itself and when it gives up.
public struct SendPolicy: Sendable {
    /// Rows claimed per transaction: the most one crash can leave `uncertain`.
    public var batchSize = 16
    /// Seconds before the first retry of a temporarily refused message; doubles with each try.
    public var retryDelay: Int64 = 600
    public var maxRetryDelay: Int64 = 6 * 3600
    /// Seconds after a row was queued when a temporary failure becomes `failed`.
    public var retryFor: Int64 = 3 * 86400
    /// How long this run may wait, in all, for deferred rows to come due or for a failing
    /// relay to recover before it stops (0: never wait; a later run goes on).
    public var waitWithinRun: Int64 = 0
    /// A whole batch (at least this many) refused with the same temporary code is the relay's
    /// trouble, not the recipients'.
    public var sameErrorThreshold = 3

    public init() {}
}

/// One run of sending an issue: claim a batch of deliveries, send them, commit the results,
/// until nothing is due.
///
/// ```swift
/// let run = SendRun(ledger: ledger, transport: smtp, policy: policy, clock: now, sleep: sleep,
///                   envelope: { _ in bounces }, message: { compose($0) })
/// let summary = try run.run()
/// ```
/// A row is claimed (`sending`, committed) before its message reaches the transport, and
/// results are committed once per batch, so a crash leaves at most `batchSize` rows
/// `sending`: the next run marks them `uncertain` instead of sending them twice. When the
/// relay fails, the rows it did not take go back to `pending` without counting as a try;
/// the run pauses (backing off) within `waitWithinRun`, then stops.
public struct SendRun {
    public let ledger: any DeliveryLedger
    public let transport: any MailTransport
    public let policy: SendPolicy
    public let clock: () -> Timestamp
    public let sleep: (Int64) -> Void
    public let envelope: (ClaimedDelivery) -> EmailAddress
    public let message: (ClaimedDelivery) -> [UInt8]
    public let progress: (SendSummary) -> Void

    public init(
        ledger: any DeliveryLedger, transport: any MailTransport, policy: SendPolicy, clock: @escaping () -> Timestamp,
        sleep: @escaping (Int64) -> Void, envelope: @escaping (ClaimedDelivery) -> EmailAddress,
        message: @escaping (ClaimedDelivery) -> [UInt8], progress: @escaping (SendSummary) -> Void = { _ in }
    ) {
        precondition(policy.batchSize > 0)
        self.ledger = ledger
        self.transport = transport
        self.policy = policy
        self.clock = clock
        self.sleep = sleep
        self.envelope = envelope
        self.message = message
        self.progress = progress
    }

    /// Sends until nothing is due (and nothing deferred comes due within the wait), or the
    /// relay keeps failing. Ledger errors are thrown.
    public func run() throws -> SendSummary {
        var summary = SendSummary()
        let waitUntil = clock().epochSeconds + policy.waitWithinRun
        var pause: Int64 = 5
        while true {
            let batch = try ledger.claim(limit: policy.batchSize, now: clock())
            if batch.isEmpty {
                guard let next = try ledger.nextRetry(), next.epochSeconds <= waitUntil else { break }
                sleep(max(1, next.epochSeconds - clock().epochSeconds))
                continue
            }
            let outgoing = batch.map {
                OutgoingMessage(envelopeFrom: envelope($0), recipient: $0.subscriber.email, data: message($0))
            }
            let now = clock()
            var results = zip(batch, transport.send(outgoing)).map { classify($1, $0, now: now) }
            let relayTrouble = relayFailure(in: results)
            if let reason = relayTrouble.reason, relayTrouble.wholeBatch {
                results = results.map { DeliveryResult(id: $0.id, event: .released, code: $0.code, reply: "not sent: \(reason)") }
            }
            try ledger.record(results, now: clock())
            summary.count(results)
            progress(summary)
            guard let reason = relayTrouble.reason else {
                pause = 5
                continue
            }
            if clock().epochSeconds + pause <= waitUntil {
                summary.pauses += 1
                summary.lastRelayTrouble = reason
                sleep(pause)
                pause = min(pause * 2, 300)
                continue
            }
            summary.relayFailure = reason
            break
        }
        return summary
    }

    /// What the ledger should record for one transport result.
    func classify(_ result: TransportResult, _ delivery: ClaimedDelivery, now: Timestamp) -> DeliveryResult {
        let id = delivery.id
        switch result {
        case .accepted(let reply):
            return DeliveryResult(id: id, event: .accepted, code: reply.code, reply: reply.description)
        case .temporaryFailure(let reply) where reply.code == 421:
            // "Service not available, closing": the relay's state, not the recipient's.
            return DeliveryResult(id: id, event: .released, code: 421, reply: "not sent: \(reply)")
        case .temporaryFailure(let reply):
            return deferral(delivery, code: reply.code, reply: reply.description, now: now)
        case .notSent(let why):
            return deferral(delivery, code: nil, reply: why, now: now)
        case .permanentFailure(let reply):
            return DeliveryResult(id: id, event: .permanentFailure, code: reply.code, reply: reply.description)
        case .outcomeUnknown(let why):
            return DeliveryResult(id: id, event: .outcomeUnknown, code: nil, reply: why)
        case .relayFailure(let why):
            return DeliveryResult(id: id, event: .released, code: nil, reply: "not sent: \(why)")
        case .notStarted:
            return DeliveryResult(id: id, event: .released, code: nil, reply: "not sent: the batch stopped")
        }
    }

    /// Deferred with a growing delay, or failed once the retry deadline has passed.
    func deferral(_ delivery: ClaimedDelivery, code: Int?, reply: String, now: Timestamp) -> DeliveryResult {
        let age = now.epochSeconds - delivery.queuedAt.epochSeconds
        if age >= policy.retryFor {
            let days = Double(age) / 86400
            let note = " (gave up after \(delivery.attempts) tries over \(days < 1 ? "less than a day" : "\(Int(days.rounded())) day(s)"))"
            return DeliveryResult(id: delivery.id, event: .permanentFailure, code: code, reply: reply + note)
        }
        let shift = min(delivery.attempts - 1, 20)
        let delay = min(policy.retryDelay << shift, policy.maxRetryDelay)
        return DeliveryResult(
            id: delivery.id, event: .temporaryFailure, code: code, reply: reply,
            retryAt: Timestamp(epochSeconds: now.epochSeconds + delay))
    }

    /// The relay's trouble in a batch: a relay failure, or the same temporary refusal for
    /// every message of a batch large enough to tell.
    func relayFailure(in results: [DeliveryResult]) -> (reason: String?, wholeBatch: Bool) {
        if let released = results.first(where: { $0.event == .released }) {
            return (String(released.reply.dropFirst("not sent: ".count)), false)
        }
        // The same refusal, temporary or permanent, for every message of a batch large
        // enough to tell: the relay's policy, not each recipient's mailbox.
        for event in [DeliveryState.Event.temporaryFailure, .permanentFailure] {
            let refused = results.filter { $0.event == event }
            if results.count >= policy.sameErrorThreshold, refused.count == results.count,
                let code = refused.first?.code, refused.allSatisfy({ $0.code == code })
            {
                return ("the relay refused every message of a batch with \(code): \(refused[0].reply)", true)
            }
        }
        return (nil, false)
    }
}

/// Counts of what one run did.
public struct SendSummary: Sendable, Equatable {
    public var sent = 0
    public var deferred = 0
    public var failed = 0
    public var uncertain = 0
    /// Rows handed back because the relay failed (not counted against subscribers).
    public var released = 0
    /// How often the run paused for a failing relay and went on.
    public var pauses = 0
    public var lastRelayTrouble: String?
    /// Why the run stopped early, when the relay kept failing.
    public var relayFailure: String?

    public init() {}

    mutating func count(_ results: [DeliveryResult]) {
        for result in results {
            switch result.event {
            case .accepted: sent += 1
            case .temporaryFailure: deferred += 1
            case .permanentFailure: failed += 1
            case .outcomeUnknown: uncertain += 1
            case .released: released += 1
            default: break
            }
        }
    }
}
