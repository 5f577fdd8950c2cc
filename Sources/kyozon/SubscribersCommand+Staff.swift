import ArgumentParser
import Foundation
import KyozonDomain
import KyozonStore
import KyozonSubscribers
import KyozonTokens

/// The keyed hashes an erased address is remembered by (token keys, purpose "suppress"): the
/// current key's first, which is the one stored; earlier keys' to find entries made before a rotation.
func suppressionHash(_ signer: TokenSigner) -> @Sendable (EmailAddress) -> [String] {
    { address in signer.digests(purpose: "suppress", of: address.normalized.lowercased()) }
}

func parseAddress(_ text: String) throws -> EmailAddress {
    do { return try EmailAddress(text) } catch {
        throw CommandError("address \"\(text)\" \(error); accepted: \(EmailAddress.acceptedForms)")
    }
}

extension SubscribersCommand {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write confirmed subscribers to a CSV file that Excel opens and `subscribers import` reads back.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("The CSV file to write.", valueName: "FILE.csv"))
        var file: String

        @Option(help: ArgumentHelp("Only subscribers confirmed on this list.", valueName: "ID"))
        var list: String?

        @Option(help: "utf-8 (with a BOM: Excel's \"CSV UTF-8\") or cp932 (Excel's \"CSV\" on Japanese Windows).")
        var encoding: SubscriberCSV.Encoding = .utf8

        func run() throws {
            let store = try global.environment().openStore()
            let rows = try store.subscribers(onList: list).compactMap { summary -> SubscriberCSV.ExportRow? in
                let lists = summary.subscriptions.filter { $0.status == .confirmed }.map(\.list)
                guard summary.subscriber.status == .active, !lists.isEmpty else { return nil }
                let s = summary.subscriber
                return .init(email: s.email.value, name: s.name, organization: s.organization, prefecture: s.prefecture, lists: lists, charset: s.charset)
            }
            let data: Data
            do {
                data = try SubscriberCSV.write(rows, encoding: encoding)
            } catch {
                throw CommandError("\(file): \(error)")
            }
            guard FileManager.default.createFile(atPath: file, contents: data) else { throw CommandError("cannot write \(file)") }
            print("\(file): \(rows.count) subscriber(s), \(encoding.rawValue)")
        }
    }

    struct Block: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Block an address: it is mailed no more, from the next message on, and never imported again.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The address.") var email: String
        @Option(help: "Why, for the record.") var reason = "blocked by staff"

        func run() throws {
            let env = try global.environment()
            let address = try parseAddress(email)
            let changed = try env.openStore().blockSubscriber(address, reason: reason, by: env.operatorName, now: env.now)
            print(changed ? "\(address) blocked" : "\(address) was already blocked")
        }
    }

    struct ChangeAddress: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "change-address",
            abstract: "Move a subscriber to a new address, keeping their lists, consent and history.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The old address.") var old: String
        @Argument(help: "The new address.") var new: String

        func run() throws {
            let env = try global.environment()
            let (from, to) = (try parseAddress(old), try parseAddress(new))
            try env.openStore().changeAddress(from: from, to: to, by: env.operatorName, now: env.now)
            print("\(from) is now \(to); lists and history kept")
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one subscriber: subscriptions with when and how consent was given, events, deliveries, bounces.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The address.") var email: String
        @Flag(help: "Everything held about them, as JSON (a request for one's own data).") var json = false

        func run() throws {
            let history = try global.environment().openStore().history(of: try parseAddress(email))
            if json {
                let data = try JSONSerialization.data(withJSONObject: Self.dictionary(history), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            let s = history.subscriber
            print("\(s.email)  \(s.name)  \(s.organization)  \(s.prefecture?.name ?? "-")  \(s.status.rawValue)  charset \(s.charset.rawValue)  bounce score \(history.bounceScore)")
            print("subscriptions:")
            for sub in history.subscriptions {
                let left = sub.unsubscribedAt.map { ", left \($0.description) (\(sub.unsubscribeReason ?? ""))" } ?? ""
                print("  \(sub.list)  \(sub.status.rawValue)  consent \(sub.consentMethod) by \(sub.consentBy ?? "-") at \(sub.consentAt.description) from \(sub.consentSource ?? "-")\(left)")
            }
            print("events:")
            for event in history.events { print("  \(event.at.description)  \(event.list ?? "-")  \(event.event)  \(event.detail)") }
            print("deliveries:")
            for delivery in history.deliveries { print("  \(delivery.issueMonth)  \(delivery.state)  \(delivery.reply ?? "")") }
            print("mail that came back:")
            for line in history.inbound { print("  \(line)") }
        }

        static func dictionary(_ history: SubscriberHistory) -> [String: Any] {
            let s = history.subscriber
            return [
                "email": s.email.value, "name": s.name, "organization": s.organization, "prefecture": s.prefecture?.name ?? NSNull(),
                "status": s.status.rawValue, "charset": s.charset.rawValue, "bounce_score": history.bounceScore,
                "created_at": history.createdAt.description,
                "subscriptions": history.subscriptions.map {
                    [
                        "list": $0.list, "status": $0.status.rawValue, "consent_method": $0.consentMethod,
                        "consent_by": $0.consentBy ?? NSNull(), "consent_source": $0.consentSource ?? NSNull(),
                        "consent_at": $0.consentAt.description, "unsubscribed_at": $0.unsubscribedAt?.description ?? NSNull(),
                    ] as [String: Any]
                },
                "events": history.events.map { ["at": $0.at.description, "list": $0.list ?? NSNull(), "event": $0.event, "detail": $0.detail] as [String: Any] },
                "deliveries": history.deliveries.map { ["issue": $0.issueMonth, "state": $0.state, "reply": $0.reply ?? NSNull()] as [String: Any] },
                "returned_mail": history.inbound,
            ]
        }
    }

    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a subscriber at their request; the address is never mailed or imported again.",
            discussion: "Name, organisation, prefecture and address are removed. The address is kept only as a keyed hash (HMAC with the token key, KYOZON_TOKEN_KEY or secrets/token.key: keep the key) in a suppression list; delivery rows and history stay, without it. Export their data first with `kyozon subscribers history EMAIL --json` if they asked for it.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The address.") var email: String

        func run() throws {
            let env = try global.environment()
            let address = try parseAddress(email)
            let hash = suppressionHash(try TokenKey.signer(env))(address)[0]
            let placeholder = try env.openStore().eraseSubscriber(address, addressHash: hash, by: env.operatorName, now: env.now)
            print("\(address) erased (now \(placeholder)); it will not be mailed or imported again")
        }
    }
}

extension SubscriberCSV.Encoding: ExpressibleByArgument {}
