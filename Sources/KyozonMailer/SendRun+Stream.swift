import Foundation
import KyozonDomain

extension SendRun {
    /// One pass of the transport over what is due: returns how many rows it claimed and the
    /// relay's trouble if that stopped it. Every claimed row has a committed result on return.
    ///
    /// Two threads: the caller's drives the transport; a feeder claims, records and builds
    /// messages. They meet only in `Feed`, under its lock.
    func stream(_ summary: inout SendSummary) throws -> (claimed: Int, relayTrouble: String?) {
        let feed = Feed(threshold: policy.sameErrorThreshold, batchSize: policy.batchSize)
        let feeder = Feeder(run: self, feed: feed, summary: summary)
        let thread = Thread { feeder.work() }
        thread.stackSize = 1 << 20
        thread.start()
        transport.stream(
            next: { feed.next() },
            done: { tag, result in feed.done(tag, result, classify: { classify(result, $0, now: clock()) }) })
        feed.finishSending()
        feeder.finished.wait()
        summary = feeder.summary
        // Claimed but never handed over (the relay or the ledger failed): back to the queue.
        let results = feed.closing()
        do {
            _ = try ledger.exchange(recording: results, claiming: 0, now: clock())
        } catch {
            // Rows left `sending` become `uncertain` at the next run: nothing is sent twice.
            throw feeder.error ?? error
        }
        summary.count(results)
        progress(summary)
        if let error = feeder.error { throw error }
        return (feed.claimed, feed.relayTrouble)
    }
}

/// The feeder thread: commits results and claims rows in one transaction, builds the
/// messages, and hands them to the transport's thread through the feed. `SendRun`'s ledger,
/// `envelope`, `message` and `progress` are used by this thread only while it runs, and by the
/// caller only after `finished` is signalled, never by both at once; `clock` is called from
/// both threads and must be safe to (the CLI's reads the system clock or a fixed time).
final class Feeder: @unchecked Sendable {
    let run: SendRun
    let feed: Feed
    var summary: SendSummary
    var error: Error?
    let finished = DispatchSemaphore(value: 0)

    init(run: SendRun, feed: Feed, summary: SendSummary) {
        self.run = run
        self.feed = feed
        self.summary = summary
    }

    func work() {
        defer { finished.signal() }
        while let turn = feed.awaitTurn() {
            var claimed: [ClaimedDelivery] = []
            if !turn.results.isEmpty || turn.claim > 0 {
                do {
                    claimed = try run.ledger.exchange(recording: turn.results, claiming: turn.claim, now: run.clock())
                } catch {
                    self.error = error
                    feed.stop(returning: turn.results)
                    return
                }
                summary.count(turn.results)
                run.progress(summary)
            }
            // Someone unsubscribed, blocked or bounced since their row was claimed is not sent
            // to: checked on every turn, before new messages are handed over, and at least once
            // a second while messages wait. When the check cannot be made, the run stops (the
            // rows just claimed go back to the queue) rather than mail without it.
            let gone: [Int64: String]
            do {
                gone = try run.ledger.notMailable(feed.waitingDeliveries() + claimed)
            } catch {
                self.error = error
                feed.stop(returning: claimed.map {
                    DeliveryResult(id: $0.id, event: .released, code: nil, reply: "not sent: could not check who left: \(error)")
                })
                return
            }
            if !gone.isEmpty { feed.skip(gone) }
            let kept = claimed.filter { gone[$0.id] == nil }
            let skipped = claimed.compactMap { delivery in
                gone[delivery.id].map { DeliveryResult(id: delivery.id, event: .skip, code: nil, reply: $0) }
            }
            let messages = kept.map { delivery in
                OutgoingMessage(
                    envelopeFrom: run.envelope(delivery), recipient: delivery.subscriber.email, data: run.message(delivery),
                    tag: delivery.id)
            }
            feed.add(
                Array(zip(kept, messages)), skipped: skipped, claimed: claimed.count, recorded: turn.results.count,
                askedFor: turn.claim)
        }
    }
}

/// What the two threads share: messages ready to send, rows in flight, results waiting for a
/// commit, and whether to stop. Every member is used under `lock`.
final class Feed: @unchecked Sendable {
    private let lock = NSCondition()
    private let batchSize: Int
    private var ready: [(ClaimedDelivery, OutgoingMessage)] = []
    private var head = 0
    private var inFlight: [Int64: ClaimedDelivery] = [:]
    private var pass: Pass
    /// Claimed and not yet recorded: what a crash now would leave `sending`.
    private var outstanding = 0
    /// Nothing more is due (a claim came back empty): the feeder is done.
    private var exhausted = false
    /// The transport will ask for nothing more.
    private var sendingOver = false
    private var stopped = false
    private(set) var claimed = 0

    init(threshold: Int, batchSize: Int) {
        // A streak is held back unrecorded: keeping it within a batch keeps it inside the
        // crash window, and leaves room to claim when the transport runs dry.
        self.pass = Pass(threshold: min(threshold, batchSize))
        self.batchSize = batchSize
    }

    var relayTrouble: String? {
        lock.lock()
        defer { lock.unlock() }
        return pass.relayTrouble
    }

    private var waiting: Int { ready.count - head }
    private var lowWater: Int { max(1, batchSize / 2) }

    // MARK: the transport's thread

    /// The next message to send, waiting for the feeder when none is ready; nil once nothing
    /// more is due or the pass stopped.
    func next() -> OutgoingMessage? {
        lock.lock()
        defer { lock.unlock() }
        while waiting == 0 && !exhausted && !stopped && pass.relayTrouble == nil { lock.wait() }
        guard waiting > 0, !stopped, pass.relayTrouble == nil else { return nil }
        let (delivery, message) = ready[head]
        head += 1
        inFlight[delivery.id] = delivery
        if waiting < lowWater { lock.broadcast() }
        return message
    }

    /// Takes one result in (classified on this thread, committed by the feeder).
    func done(_ tag: Int64, _ result: TransportResult, classify: (ClaimedDelivery) -> DeliveryResult) {
        lock.lock()
        defer { lock.unlock() }
        guard let delivery = inFlight.removeValue(forKey: tag) else { return }
        pass.settle(classify(delivery))
        if pass.relayTrouble != nil || pass.settled.count >= batchSize { lock.broadcast() }
    }

    /// The transport returned: the feeder stops after its current turn.
    func finishSending() {
        lock.lock()
        sendingOver = true
        lock.broadcast()
        lock.unlock()
    }

    // MARK: the feeder's thread

    /// Waits until there is something to do: results to commit, messages running low, or a
    /// second gone by (to look again at who may still be mailed). Returns the results to
    /// record and how many rows to claim, or nil when the feeder is done.
    ///
    /// A claim is made only while rows claimed and not recorded stay within two batches plus
    /// those in flight: `SendRun.crashWindow`. When nothing is waiting to be sent that always
    /// holds (in flight, plus a held-back streak shorter than a batch, plus one batch).
    func awaitTurn() -> (results: [DeliveryResult], claim: Int)? {
        lock.lock()
        defer { lock.unlock() }
        while true {
            if stopped || sendingOver || exhausted || pass.relayTrouble != nil { return nil }
            let results = pass.settled.count >= batchSize || waiting < lowWater ? pass.takeSettled() : []
            // Claim only while the rows claimed and unrecorded stay within the window.
            let claim = waiting < lowWater && outstanding - results.count + batchSize <= 2 * batchSize + inFlight.count ? batchSize : 0
            if !results.isEmpty || claim > 0 { return (results, claim) }
            if !lock.wait(until: Date(timeIntervalSinceNow: 1)), waiting > 0 { return ([], 0) }
        }
    }

    /// The claimed rows waiting to be handed to the relay.
    func waitingDeliveries() -> [ClaimedDelivery] {
        lock.lock()
        defer { lock.unlock() }
        return ready[head...].map(\.0)
    }

    /// Takes rows out of the waiting queue before they are sent: they end `skipped`.
    func skip(_ reasons: [Int64: String]) {
        lock.lock()
        defer { lock.unlock() }
        let kept = ready[head...].filter { reasons[$0.0.id] == nil }
        for (delivery, _) in ready[head...] where reasons[delivery.id] != nil {
            pass.settled.append(DeliveryResult(id: delivery.id, event: .skip, code: nil, reply: reasons[delivery.id]!))
        }
        ready = Array(kept)
        head = 0
        lock.broadcast()
    }

    /// Hands built messages to the transport's thread; `skipped` are claimed rows found no
    /// longer mailable, recorded with the next commit.
    func add(
        _ messages: [(ClaimedDelivery, OutgoingMessage)], skipped: [DeliveryResult], claimed count: Int, recorded: Int, askedFor: Int
    ) {
        lock.lock()
        defer { lock.unlock() }
        // Drop what was sent before adding: memory stays at about one and a half batches.
        ready.removeFirst(head)
        head = 0
        ready += messages
        pass.settled += skipped
        claimed += count
        outstanding += count - recorded
        if askedFor > 0 && count == 0 { exhausted = true }
        lock.broadcast()
    }

    /// The ledger failed: nothing more is sent; `results` are recorded at the close.
    func stop(returning results: [DeliveryResult]) {
        lock.lock()
        defer { lock.unlock() }
        stopped = true
        pass.settled = results + pass.settled
        lock.broadcast()
    }

    // MARK: after both threads

    /// Every result not yet committed, with rows claimed but never sent released.
    func closing() -> [DeliveryResult] {
        lock.lock()
        defer { lock.unlock() }
        var results = pass.takeSettled(final: true)
        for (delivery, _) in ready[head...] {
            results.append(DeliveryResult(id: delivery.id, event: .released, code: nil, reply: "not sent: the run stopped"))
        }
        for delivery in inFlight.values {
            results.append(DeliveryResult(id: delivery.id, event: .released, code: nil, reply: "not sent: the run stopped"))
        }
        ready = []
        head = 0
        inFlight = [:]
        return results
    }
}
