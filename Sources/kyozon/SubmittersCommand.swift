import ArgumentParser
import Foundation
import KyozonDomain
import KyozonStore
import KyozonTokens

/// `kyozon submitters`: the offices that submit items through the form or the API.
struct SubmittersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submitters",
        abstract: "Issue, list and revoke the tokens prefectural offices submit items with.",
        subcommands: [Add.self, List.self, Revoke.self],
        defaultSubcommand: List.self)

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a token to an office; it is shown once, with the form's address.",
            discussion: "The office submits at site.base_url/submit/TOKEN (a form), or with POST site.base_url/api/submissions and `Authorization: Bearer TOKEN` (JSON, the fields of submission files). Items are recorded as from the office. Only a keyed hash of the token is stored: a lost token is revoked and a new one issued.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The office's name, recorded as the items' submitter (北海道 東京事務所).") var office: String
        @Option(help: "The office's prefecture, the default for its items (a name, a JIS code, or romaji).") var prefecture: String?
        @Option(help: "Where the office's report after each issue is mailed.") var email: String?

        func run() throws {
            let env = try global.environment()
            let store = try env.openStore()
            var pref: Prefecture?
            if let prefecture {
                guard let found = Prefecture.lookup(prefecture) else {
                    throw ValidationError("--prefecture \"\(prefecture)\" is not a prefecture; give a name (北海道), a JIS code (01) or romaji (hokkaido)")
                }
                pref = found
            }
            let address = try email.map { text in
                do { return try EmailAddress(text) } catch { throw ValidationError("--email \"\(text)\" \(error)") }
            }
            let token = TokenSigner.randomToken(bytes: 24)
            let signer = try TokenKey.signer(env)
            let id = try store.addSubmitter(
                office: office, prefecture: pref, email: address, tokenHash: signer.digest(purpose: "submitter", of: token), by: env.operatorName,
                now: env.now)
            print("submitter \(id): \(office)")
            print("  token:  \(token)   (shown once; give it to the office)")
            print("  form:   \(env.configuration.baseURL)/submit/\(token)")
            print("  API:    curl -H 'Authorization: Bearer \(token)' -H 'Content-Type: application/json' --data @items.json \(env.configuration.baseURL)/api/submissions")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the offices with tokens.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            for s in try global.environment().openStore().submitters() {
                print("\(s.id)\t\(s.office)\t\(s.prefecture?.name ?? "-")\t\(s.email?.value ?? "-")\t\(s.revoked ? "revoked" : "active")")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an office's token: it is refused from now on.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The submitter's id (from `kyozon submitters list`).") var id: Int64

        func run() throws {
            let env = try global.environment()
            guard try env.openStore().revokeSubmitter(id: id, by: env.operatorName, now: env.now) else {
                throw CommandError("no active submitter \(id) (see `kyozon submitters list`)")
            }
            print("submitter \(id) revoked")
        }
    }
}
