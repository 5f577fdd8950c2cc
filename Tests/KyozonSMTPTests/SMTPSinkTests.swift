import KyozonDomain
import KyozonMailer
import KyozonTestSupport
import Testing

@testable import KyozonSMTP

/// libcurl against Postfix's smtp-sink with its reject and disconnect options.
@Suite struct SMTPSinkTests {
    func messages(_ count: Int) -> [OutgoingMessage] {
        (1...count).map {
            OutgoingMessage(
                envelopeFrom: try! EmailAddress("bounces@x.jp"), recipient: try! EmailAddress("r\($0)@x.jp"),
                data: Array("Subject: sink \($0)\r\n\r\n\(String(repeating: "本文", count: 500))\r\n".utf8))
        }
    }

    func kinds(_ results: [TransportResult]) -> Set<String> {
        Set(results.map { result in
            switch result {
            case .accepted: "accepted"
            case .temporaryFailure(let r): "temporary \(r.code / 100)xx"
            case .permanentFailure(let r): "permanent \(r.code / 100)xx"
            case .notSent: "not sent"
            case .outcomeUnknown: "uncertain"
            case .relayFailure: "relay"
            case .notStarted: "not started"
            }
        })
    }

    @Test func manyMessagesOverFourConnections() throws {
        let sink = try SMTPSink()
        let smtp = try CurlSMTPTransport(settings: SMTPSettings(url: sink.url, requireTLS: false), connections: 4)
        #expect(kinds(smtp.send(messages(200))) == ["accepted"])
    }

    @Test(arguments: [
        (["-f", "RCPT"], "permanent 5xx"),
        (["-r", "RCPT"], "temporary 4xx"),
        (["-f", "."], "permanent 5xx"),
        (["-r", "."], "temporary 4xx"),
        (["-q", "."], "uncertain"),
        (["-q", "DATA"], "not sent"),
        (["-Q", "."], "temporary 4xx"),
    ])
    func refusalsAndDropsAreClassified(options: [String], expected: String) throws {
        let sink = try SMTPSink(options: options)
        let smtp = try CurlSMTPTransport(settings: SMTPSettings(url: sink.url, requireTLS: false, responseTimeout: 10), connections: 2)
        // Reused connections too: the second message of each connection meets the same fault.
        let results = smtp.send(messages(4))
        #expect(kinds(results) == [expected], "\(options)")
    }
}

/// Refusals of the sender or the session are the relay's, and say nothing about recipients.
@Suite struct RelayRefusalTests {
    @Test(arguments: [["-f", "MAIL"], ["-f", "EHLO,HELO"], ["-r", "MAIL"]])
    func aRefusedSenderOrSessionIsARelayFailure(options: [String]) throws {
        let sink = try SMTPSink(options: options)
        let smtp = try CurlSMTPTransport(settings: SMTPSettings(url: sink.url, requireTLS: false))
        let message = OutgoingMessage(
            envelopeFrom: try EmailAddress("bounces@x.jp"), recipient: try EmailAddress("r@x.jp"), data: Array("Subject: x\r\n\r\nx\r\n".utf8))
        guard case .relayFailure = smtp.send([message])[0] else {
            Issue.record("\(options) must be the relay's failure")
            return
        }
    }
}
