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
            let result = try OutboxDrain(env: env, store: try env.openStore()).drain(now: { env.now })
            if let failure = result.relayFailure {
                warn("stopped: the relay failed: \(failure). Nothing was lost; run `kyozon outbox send` again once it works.")
                throw ExitCode(3)
            }
            print("Outbox: " + result.summary)
            if result.unfinished > 0 { throw ExitCode(2) }
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
