import Foundation
import KyozonDomain
import KyozonTestSupport
import Testing

@testable import KyozonInbound

/// Bounces, unsubscribe requests and everything else, on mails shaped as Postfix and mail
/// clients write them (`Fixtures/`).
@Suite struct InboundClassifierTests {
    let classifier = InboundClassifier(
        bounceAddress: "bounces@kyozon-kyoei.example", unsubscribeAddress: "unsubscribe@kyozon-kyoei.example")

    static func fixture(_ name: String, _ values: [String: String] = [:]) throws -> InboundMessage {
        var text = try String(contentsOfFile: PackagePaths.path("Tests/KyozonInboundTests/Fixtures/\(name)"), encoding: .utf8)
        for (key, value) in values { text = text.replacingOccurrences(of: "{{\(key)}}", with: value) }
        // Mail on the wire has CRLF line ends; the fixtures are kept with LF. Read both.
        return InboundMessage(Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
    }

    static func bounce(status: String = "5.1.1", code: String = "550", action: String = "failed", reason: String = "User unknown")
        -> [String: String]
    {
        [
            "VERP": "bounces+17.Ab-Cd_Ef@kyozon-kyoei.example", "RCPT": "sato@tokyo-office.hokkaido.example",
            "MSGID": "<kyozon.2026-11.abc.7@kyozon-kyoei.example>", "STATUS": status, "CODE": code, "ACTION": action,
            "REASON": reason,
        ]
    }

    @Test func aPostfixBounceIsTiedToItsDeliveryByTheVERPToken() throws {
        let message = try Self.fixture("postfix-bounce.eml", Self.bounce())
        let report = try #require(DeliveryReport(message))
        #expect(report.originalMessageID == "<kyozon.2026-11.abc.7@kyozon-kyoei.example>")
        guard case .bounce(let token, let recipient) = classifier.classify(message) else {
            Issue.record("not a bounce: \(classifier.classify(message))")
            return
        }
        #expect(token == "17.Ab-Cd_Ef", "the token keeps its case")
        #expect(recipient.finalRecipient == "sato@tokyo-office.hokkaido.example")
        #expect(recipient.status == "5.1.1" && BouncePolicy.kind(action: recipient.action, status: recipient.status) == .hard)
        #expect(recipient.diagnostic == "550 5.1.1 <sato@tokyo-office.hokkaido.example>: Recipient address rejected: User unknown")
    }

    @Test func theEnvelopeRecipientFromTheMTAComesFirst() throws {
        var values = Self.bounce()
        values["VERP"] = "postmaster@kyozon-kyoei.example"
        let message = try Self.fixture("postfix-bounce.eml", values)
        guard case .bounce(let token, _) = classifier.classify(message, envelopeRecipient: "Bounces+99.Zz@KYOZON-KYOEI.example") else {
            Issue.record("the pipe's recipient was not used")
            return
        }
        #expect(token == "99.Zz")
    }

    @Test func delaysAndPolicyRefusalsAreNotBounces() throws {
        let delayed = try Self.fixture("postfix-bounce.eml", Self.bounce(status: "4.4.1", code: "421", action: "delayed"))
        guard case .delayed = classifier.classify(delayed) else {
            Issue.record("a delay is not a bounce")
            return
        }
        let policy = try Self.fixture("postfix-bounce.eml", Self.bounce(status: "5.7.1", code: "554", reason: "spam content"))
        guard case .bounce(_, let recipient) = classifier.classify(policy) else {
            Issue.record("a 5.7.1 report is still a report")
            return
        }
        #expect(BouncePolicy.kind(action: recipient.action, status: recipient.status) == nil, "our content refused: not the reader's address")
    }

    @Test func aMailToTheUnsubscribeAddressUnsubscribesItsSender() throws {
        let all = try Self.fixture("unsubscribe.eml", ["FROM": "Sato@Tokyo-Office.example", "TO": "unsubscribe@kyozon-kyoei.example"])
        #expect(classifier.classify(all) == .unsubscribe(from: "Sato@Tokyo-Office.example", list: nil))
        let one = try Self.fixture("unsubscribe.eml", ["FROM": "sato@tokyo-office.example", "TO": "unsubscribe+municipal@kyozon-kyoei.example"])
        #expect(classifier.classify(one) == .unsubscribe(from: "sato@tokyo-office.example", list: "municipal"))
    }

    @Test func autoRepliesAndJunkAreKeptNotActedOn() throws {
        guard case .unrecognised(let reason) = classifier.classify(try Self.fixture("auto-reply.eml")) else {
            Issue.record("an out-of-office reply must not unsubscribe anyone")
            return
        }
        #expect(reason.contains("automatic reply"))
        guard case .unrecognised = classifier.classify(try Self.fixture("junk.eml")) else {
            Issue.record("junk to the bounce address is not a bounce")
            return
        }
        var random = SeededRandom(seed: 3464)
        for _ in 0..<200 {
            let bytes = (0..<Int(random.next() % 3000)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            #expect(classifier.classify(InboundMessage(bytes)).kind == "unrecognised")
        }
    }
}
