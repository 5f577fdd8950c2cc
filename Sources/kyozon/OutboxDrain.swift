import Foundation
import KyozonComposer
import KyozonDomain
import KyozonMailer
import KyozonSMTP
import KyozonStore

/// Sends what waits in the outbox (confirmations, welcomes, reports) through the relay, each
/// mail claimed and committed before the relay sees it. Used by `kyozon outbox send` and,
/// every few seconds, by `kyozon serve`, so that a subscriber's confirmation leaves at once.
///
/// `@unchecked Sendable`: the libcurl transport inside is not safe to share, and is not shared;
/// `serve` hands the drain from one drain thread to the next, never two at once.
struct OutboxDrain: @unchecked Sendable {
    /// What one drain did, by state (`sent`, `deferred`, `failed`, `uncertain`), and the
    /// relay's failure when it stopped on one.
    struct Result {
        var counts: [String: Int] = [:]
        var relayFailure: String?
        var unfinished: Int { counts["deferred", default: 0] + counts["failed", default: 0] + counts["uncertain", default: 0] }
        var summary: String { ["sent", "deferred", "failed", "uncertain"].map { "\(counts[$0, default: 0]) \($0)" }.joined(separator: ", ") }
    }

    let store: Store
    let smtp: CurlSMTPTransport
    let sender: Sender
    let envelope: EmailAddress
    let instance: String
    let lockPath: String

    init(env: CommandEnvironment, store: Store) throws {
        self.store = store
        smtp = try CurlSMTPTransport(settings: SendSession.smtpSettings(env), connections: 1)
        sender = try env.sender()
        envelope = try EmailAddress(env.configuration.envelopeFrom)
        instance = try store.instanceID()
        lockPath = env.dataDirectory + "/send-outbox.lock"
    }

    /// Sends everything due at `now`. Throws when another process is draining (the lock) or
    /// the store fails; a relay failure stops the drain and is in the result.
    func drain(now: @escaping () -> Timestamp) throws -> Result {
        let lock = try SendLock(path: lockPath, purpose: "sending the outbox")
        defer { withExtendedLifetime(lock) {} }
        let stale = try store.markStaleOutboxUncertain(now: now())
        if stale > 0 { warn("\(stale) outbox mail(s) were being sent when an earlier run stopped: marked uncertain, not resent") }
        var result = Result()
        while true {
            let mails = try store.claimOutbox(limit: 16, now: now())
            guard !mails.isEmpty else { break }
            let date = now()
            let outgoing = mails.map { mail in
                OutgoingMessage(
                    envelopeFrom: envelope, recipient: mail.recipient,
                    data: NoticeMessage(
                        sender: sender, to: mail.recipient, subject: mail.subject, text: mail.body, date: date,
                        id: "outbox.\(mail.id).\(instance)"
                    ).bytes(), tag: mail.id)
            }
            let results = smtp.send(outgoing)
            var records: [(id: Int64, state: String, reply: String, retryAt: Timestamp?)] = []
            for (mail, outcome) in zip(mails, results) {
                // 10 minutes, doubling, up to 5 hours 20 minutes.
                let retry = Timestamp(epochSeconds: date.epochSeconds + (Int64(600) << Int64(min(mail.attempts - 1, 5))))
                switch outcome {
                case .accepted(let reply): records.append((mail.id, "sent", reply.description, nil))
                case .permanentFailure(let reply): records.append((mail.id, "failed", reply.description, nil))
                case .temporaryFailure(let reply): records.append((mail.id, "deferred", reply.description, retry))
                case .notSent(let why): records.append((mail.id, "deferred", why, retry))
                case .outcomeUnknown(let why): records.append((mail.id, "uncertain", why, nil))
                case .relayFailure(let why):
                    result.relayFailure = why
                    records.append((mail.id, "pending", "not sent: \(why)", nil))
                case .notStarted: records.append((mail.id, "pending", "not sent: the run stopped", nil))
                }
            }
            try store.recordOutbox(records, now: now())
            for record in records where record.state != "pending" { result.counts[record.state, default: 0] += 1 }
            // Deferred mails wait for their retry time: a later drain sends them.
            if result.relayFailure != nil { break }
        }
        return result
    }
}
