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
    }

    final class ScriptedTransport: MailTransport {
        var script: [String: TransportResult]
        var sentTo: [String] = []
        init(_ script: [String: TransportResult] = [:]) { self.script = script }
        func send(_ message: OutgoingMessage) -> TransportResult {
            sentTo.append(message.recipient.value)
            return script[message.recipient.value] ?? .accepted(SMTPReply(code: 250, lines: ["250 ok"]))
        }
    }

    func run(_ ledger: MemoryLedger, _ transport: ScriptedTransport, batch: Int = 3) throws -> SendSummary {
        try SendRun(
            ledger: ledger, transport: transport, envelopeFrom: try EmailAddress("bounces@x.jp"), batchSize: batch,
            clock: { Timestamp(epochSeconds: 1_000) }, message: { Array("message \($0.id)".utf8) }
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
    }

    @Test func aFailingRelayStopsTheRunAndReleasesWhatWasNotSent() throws {
        let ledger = MemoryLedger(count: 6)
        let transport = ScriptedTransport(["s2@x.jp": .relayFailure("connection refused")])
        let summary = try run(ledger, transport, batch: 4)
        #expect(summary.relayFailure == "connection refused")
        #expect(transport.sentTo == ["s1@x.jp", "s2@x.jp"], "nothing more is handed to a failing relay")
        #expect(ledger.states == [1: .sent, 2: .pending, 3: .pending, 4: .pending, 5: .pending, 6: .pending])
    }
}
