import KyozonDomain
import Testing

@testable import KyozonMailer

/// The send run's bookkeeping: what it claims, what it records, when it stops. The ledger and
/// transport here are in-memory stand-ins; SMTP itself is tested against real servers in
/// KyozonSMTPTests and the end-to-end tests, and the SQLite ledger in KyozonStoreTests.
@Suite struct SendRunTests {
    final class MemoryLedger: DeliveryLedger {
        var states: [Int64: DeliveryState]
        var claims: [[Int64]] = []
        var recorded: [[DeliveryResult]] = []
        /// The most rows `sending` after any commit: what a crash then would leave uncertain.
        var mostSending = 0
        /// Rows whose subscriber leaves between the claim and the send.
        var leaveAfterClaim: Set<Int64> = []

        init(count: Int) {
            states = Dictionary(uniqueKeysWithValues: (1...Int64(count)).map { ($0, .pending) })
        }

        func exchange(recording results: [DeliveryResult], claiming limit: Int, now: Timestamp) throws -> [ClaimedDelivery] {
            if !results.isEmpty { try record(results, now: now) }
            guard limit > 0 else { return [] }
            defer { mostSending = max(mostSending, states.values.filter { $0 == .sending }.count) }
            return try claim(limit: limit, now: now)
        }

        func claim(limit: Int, now: Timestamp) throws -> [ClaimedDelivery] {
            let due = states.filter { $0.value == .pending }.keys.sorted().prefix(limit)
            for id in due { states[id] = .sending }
            claims.append(Array(due))
            return due.map {
                ClaimedDelivery(
                    id: $0,
                    subscriber: Subscriber(id: $0, email: try! EmailAddress("s\($0)@x.jp"), name: "", organization: "", prefecture: nil, status: .active),
                    listID: "kyoei")
            }
        }

        func record(_ results: [DeliveryResult], now: Timestamp) throws {
            recorded.append(results)
            for r in results { states[r.id] = states[r.id]!.after(r.event)! }
        }

        func nextRetry() throws -> Timestamp? { nil }

        func notMailable(_ deliveries: [ClaimedDelivery]) throws -> [Int64: String] {
            Dictionary(uniqueKeysWithValues: deliveries.filter { leaveAfterClaim.contains($0.id) }.map { ($0.id, "subscriber is blocked") })
        }
    }

    /// Answers from a script, keeping up to `connections` messages in flight and finishing
    /// the oldest first, as several SMTP connections would.
    final class ScriptedTransport: MailTransport {
        var script: [String: TransportResult]
        let connections: Int
        var sentTo: [String] = []
        init(_ script: [String: TransportResult] = [:], connections: Int = 1) {
            self.script = script
            self.connections = connections
        }
        func stream(next: () -> OutgoingMessage?, done: (Int64, TransportResult) -> Void) {
            var inFlight: [OutgoingMessage] = []
            var stopped = false
            var exhausted = false
            while true {
                while !stopped, !exhausted, inFlight.count < connections {
                    guard let message = next() else {
                        exhausted = true
                        break
                    }
                    sentTo.append(message.recipient.value)
                    inFlight.append(message)
                }
                guard !inFlight.isEmpty else { return }
                let message = inFlight.removeFirst()
                let result = script[message.recipient.value] ?? .accepted(SMTPReply(code: 250, lines: ["250 ok"]))
                if case .relayFailure = result { stopped = true }
                done(message.tag, result)
            }
        }
    }

    func run(_ ledger: MemoryLedger, _ transport: ScriptedTransport, batch: Int = 3, threshold: Int = 10) throws -> SendSummary {
        var policy = SendPolicy()
        policy.batchSize = batch
        policy.sameErrorThreshold = threshold
        return try SendRun(
            ledger: ledger, transport: transport, policy: policy, clock: { Timestamp(epochSeconds: 1_000) },
            sleep: { _ in Issue.record("no wait was allowed") }, envelope: { _ in try! EmailAddress("bounces@x.jp") },
            message: { Array("message \($0.id)".utf8) }
        ).run()
    }

    @Test(arguments: [(1, 1), (3, 1), (3, 4), (8, 8)])
    func sendsEveryoneOnceWithinTheCrashWindow(batch: Int, connections: Int) throws {
        let ledger = MemoryLedger(count: 50)
        let transport = ScriptedTransport(connections: connections)
        let summary = try run(ledger, transport, batch: batch)
        #expect(summary.sent == 50)
        #expect(transport.sentTo.count == 50)
        #expect(Set(transport.sentTo).count == 50)
        #expect(ledger.claims.allSatisfy { $0.count <= batch })
        #expect(ledger.claims.last == [], "the run ends on a claim that found nothing due")
        #expect(ledger.recorded.flatMap { $0 }.count == 50, "every row recorded once")
        #expect(ledger.states.values.allSatisfy { $0 == .sent })
        #expect(ledger.mostSending <= SendRun.crashWindow(batchSize: batch, connections: connections))
        #expect(ledger.mostSending >= batch, "a whole batch is claimed before it is sent")
    }

    @Test func whoLeavesAfterTheClaimIsNotSentTo() throws {
        let ledger = MemoryLedger(count: 10)
        ledger.leaveAfterClaim = [4, 7]
        let transport = ScriptedTransport(connections: 2)
        let summary = try run(ledger, transport, batch: 10)
        #expect(!transport.sentTo.contains("s4@x.jp") && !transport.sentTo.contains("s7@x.jp"))
        #expect(summary.sent == 8 && summary.skipped == 2)
        #expect(ledger.states[4] == .skipped && ledger.states[7] == .skipped)
        let reasons = ledger.recorded.flatMap { $0 }.filter { $0.event == .skip }.map(\.reply)
        #expect(reasons == ["subscriber is blocked", "subscriber is blocked"])
    }

    @Test func eachResultGoesToItsState() throws {
        let ledger = MemoryLedger(count: 4)
        let transport = ScriptedTransport([
            "s2@x.jp": .temporaryFailure(SMTPReply(code: 451, lines: ["451 4.3.0 try later"])),
            "s3@x.jp": .permanentFailure(SMTPReply(code: 550, lines: ["550 5.1.1 no such user"])),
            "s4@x.jp": .outcomeUnknown("connection lost after the body"),
        ])
        let summary = try run(ledger, transport, batch: 10)
        #expect(summary == { var s = SendSummary(); s.sent = 1; s.deferred = 1; s.failed = 1; s.uncertain = 1; return s }())
        #expect(ledger.states == [1: .sent, 2: .deferred, 3: .failed, 4: .uncertain])
        let recorded = ledger.recorded.flatMap { $0 }
        #expect(recorded.first { $0.id == 3 }!.reply == "550 5.1.1 no such user")
        #expect(recorded.first { $0.id == 2 }!.retryAt == Timestamp(epochSeconds: 1_600))
        #expect(summary.relayFailure == nil)
    }

    @Test func aFailingRelayStopsTheRunAndReleasesWhatWasNotSent() throws {
        let ledger = MemoryLedger(count: 6)
        let transport = ScriptedTransport(["s2@x.jp": .relayFailure("connection refused")])
        let summary = try run(ledger, transport, batch: 4)
        #expect(summary.relayFailure == "connection refused")
        #expect(transport.sentTo == ["s1@x.jp", "s2@x.jp"], "nothing more is handed to a failing relay")
        #expect(ledger.states == [1: .sent, 2: .pending, 3: .pending, 4: .pending, 5: .pending, 6: .pending])
        #expect(summary.released >= 3, "rows 2-4 of the batch went back; later ones may have been claimed too")
        #expect(summary.released == ledger.recorded.flatMap { $0 }.filter { $0.event == .released }.count)
    }

    @Test func theSameRefusalManyTimesInARowIsTheRelaysAndCountsAgainstNobody() throws {
        let ledger = MemoryLedger(count: 12)
        let quota = TransportResult.permanentFailure(SMTPReply(code: 554, lines: ["554 5.7.1 daily quota exceeded"]))
        let transport = ScriptedTransport(Dictionary(uniqueKeysWithValues: (3...12).map { ("s\($0)@x.jp", quota) }))
        let summary = try run(ledger, transport, batch: 12, threshold: 4)
        #expect(summary.relayFailure?.contains("refused 4 messages in a row with 554") == true)
        #expect(summary.failed == 0)
        #expect(ledger.states[1] == .sent && ledger.states[2] == .sent)
        #expect((3...12).allSatisfy { ledger.states[Int64($0)] == .pending }, "back in the queue, not failed")
    }

    @Test func badMailboxesInARowAreTheRecipients() throws {
        let ledger = MemoryLedger(count: 6)
        // As Gmail writes it, over several lines.
        let unknown = TransportResult.permanentFailure(
            SMTPReply(code: 550, lines: ["550-5.1.1 The email account that you tried to reach does not exist.", "550 5.1.1 https://support.google.com/mail/?p=NoSuchUser"]))
        let transport = ScriptedTransport(Dictionary(uniqueKeysWithValues: (1...5).map { ("s\($0)@x.jp", unknown) }))
        let summary = try run(ledger, transport, batch: 6, threshold: 3)
        #expect(summary.relayFailure == nil)
        #expect(summary.failed == 5 && summary.sent == 1)
    }
}

/// Retry pacing, the retry deadline, the same-error rule and relay pauses.
@Suite struct SendRunPolicyTests {
    func delivery(attempts: Int, queuedAt: Int64 = 0) -> ClaimedDelivery {
        ClaimedDelivery(
            id: 1, subscriber: Subscriber(id: 1, email: try! EmailAddress("a@x.jp"), name: "", organization: "", prefecture: nil, status: .active),
            listID: "kyoei", attempts: attempts, queuedAt: Timestamp(epochSeconds: queuedAt))
    }

    func run(policy: SendPolicy = SendPolicy()) -> SendRun {
        SendRun(
            ledger: SendRunTests.MemoryLedger(count: 1), transport: SendRunTests.ScriptedTransport(), policy: policy,
            clock: { Timestamp(epochSeconds: 0) }, sleep: { _ in }, envelope: { _ in try! EmailAddress("b@x.jp") },
            message: { _ in [] })
    }

    @Test func deferralsBackOffAndStopAtTheDeadline() {
        let now = Timestamp(epochSeconds: 10_000)
        let run = run()
        let retries = [1, 3, 30].map { run.deferral(delivery(attempts: $0), code: 451, reply: "451", now: now).retryAt?.epochSeconds }
        #expect(retries == [10_600, 12_400, 31_600], "600 s, doubling, at most 6 hours")
        let late = run.deferral(delivery(attempts: 9, queuedAt: 10_000 - 4 * 86400), code: 451, reply: "451 4.2.2 full", now: now)
        #expect(late.event == .permanentFailure)
        #expect(late.reply == "451 4.2.2 full (gave up after 9 tries over 4 day(s))")
    }

    @Test func a421IsTheRelaysTroubleNotTheRecipients() {
        let result = run().classify(.temporaryFailure(SMTPReply(code: 421, lines: ["421 4.3.2 shutting down"])), delivery(attempts: 1), now: Timestamp(epochSeconds: 0))
        #expect(result.event == .released)
    }

    @Test func aStreakOfTheSameRefusalIsHeldBackThenReleased() {
        var pass = Pass(threshold: 3)
        let busy = { (id: Int64) in DeliveryResult(id: id, event: .temporaryFailure, code: 451, reply: "451 4.3.0 busy") }
        pass.settle(busy(1))
        pass.settle(busy(2))
        #expect(pass.takeSettled().isEmpty, "two in a row could still be the relay's")
        pass.settle(DeliveryResult(id: 3, event: .accepted, code: 250, reply: "250"))
        #expect(pass.takeSettled().map(\.event) == [.temporaryFailure, .temporaryFailure, .accepted], "a success ends the streak")
        for id in Int64(4)...6 { pass.settle(busy(id)) }
        #expect(pass.takeSettled().map(\.event) == [.released, .released, .released])
        #expect(pass.relayTrouble?.contains("refused 3 messages in a row with 451") == true)
    }

    @Test func onlyRefusalsThatMayBeTheRelaysFormAStreak() {
        let reply = { (code: Int, text: String) in DeliveryResult(id: 1, event: .permanentFailure, code: code, reply: text) }
        #expect(Pass.mayBeTheRelays(reply(554, "554 5.7.1 Relay access denied")))
        #expect(Pass.mayBeTheRelays(reply(550, "550 rejected")))
        #expect(!Pass.mayBeTheRelays(reply(550, "550 5.1.1 no such user")))
        #expect(!Pass.mayBeTheRelays(reply(452, "452 4.2.2 mailbox full")))
        // Gmail's multi-line refusal: the code follows "550-", not "550 ".
        #expect(!Pass.mayBeTheRelays(reply(550, "550-5.1.1 The email account that you tried to reach does not exist. / 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser")))
    }

    @Test func aFailingRelayPausesWithinTheWaitThenStops() throws {
        final class Clock: @unchecked Sendable { var now: Int64 = 0 }
        let clock = Clock()
        var pauses: [Int64] = []
        var policy = SendPolicy()
        policy.batchSize = 2
        policy.waitWithinRun = 40
        let transport = SendRunTests.ScriptedTransport(["s1@x.jp": .relayFailure("connection refused")])
        let summary = try SendRun(
            ledger: SendRunTests.MemoryLedger(count: 2), transport: transport, policy: policy,
            clock: { Timestamp(epochSeconds: clock.now) }, sleep: { pauses.append($0); clock.now += $0 },
            envelope: { _ in try! EmailAddress("b@x.jp") }, message: { _ in [] }
        ).run()
        #expect(pauses == [5, 10, 20], "backs off, and stops once the next pause would pass the wait")
        #expect(summary.pauses == 3)
        #expect(summary.relayFailure == "connection refused")
        #expect(summary.sent == 0)
    }
}
