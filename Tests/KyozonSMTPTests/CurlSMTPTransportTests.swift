import Foundation
import KyozonDomain
import KyozonMailer
import KyozonTestSupport
import Testing

@testable import KyozonSMTP

/// libcurl against a real SMTP server (python3-aiosmtpd) started by the test.
@Suite struct CurlSMTPTransportTests {
    func message(to recipient: String, body: String) throws -> OutgoingMessage {
        let text = "From: a@x.jp\r\nTo: \(recipient)\r\nSubject: test\r\n\r\n\(body)\r\n"
        return OutgoingMessage(
            envelopeFrom: try EmailAddress("bounces@x.jp"), recipient: try EmailAddress(recipient), data: Array(text.utf8))
    }

    @Test func sendsSeveralMessagesOverOneHandle() throws {
        let server = try SMTPCaptureServer()
        let smtp = try CurlSMTPTransport(settings: SMTPSettings(url: server.url, requireTLS: false, heloName: "kyozon.test"))
        var results: [TransportResult] = []
        for n in 1...3 {
            // A leading dot must arrive as one dot: libcurl stuffs it, we must not.
            results.append(smtp.send(try message(to: "r\(n)@x.jp", body: ".line \(n)\r\nend")))
        }
        for result in results {
            guard case .accepted(let reply) = result else {
                Issue.record("not accepted: \(result)")
                continue
            }
            #expect(reply.code == 250)
            #expect(reply.description.hasPrefix("250 2.0.0 Ok: queued as"))
        }
        let captured = try server.messages()
        #expect(captured.map(\.recipients) == [["r1@x.jp"], ["r2@x.jp"], ["r3@x.jp"]])
        #expect(captured.allSatisfy { $0.mailFrom == "bounces@x.jp" })
        #expect(String(decoding: captured[1].raw, as: UTF8.self).contains("\r\n.line 2\r\nend"))
    }

    @Test func twoThreadsShareOneStreamAndSendEachMessageOnce() throws {
        let server = try SMTPCaptureServer()
        let smtp = try ParallelSMTPTransport(
            settings: SMTPSettings(url: server.url, requireTLS: false), connections: 6, threads: 2)
        let messages = try (1...120).map { try message(to: "r\($0)@x.jp", body: "message \($0)") }
        let results = smtp.send(messages)
        #expect(results.allSatisfy { if case .accepted = $0 { true } else { false } })
        let captured = try server.messages()
        #expect(captured.count == 120)
        #expect(Set(captured.flatMap(\.recipients)) == Set((1...120).map { "r\($0)@x.jp" }), "everyone once")
    }

    @Test func aClosedPortIsARelayFailure() throws {
        // Take a free port from a server, then stop it: nothing listens there any more.
        let port: Int
        do {
            let server = try SMTPCaptureServer()
            port = server.port
        }
        let smtp = try CurlSMTPTransport(
            settings: SMTPSettings(url: "smtp://127.0.0.1:\(port)", requireTLS: false, connectTimeout: 5))
        let result = smtp.send(try message(to: "r@x.jp", body: "x"))
        guard case .relayFailure(let why) = result else {
            Issue.record("expected a relay failure, got \(result)")
            return
        }
        #expect(why.contains("connect"))
    }

    @Test func plainTextIsOnlyAllowedToLoopback() throws {
        #expect(throws: SMTPSetupError.plainTextToRemote("relay.example.lg.jp")) {
            try CurlSMTPTransport(settings: SMTPSettings(url: "smtp://relay.example.lg.jp:25", requireTLS: false))
        }
        #expect(throws: SMTPSetupError.badURL("http://relay")) {
            try CurlSMTPTransport(settings: SMTPSettings(url: "http://relay"))
        }
        _ = try CurlSMTPTransport(settings: SMTPSettings(url: "smtp://relay.example.lg.jp:587"))
        _ = try CurlSMTPTransport(settings: SMTPSettings(url: "smtp://[::1]:2525", requireTLS: false))
    }

    @Test func aServerWithoutSTARTTLSIsRefusedWhenTLSIsRequired() throws {
        // aiosmtpd offers no STARTTLS here; CURLUSESSL_ALL must fail rather than send in clear.
        let server = try SMTPCaptureServer()
        let smtp = try CurlSMTPTransport(settings: SMTPSettings(url: server.url, requireTLS: true))
        let result = smtp.send(try message(to: "r@x.jp", body: "secret"))
        guard case .relayFailure(let why) = result else {
            Issue.record("expected a relay failure, got \(result)")
            return
        }
        #expect(why.contains("does not offer STARTTLS"), "refused for want of TLS, not for another reason: \(why)")
        #expect(try server.messages().isEmpty, "nothing was sent in clear")
    }
}

@Suite struct SMTPOutcomeTests {
    func classify(_ curl: Int, _ code: Int, _ replies: [String], fresh: Bool = false) -> TransportResult {
        SMTPOutcome.classify(curlCode: curl, curlError: "err", responseCode: code, replies: replies, freshConnection: fresh)
    }

    @Test func aRefusalAfterTheFinalDotIsClassifiedByItsCode() {
        // libcurl reports CURLE_WEIRD_SERVER_REPLY (8) for a 4xx/5xx after the final dot.
        let log = ["250 ok", "250 ok", "354 go ahead", "550 5.7.1 content rejected"]
        #expect(classify(8, 550, log) == .permanentFailure(SMTPReply(code: 550, lines: ["550 5.7.1 content rejected"])))
        #expect(classify(8, 451, ["250 ok", "354 go", "451 4.3.0 later"]) == .temporaryFailure(SMTPReply(code: 451, lines: ["451 4.3.0 later"])))
    }

    @Test func aDropAfterTheBodyIsUncertainAndBeforeItIsNot() {
        if case .outcomeUnknown = classify(56, 354, ["250 ok", "250 ok", "354 go ahead"]) {} else { Issue.record("expected uncertain") }
        if case .notSent = classify(56, 250, ["250 ok", "250 ok"]) {} else { Issue.record("expected not sent") }
    }

    @Test func theRelaysOwnFailuresAreNotTheRecipients() {
        if case .relayFailure = classify(7, 0, [], fresh: true) {} else { Issue.record("connect") }
        if case .relayFailure = classify(8, 554, ["554 no service"], fresh: true) {} else { Issue.record("greeting") }
        if case .relayFailure = classify(67, 535, ["220 hi", "250 ok", "535 5.7.8 bad credentials"], fresh: true) {} else { Issue.record("auth") }
        if case .relayFailure = classify(64, 250, ["220 hi", "250 ok"], fresh: true) {} else { Issue.record("starttls") }
    }

    @Test func multiLineRepliesKeepEveryLine() {
        #expect(SMTPOutcome.lines(of: 550, in: ["354 go", "550-5.1.1 first", "550 5.1.1 second"]) == ["550-5.1.1 first", "550 5.1.1 second"])
    }
}
