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

        init(count: Int) {
            states = Dictionary(uniqueKeysWithValues: (1...Int64(count)).map { ($0, .pending) })
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
    }

    final class ScriptedTransport: MailTransport {
        var script: [String: TransportResult]
        var sentTo: [String] = []
        init(_ script: [String: TransportResult] = [:]) { self.script = script }
        func send(_ messages: [OutgoingMessage]) -> [TransportResult] {
            var stopped = false
            return messages.map { message in
                if stopped { return .notStarted }
                sentTo.append(message.recipient.value)
                let result = script[message.recipient.value] ?? .accepted(SMTPReply(code: 250, lines: ["250 ok"]))
                if case .relayFailure = result { stopped = true }
                return result
            }
        }
    }

    func run(_ ledger: MemoryLedger, _ transport: ScriptedTransport, batch: Int = 3) throws -> SendSummary {
        var policy = SendPolicy()
        policy.batchSize = batch
        return try SendRun(
            ledger: ledger, transport: transport, policy: policy, clock: { Timestamp(epochSeconds: 1_000) },
            sleep: { _ in Issue.record("no wait was allowed") }, envelope: { _ in try! EmailAddress("bounces@x.jp") },
            message: { Array("message \($0.id)".utf8) }
        ).run()
    }

    @Test func sendsEveryoneOnceInBatchesAndCommitsEachBatch() throws {
        let ledger = MemoryLedger(count: 7)
        let transport = ScriptedTransport()
        let summary = try run(ledger, transport)
        #expect(summary.sent == 7)
        #expect(transport.sentTo.count == 7)
        #expect(Set(transport.sentTo).count == 7)
        #expect(ledger.claims.map(\.count) == [3, 3, 1, 0])
        #expect(ledger.recorded.map(\.count) == [3, 3, 1])
        #expect(ledger.states.values.allSatisfy { $0 == .sent })
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
        let failed = ledger.recorded[0].first { $0.id == 3 }!
        #expect(failed.reply == "550 5.1.1 no such user")
        #expect(ledger.recorded[0].first { $0.id == 2 }!.retryAt == Timestamp(epochSeconds: 1_600))
        #expect(summary.relayFailure == nil)
    }

    @Test func aFailingRelayStopsTheRunAndReleasesWhatWasNotSent() throws {
        let ledger = MemoryLedger(count: 6)
        let transport = ScriptedTransport(["s2@x.jp": .relayFailure("connection refused")])
        let summary = try run(ledger, transport, batch: 4)
        #expect(summary.relayFailure == "connection refused")
        #expect(transport.sentTo == ["s1@x.jp", "s2@x.jp"], "nothing more is handed to a failing relay")
        #expect(ledger.states == [1: .sent, 2: .pending, 3: .pending, 4: .pending, 5: .pending, 6: .pending])
        #expect(summary.released == 3, "rows 2-4 of the batch went back; 5 and 6 were never claimed")
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

    @Test func theSameRefusalForAWholeBatchIsTheRelay() {
        let results = (1...3).map { DeliveryResult(id: Int64($0), event: .temporaryFailure, code: 451, reply: "451 4.3.0 busy") }
        let verdict = run().relayFailure(in: results)
        #expect(verdict.wholeBatch && verdict.reason?.contains("refused every message of a batch with 451") == true)
        let denied = (1...3).map { DeliveryResult(id: Int64($0), event: .permanentFailure, code: 554, reply: "554 5.7.1 Relay access denied") }
        #expect(run().relayFailure(in: denied).wholeBatch, "the same 5xx for everyone is the relay's too")
        let mixed = results.dropLast() + [DeliveryResult(id: 3, event: .accepted, code: 250, reply: "250")]
        #expect(run().relayFailure(in: Array(mixed)).reason == nil)
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
