import ArgumentParser
import Foundation
import KyozonDomain
import KyozonStore
import KyozonSubscribers

struct SubscribersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subscribers",
        abstract: "Import, export, add, list, remove, block, move and erase subscribers; show one's history.",
        subcommands: [
            Import.self, Export.self, Add.self, Show.self, Remove.self, Block.self, ChangeAddress.self, History.self, Erase.self,
        ]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add subscribers from a CSV file, confirmed by staff.",
            discussion: """
                Header: email,name,organization,prefecture,lists[,charset] (prefecture may be empty; lists are ids separated by ;; charset utf-8 or iso-2022-jp). UTF-8 with or without BOM, or CP932 (Excel's "CSV").

                Each subscription records the import as its consent (who, which file and line). Bad rows are reported by line and the good rows are imported. An address that unsubscribed, bounced or was blocked is never subscribed again by an import: it is reported instead.
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("The CSV file.", valueName: "FILE.csv"))
        var file: String

        func run() throws {
            let env = try global.environment()
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandError("file not found: \(file)")
            }
            let ((rows, problems), encoding) = SubscriberCSV.readDetectingEncoding(data, file: file)
            for problem in problems { warn("skipped \(problem)") }
            let people = rows.map {
                NewSubscriber(
                    email: $0.email, name: $0.name, organization: $0.organization, prefecture: $0.prefecture, lists: $0.lists,
                    charset: $0.charset)
            }
            let staff = env.operatorName
            let consent = rows.map { Consent(method: "import", by: staff, source: "\(file) line \($0.line)") }
            let store = try env.openStore()
            let results = try store.addSubscribers(
                people, consent: consent, now: env.now, suppression: suppressionHash(try TokenKey.signer(env)))
            let lists = Dictionary(uniqueKeysWithValues: try store.listSummaries().map { ($0.list.id, $0.list) })
            var newPeople = 0
            var subscriptions = 0
            var already = 0
            var refused = 0
            for (row, result) in zip(rows, results) {
                if result.newSubscriber { newPeople += 1 }
                // Staff may add anyone; a list's allow-list only binds the subscribe form.
                for id in result.subscribed where lists[id]?.admits(row.email) == false {
                    warn("warning \(file):\(row.line): \(row.email) is outside the allow-list of \(id) (\(lists[id]!.allowedDomains.joined(separator: ", "))); subscribed, as staff asked")
                }
                subscriptions += result.subscribed.count
                already += result.alreadySubscribed.count
                for refusal in result.refused {
                    refused += 1
                    warn("not subscribed \(file):\(row.line): \(row.email) \(refusal)")
                }
            }
            print("\(file) (\(encoding ?? "unreadable")): \(rows.count) good row(s), \(problems.count) bad row(s) skipped")
            print("  \(newPeople) new subscriber(s); \(subscriptions) subscription(s) added, \(already) already there, \(refused) refused")
            if !problems.isEmpty || refused > 0 { throw ExitCode(2) }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add one subscriber, confirmed by staff.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The address.") var email: String
        @Option(help: "The subscriber's name.") var name = ""
        @Option(help: "Their organisation, such as 北海道 東京事務所.") var organization = ""
        @Option(help: "Their prefecture (name, JIS code or romaji).") var prefecture: String?
        @Option(help: "The character set of their copies: utf-8 (default) or iso-2022-jp, for older mail systems.")
        var charset: String?
        @Option(name: .customLong("list"), help: ArgumentHelp("A list id; repeat for several.", valueName: "ID"))
        var lists: [String] = []

        @Flag(help: "Subscribe again an address that had unsubscribed (staff, on purpose; recorded as new consent).")
        var resubscribe = false

        func validate() throws {
            if lists.isEmpty { throw ValidationError("give at least one --list ID (see `kyozon lists list`)") }
        }

        func run() throws {
            let env = try global.environment()
            let address: EmailAddress
            do { address = try EmailAddress(email) } catch {
                throw CommandError("address \"\(email)\" \(error); accepted: \(EmailAddress.acceptedForms)")
            }
            var pref: Prefecture?
            if let prefecture {
                guard let found = Prefecture.lookup(prefecture) else {
                    throw CommandError("--prefecture \"\(prefecture)\" is not a prefecture; accepted: \(Prefecture.acceptedForms)")
                }
                pref = found
            }
            var mailCharset: MailCharset?
            if let charset {
                guard let found = MailCharset(text: charset) else {
                    throw CommandError("--charset \"\(charset)\" is not accepted; use \(MailCharset.acceptedForms)")
                }
                mailCharset = found
            }
            let person = NewSubscriber(
                email: address, name: name, organization: organization, prefecture: pref, lists: lists, charset: mailCharset)
            let consent = Consent(
                method: "staff", by: env.operatorName,
                source: resubscribe ? "kyozon subscribers add --resubscribe" : "kyozon subscribers add")
            let result = try env.openStore().addSubscribers(
                [person], consent: [consent], resubscribe: resubscribe, now: env.now,
                suppression: suppressionHash(try TokenKey.signer(env)))[0]
            if !result.subscribed.isEmpty { print("\(address): subscribed to \(result.subscribed.joined(separator: ", "))") }
            if !result.alreadySubscribed.isEmpty { print("\(address): already on \(result.alreadySubscribed.joined(separator: ", "))") }
            for refusal in result.refused { warn("\(address): not subscribed to \(refusal)") }
            if !result.refused.isEmpty { throw ExitCode(2) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List subscribers and their lists.")

        @OptionGroup var global: GlobalOptions

        @Option(name: .customLong("list"), help: ArgumentHelp("Only subscribers of this list.", valueName: "ID"))
        var list: String?

        func run() throws {
            let store = try global.environment().openStore()
            if let list, try !store.listSummaries().contains(where: { $0.list.id == list }) {
                throw CommandError("no list with id \"\(list)\"; see `kyozon lists list`")
            }
            let summaries = try store.subscribers(onList: list)
            for s in summaries {
                let lists = s.subscriptions.map { "\($0.list)(\($0.status.rawValue))" }.joined(separator: " ")
                let status = s.subscriber.status == .active ? "" : " [\(s.subscriber.status.rawValue)]"
                print("\(s.subscriber.email)\t\(s.subscriber.name)\t\(s.subscriber.organization)\t\(lists)\(status)")
            }
            print("\(summaries.count) subscriber(s)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Unsubscribe an address from every list, keeping its history.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The address.") var email: String

        func run() throws {
            let env = try global.environment()
            let address: EmailAddress
            do { address = try EmailAddress(email) } catch {
                throw CommandError("address \"\(email)\" \(error)")
            }
            let left = try env.openStore().removeSubscriber(address, by: env.operatorName, now: env.now)
            print(left.isEmpty ? "\(address) was on no list" : "\(address) unsubscribed from \(left.joined(separator: ", "))")
        }
    }
}
