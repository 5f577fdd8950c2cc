import Foundation
import KyozonDomain
import KyozonMailer
import KyozonTestSupport
import Testing

@testable import KyozonSMTP

/// Every way a real server (python3-aiosmtpd with scripted faults) can refuse or fail, and
/// what libcurl's report of it becomes.
@Suite struct SMTPFaultTests {
    func message(to recipient: String, size: Int = 0) -> OutgoingMessage {
        var text = "From: a@x.jp\r\nTo: \(recipient)\r\nSubject: fault test\r\n\r\nbody\r\n"
        if size > 0 { text += String(repeating: String(repeating: "x", count: 74) + "\r\n", count: size / 76) }
        return OutgoingMessage(envelopeFrom: try! EmailAddress("bounces@x.jp"), recipient: try! EmailAddress(recipient), data: Array(text.utf8))
    }

    func code(_ result: TransportResult) -> String {
        switch result {
        case .accepted(let r): "accepted \(r.code)"
        case .temporaryFailure(let r): "temporary \(r.code)"
        case .permanentFailure(let r): "permanent \(r.code)"
        case .notSent: "not sent"
        case .outcomeUnknown: "uncertain"
        case .relayFailure: "relay"
        case .notStarted: "not started"
        }
    }

    @Test func eachRefusalIsClassifiedByItsCodeAndStep() throws {
        let server = try SMTPCaptureServer()
        let smtp = try CurlSMTPTransport(settings: SMTPSettings(url: server.url, requireTLS: false), connections: 3)
        let recipients = [
            "ok1@x.jp", "rcpt-550@x.jp", "rcpt-452@x.jp", "data-554@x.jp", "data-552@x.jp", "data-451@x.jp",
            "data-421@x.jp", "ok2@x.jp", "drop-after@x.jp", "ok3@x.jp",
        ]
        let results = smtp.send(recipients.map { message(to: $0) })
        #expect(results.map(code) == [
            "accepted 250", "permanent 550", "temporary 452", "permanent 554", "permanent 552", "temporary 451",
            "temporary 421", "accepted 250", "uncertain", "accepted 250",
        ])
        if case .permanentFailure(let reply) = results[3] {
            #expect(reply.description == "554 5.0.0 scripted refusal after the final dot", "the server's own text is kept")
        }
        // The server's record: what it accepted, including the one whose answer was lost.
        let arrived = Set(try server.messages().flatMap(\.recipients))
        #expect(arrived == ["ok1@x.jp", "ok2@x.jp", "ok3@x.jp", "drop-after@x.jp"])
    }

    @Test func aDropInTheMiddleOfDataIsNotSentAndSafeToRetry() throws {
        let server = try SMTPCaptureServer()
        let smtp = try CurlSMTPTransport(settings: SMTPSettings(url: server.url, requireTLS: false))
        // Large enough that libcurl has not read all of it when the server hangs up after 354.
        let results = smtp.send([message(to: "drop-mid@x.jp", size: 4 << 20), message(to: "after@x.jp")])
        #expect(results.map(code) == ["not sent", "accepted 250"], "the next message opens a new connection")
        #expect(try server.messages().flatMap(\.recipients) == ["after@x.jp"])
    }

    @Test func aStalledServerTimesOutAsUncertain() throws {
        let server = try SMTPCaptureServer(stall: 20)
        let smtp = try CurlSMTPTransport(settings: SMTPSettings(url: server.url, requireTLS: false, responseTimeout: 2))
        let started = Date()
        let results = smtp.send([message(to: "stall@x.jp")])
        #expect(results.map(code) == ["uncertain"], "no answer after the final dot: the server may have it")
        #expect(Date().timeIntervalSince(started) < 15, "the response timeout, not the stall, ended it")
    }

    @Test func aRefusingGreetingIsARelayFailureAndStopsTheBatch() throws {
        let server = try SMTPCaptureServer(greeting: 554)
        let smtp = try CurlSMTPTransport(settings: SMTPSettings(url: server.url, requireTLS: false))
        let results = smtp.send((1...4).map { message(to: "r\($0)@x.jp") })
        #expect(code(results[0]) == "relay")
        #expect(results.dropFirst().allSatisfy { code($0) == "not started" })
    }

    @Test func severalConnectionsDeliverEveryMessageOnce() throws {
        let server = try SMTPCaptureServer()
        let smtp = try CurlSMTPTransport(settings: SMTPSettings(url: server.url, requireTLS: false), connections: 4)
        let recipients = (1...40).map { "r\($0)@x.jp" }
        let results = smtp.send(recipients.map { message(to: $0) })
        #expect(results.allSatisfy { code($0) == "accepted 250" })
        #expect(try server.messages().flatMap(\.recipients).sorted() == recipients.sorted())
    }

    @Test func theRateLimitSpacesMessages() throws {
        let server = try SMTPCaptureServer()
        let smtp = try CurlSMTPTransport(
            settings: SMTPSettings(url: server.url, requireTLS: false), connections: 4, rateLimit: RateLimit(perSecond: 10))
        let started = Date()
        let results = smtp.send((1...6).map { message(to: "r\($0)@x.jp") })
        #expect(results.allSatisfy { code($0) == "accepted 250" })
        // Six starts at ten a second need at least half a second, whatever the machine's speed.
        #expect(Date().timeIntervalSince(started) >= 0.5)
    }
}

@Suite struct RateLimiterTests {
    @Test func perSecondSpacesStarts() {
        var limiter = RateLimiter(RateLimit(perSecond: 4))
        #expect(limiter.delay(at: 0) == 0)
        limiter.started(at: 0)
        #expect(abs(limiter.delay(at: 0.1) - 0.15) < 1e-9)
        #expect(limiter.delay(at: 0.25) == 0)
    }

    @Test func aSlidingWindowCapsBursts() {
        var limiter = RateLimiter(RateLimit(window: (3, 60)))
        for t in [0.0, 1, 2] {
            #expect(limiter.delay(at: t) == 0)
            limiter.started(at: t)
        }
        #expect(limiter.delay(at: 3) == 57, "the fourth waits until the first leaves the window")
        #expect(limiter.delay(at: 60) == 0)
        limiter.started(at: 60)
        #expect(limiter.delay(at: 60.5) == 0.5)
    }
}

/// STARTTLS against a real server with a self-signed certificate.
@Suite struct SMTPTLSTests {
    func message(to recipient: String) -> OutgoingMessage {
        OutgoingMessage(
            envelopeFrom: try! EmailAddress("bounces@x.jp"), recipient: try! EmailAddress(recipient),
            data: Array("Subject: tls\r\n\r\nsecret\r\n".utf8))
    }

    @Test func aCertificateNoKnownAuthoritySignedIsRefused() throws {
        let certificate = try TestCertificate()
        let server = try SMTPCaptureServer(tls: certificate)
        let smtp = try CurlSMTPTransport(settings: SMTPSettings(url: server.url, requireTLS: true))
        guard case .relayFailure(let why) = smtp.send(message(to: "r@x.jp")) else {
            Issue.record("a self-signed certificate must not be trusted")
            return
        }
        #expect(why.lowercased().contains("certificate") || why.contains("SSL"), "\(why)")
        #expect(try server.messages().isEmpty)
    }

    @Test func withItsCAConfiguredTheMessageGoesOverTLS() throws {
        let certificate = try TestCertificate()
        let server = try SMTPCaptureServer(tls: certificate)
        let smtp = try CurlSMTPTransport(settings: SMTPSettings(url: server.url, requireTLS: true, caFile: certificate.certificate))
        let result = smtp.send(message(to: "r@x.jp"))
        guard case .accepted = result else {
            Issue.record("not accepted: \(result)")
            return
        }
        #expect(try server.messages().map(\.recipients) == [["r@x.jp"]])
    }

    @Test func theServerRequiresTLSSoPlainTextIsRefusedThere() throws {
        // Sending in clear to a server that requires STARTTLS: the server says no (530).
        let certificate = try TestCertificate()
        let server = try SMTPCaptureServer(tls: certificate)
        let smtp = try CurlSMTPTransport(settings: SMTPSettings(url: server.url, requireTLS: false))
        guard case .relayFailure = smtp.send(message(to: "r@x.jp")) else {
            Issue.record("530 must be the relay's failure")
            return
        }
    }
}
