import KyozonDomain

/// How a send run paces itself and when it gives up.
public struct SendPolicy: Sendable {
    /// Rows claimed per transaction. A crash leaves at most this many plus the number of
    /// connections `uncertain`.
    public var batchSize = 32
    /// Seconds before the first retry of a temporarily refused message; doubles with each try.
    public var retryDelay: Int64 = 600
    public var maxRetryDelay: Int64 = 6 * 3600
    /// Seconds after a row was queued when a temporary failure becomes `failed`.
    public var retryFor: Int64 = 3 * 86400
    /// How long this run may wait, in all, for deferred rows to come due or for a failing
    /// relay to recover before it stops (0: never wait; a later run goes on).
    public var waitWithinRun: Int64 = 0
    /// This many messages in a row refused with the same code is the relay's trouble (a quota,
    /// a policy), not the recipients': the run pauses instead of failing them. Refusals that
    /// name the address or the mailbox (enhanced status x.1.x, x.2.x) never count.
    public var sameErrorThreshold = 10

    public init() {}
}

/// One run of sending an issue: claim a group of deliveries, stream them to the transport,
/// commit their results with the next claim, until nothing is due.
///
/// ```swift
/// let run = SendRun(ledger: ledger, transport: smtp, policy: policy, clock: now, sleep: sleep,
///                   envelope: { _ in bounces }, message: { compose($0) })
/// let summary = try run.run()
/// ```
/// A row is claimed (`sending`, committed) before its message reaches the transport. A second
/// thread keeps the transport fed: when fewer than half a batch of messages wait, it commits
/// the results so far and claims the next `batchSize` rows in one transaction, then builds
/// their messages, while the connections go on sending. The relay never waits for a group to
/// drain, there is one fsync per group, not per message, and the work of building messages
/// runs beside libcurl's. At most `crashWindow` rows are claimed and not yet recorded at any
/// instant, so that is the most a crash can leave `sending`: the next run marks them
/// `uncertain` instead of sending them twice. When the relay fails, the rows
/// it did not take go back to `pending` without counting as a try; the run pauses (backing
/// off) within `waitWithinRun`, then stops.
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

    /// The most rows that can be `sending` at once: two batches and one message per connection.
    public static func crashWindow(batchSize: Int, connections: Int) -> Int { 2 * batchSize + connections }

    /// Sends until nothing is due (and nothing deferred comes due within the wait), or the
    /// relay keeps failing. Ledger errors are thrown.
    public func run() throws -> SendSummary {
        var summary = SendSummary()
        let waitUntil = clock().epochSeconds + policy.waitWithinRun
        var pause: Int64 = 5
        while true {
            let pass = try stream(&summary)
            guard let reason = pass.relayTrouble else {
                pause = 5
                if pass.claimed > 0 { continue }
                guard let next = try ledger.nextRetry(), next.epochSeconds <= waitUntil else { break }
                sleep(max(1, next.epochSeconds - clock().epochSeconds))
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

}

/// The results of one pass over the transport waiting for the next commit, and the rule
/// that tells the relay's refusals from the recipients'.
struct Pass {
    let threshold: Int
    var settled: [DeliveryResult] = []
    /// Consecutive refusals with the same code, held back until they tell whether the
    /// recipients or the relay are refused.
    var streak: [DeliveryResult] = []
    var relayTrouble: String?

    init(threshold: Int) { self.threshold = max(1, threshold) }

    /// Takes one result in. A relay failure stops the pass; the same refusal `threshold`
    /// times in a row is the relay's policy, not each recipient's mailbox: those rows go
    /// back to the queue, not counted against anyone.
    mutating func settle(_ result: DeliveryResult) {
        switch result.event {
        case .released:
            if relayTrouble == nil { relayTrouble = String(result.reply.dropFirst("not sent: ".count)) }
            settled.append(result)
        case .temporaryFailure where Self.mayBeTheRelays(result), .permanentFailure where Self.mayBeTheRelays(result):
            if let first = streak.first, first.event != result.event || first.code != result.code {
                settled += streak
                streak = []
            }
            streak.append(result)
            if streak.count >= threshold {
                let code = result.code ?? 0
                if relayTrouble == nil {
                    relayTrouble = "the relay refused \(streak.count) messages in a row with \(code): \(streak[0].reply)"
                }
                settled += streak.map { DeliveryResult(id: $0.id, event: .released, code: $0.code, reply: "not sent: \(relayTrouble!)") }
                streak = []
            }
        default:
            settled += streak
            streak = []
            settled.append(result)
        }
    }

    /// Whether a refusal could be the relay's rather than the recipient's: it has a reply
    /// code, and no enhanced status about the address (x.1.x) or the mailbox (x.2.x).
    static func mayBeTheRelays(_ result: DeliveryResult) -> Bool {
        guard result.code != nil else { return false }
        return EnhancedStatus(reply: result.reply)?.isAboutTheRecipient != true
    }

    /// The results ready to commit; a streak still open stays back unless the pass is over.
    mutating func takeSettled(final: Bool = false) -> [DeliveryResult] {
        if final {
            settled += streak
            streak = []
        }
        defer { settled = [] }
        return settled
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
    /// Rows not sent because their subscriber left, was blocked or bounced after the claim.
    public var skipped = 0
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
            case .skip: skipped += 1
            default: break
            }
        }
    }
}
