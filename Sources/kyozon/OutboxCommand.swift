import ArgumentParser
import Foundation
import KyozonComposer
import KyozonDomain
import KyozonMailer
import KyozonSMTP
import KyozonStore

/// `kyozon outbox`: the mails that are not issues (confirmations, welcomes, reports).
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Send and list the mails that are not issues: confirmations, welcomes, reports.",
        subcommands: [Send.self, List.self],
        defaultSubcommand: List.self)

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send what waits in the outbox through the relay, recording each mail.",
            discussion: "Each mail is claimed (committed) before the relay sees it; one left `sending` by a run that died becomes `uncertain` and is not sent again. A 4xx is tried again after 10 minutes, doubling; a 5xx fails. Exit status 0: all sent; 2: some deferred, failed or uncertain; 3: the relay failed.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let env = try global.environment()
            let config = env.configuration
            let store = try env.openStore()
            let lock = try SendLock(path: env.dataDirectory + "/send-outbox.lock", purpose: "sending the outbox")
            defer { withExtendedLifetime(lock) {} }
            let stale = try store.markStaleOutboxUncertain(now: env.now)
            if stale > 0 { warn("\(stale) outbox mail(s) were being sent when an earlier run stopped: marked uncertain, not resent") }
            let smtp = try CurlSMTPTransport(settings: SendSession.smtpSettings(env), connections: 1)
            let sender = Sender(
                name: config.senderName, address: try EmailAddress(config.senderAddress), postalAddress: config.postalAddress,
                contact: config.contact)
            let envelope = try EmailAddress(config.envelopeFrom)
            let instance = try store.instanceID()
            var counts: [String: Int] = [:]
            while true {
                let mails = try store.claimOutbox(limit: 16, now: env.now)
                guard !mails.isEmpty else { break }
                let outgoing = mails.map { mail in
                    OutgoingMessage(
                        envelopeFrom: envelope, recipient: mail.recipient,
                        data: NoticeMessage(
                            sender: sender, to: mail.recipient, subject: mail.subject, text: mail.body, date: env.now,
                            id: "outbox.\(mail.id).\(instance)"
                        ).bytes(), tag: mail.id)
                }
                let results = smtp.send(outgoing)
                var records: [(id: Int64, state: String, reply: String, retryAt: Timestamp?)] = []
                var relayFailure: String?
                for (mail, result) in zip(mails, results) {
                    let delay = Int64(600) << Int64(min(mail.attempts - 1, 5))
                    switch result {
                    case .accepted(let reply): records.append((mail.id, "sent", reply.description, nil))
                    case .permanentFailure(let reply): records.append((mail.id, "failed", reply.description, nil))
                    case .temporaryFailure(let reply):
                        records.append((mail.id, "deferred", reply.description, Timestamp(epochSeconds: env.now.epochSeconds + delay)))
                    case .notSent(let why):
                        records.append((mail.id, "deferred", why, Timestamp(epochSeconds: env.now.epochSeconds + delay)))
                    case .outcomeUnknown(let why): records.append((mail.id, "uncertain", why, nil))
                    case .relayFailure(let why):
                        relayFailure = why
                        records.append((mail.id, "pending", "not sent: \(why)", nil))
                    case .notStarted: records.append((mail.id, "pending", "not sent: the run stopped", nil))
                    }
                }
                try store.recordOutbox(records, now: env.now)
                for record in records { counts[record.state, default: 0] += 1 }
                if let relayFailure {
                    warn("stopped: the relay failed: \(relayFailure). Nothing was lost; run `kyozon outbox send` again once it works.")
                    throw ExitCode(3)
                }
                // Deferred mails wait for their retry time: a later run sends them.
            }
            print("Outbox: " + ["sent", "deferred", "failed", "uncertain"].map { "\(counts[$0, default: 0]) \($0)" }.joined(separator: ", "))
            if counts["deferred", default: 0] + counts["failed", default: 0] + counts["uncertain", default: 0] > 0 { throw ExitCode(2) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the outbox, newest first.")

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Only mails in this state: pending, sent, deferred, failed, uncertain.", valueName: "STATE"))
        var state: String?

        func run() throws {
            let mails = try global.environment().openStore().outbox(state: state)
            for mail in mails {
                print("\(mail.id)  \(mail.state.padding(toLength: 9, withPad: " ", startingAt: 0))  \(mail.kind)  \(mail.recipient)  \(mail.subject)  \(mail.reply ?? "")")
            }
            print("\(mails.count) mail(s)")
        }
    }
}
