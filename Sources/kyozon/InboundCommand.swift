import ArgumentParser
import Crypto
import Foundation
import KyozonDomain
import KyozonInbound
import KyozonStore
import KyozonTokens

/// `kyozon inbound`: mail that came back, from an MTA's pipe or a Maildir.
struct InboundCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbound",
        abstract: "Read mail that came back: bounces, and unsubscribe requests by mail.",
        subcommands: [Read.self, List.self],
        defaultSubcommand: Read.self)

    struct Read: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "read",
            abstract: "Read one mail from standard input (as an MTA pipes it), or every mail in a Maildir.",
            discussion: """
                A delivery report (RFC 3464) sent back to a delivery's VERP address (bounces+TOKEN@domain) counts as a hard bounce (5.x.x, but not 5.7.x) or a soft one against that subscriber. A mail to the List-Unsubscribe address (sender.unsubscribe_address, or local+LIST@domain for one list) unsubscribes its sender. Everything is kept in the store, once (the same mail twice counts once); what is neither is listed by `kyozon inbound list`.
                For Postfix, in master.cf:  kyozon unix - n n - - pipe user=kyozon argv=/usr/local/bin/kyozon inbound --recipient ${recipient}
                """)

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Read every file in this Maildir's new/ and cur/ instead of standard input.", valueName: "DIR"))
        var maildir: String?

        @Option(help: ArgumentHelp("The envelope recipient, as the MTA gives it (Postfix: ${recipient}).", valueName: "ADDRESS"))
        var recipient: String?

        func run() throws {
            let env = try global.environment()
            let config = env.configuration
            let store = try env.openStore()
            let classifier = InboundClassifier(bounceAddress: config.envelopeFrom, unsubscribeAddress: config.unsubscribeAddress)
            let signer = try TokenKey.signer(env)
            var mails: [(source: String, bytes: [UInt8])] = []
            if let maildir {
                for folder in ["new", "cur"] {
                    let path = maildir + "/" + folder
                    guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { continue }
                    for name in names.sorted() where !name.hasPrefix(".") {
                        guard let data = FileManager.default.contents(atPath: path + "/" + name) else {
                            warn("\(path)/\(name): not readable; skipped")
                            continue
                        }
                        mails.append((folder + "/" + name, Array(data)))
                    }
                }
                guard FileManager.default.fileExists(atPath: maildir + "/new") || FileManager.default.fileExists(atPath: maildir + "/cur")
                else { throw CommandError("\(maildir) is not a Maildir (it has no new/ or cur/ folder)") }
            } else {
                mails.append(("stdin", Array(FileHandle.standardInput.readDataToEndOfFile())))
            }
            var unrecognised = 0
            for mail in mails {
                let message = InboundMessage(mail.bytes)
                let verdict = classifier.classify(message, envelopeRecipient: recipient)
                let (effect, detail, policy) = Self.effect(of: verdict, signer: signer)
                let hash = SHA256.hash(data: Data(mail.bytes)).map { String(format: "%02x", $0) }.joined()
                // A report whose token does not verify is kept for staff to look at; so is a
                // policy refusal of our content (5.7.x), under a kind of its own.
                let kind = policy ? "policy" : effect == .none && verdict.kind != "delayed" ? "unrecognised" : verdict.kind
                if kind == "unrecognised" { unrecognised += 1 }
                let done = try store.recordInbound(
                    contentHash: hash, source: mail.source, kind: kind, detail: detail, raw: mail.bytes, effect: effect,
                    bounces: config.bounces, now: env.now)
                print("\(mail.source): \(kind): \(detail)" + (done.map { " — \($0)" } ?? " — already read; nothing done"))
            }
            if unrecognised > 0 { throw ExitCode(2) }
        }

        /// What the store should do for a verdict, and a line saying why.
        /// `policy`: a genuine report of a refusal of our content (5.7.x), which counts against nobody.
        static func effect(of verdict: InboundVerdict, signer: TokenSigner) -> (InboundEffect, String, policy: Bool) {
            switch verdict {
            case .bounce(let token, let recipient):
                guard let subject = signer.subject(of: token, purpose: "bounce"), let delivery = Int64(subject) else {
                    return (.none, "a delivery report to a bounce address whose token does not verify (forged, or another installation's)", false)
                }
                let kind = BouncePolicy.kind(action: recipient.action, status: recipient.status)
                let what = "\(recipient.finalRecipient) \(recipient.status) \(recipient.diagnostic ?? "")".trimmingCharacters(in: .whitespaces)
                guard let kind else { return (.none, "delivery \(delivery): \(what) (a policy refusal of our content; not counted)", true) }
                return (.bounce(deliveryID: delivery, kind: kind), "delivery \(delivery): \(what)", false)
            case .delayed(_, let recipient):
                return (.none, "delayed: \(recipient.finalRecipient) \(recipient.status); the server is still trying", false)
            case .unsubscribe(let from, let list):
                guard let address = try? EmailAddress(from) else { return (.none, "an unsubscribe request from an unusable address \(from)", false) }
                return (.unsubscribe(email: address, list: list), "unsubscribe request from \(address)" + (list.map { " for \($0)" } ?? ""), false)
            case .unrecognised(let reason):
                return (.none, reason, false)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the mail that came back, newest first.")

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Only this kind: bounce, delayed, policy, unsubscribe or unrecognised.", valueName: "KIND"))
        var kind: String?

        func run() throws {
            let rows = try global.environment().openStore().inboundMessages(kind: kind)
            for row in rows {
                print("\(row.id)  \(row.kind.padding(toLength: 12, withPad: " ", startingAt: 0))  \(row.source)  \(row.subscriberEmail ?? "-")  \(row.detail)")
            }
            print("\(rows.count) mail(s)")
        }
    }
}
