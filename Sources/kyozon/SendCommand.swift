import ArgumentParser
import Foundation
import KyozonComposer
import KyozonDomain
import KyozonMailer
import KyozonSMTP
import KyozonStore

struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send an issue to the confirmed subscribers of one or more lists.",
        discussion: """
            Only an approved issue is sent (`kyozon issue approve`), to the lists it was approved for, and only while it is exactly what was approved: a change to its items, templates, title, lead or sender details since then needs a new approval. One multipart/alternative message per subscriber (one copy even if they are on several of the lists), through the SMTP relay in kyozon.toml (KYOZON_SMTP_URL overrides it), over send.connections connections at once and within the rate limits. Every delivery is recorded: a row is marked `sending` and committed before its message goes to the relay, then `sent`, `deferred` (4xx: retried, with growing delays, by this run within send.wait and by later runs until send.retry_for) or `failed` (5xx, with the server's reply). Running send again sends only what is still due.

            Rows an interrupted run left in `sending` become `uncertain` and are not sent again automatically: list them with `kyozon deliveries --state uncertain`, and send them again on purpose with `kyozon deliveries resend`.

            --to sends one test copy, recorded nowhere. --dry-run writes the messages that would go out to a folder and sends nothing.

            Exit status 0: everything delivered; 2: some deliveries failed, deferred or uncertain; 3: the relay failed and the run stopped.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The month whose submissions the issue gathers (YYYY-MM, Tokyo).", valueName: "YYYY-MM"), transform: parseMonth)
    var month: IssueMonth?

    @Option(name: .customLong("list"), help: ArgumentHelp("A list to send to; repeat for several. Default: the lists the issue was approved for.", valueName: "ID"))
    var lists: [String] = []

    @Option(help: ArgumentHelp("Send one test copy to this address instead (recorded nowhere).", valueName: "ADDRESS"))
    var to: String?

    @Option(name: .customLong("dry-run"), help: ArgumentHelp("Write the messages to this folder instead of sending.", valueName: "DIR"))
    var dryRun: String?

    @Flag(help: "Pause the send of this month's issue: a running sender finishes the messages in flight and stops.")
    var pause = false

    @Flag(help: "Allow a paused send to go on (then run `kyozon send` again).")
    var resume = false

    @Flag(help: "Cancel the send of this month's issue: every delivery still waiting is skipped.")
    var cancel = false

    func validate() throws {
        let controls = [pause, resume, cancel].filter { $0 }.count
        if controls > 1 { throw ValidationError("give one of --pause, --resume, --cancel") }
        if controls == 1 { return }
        if to != nil && dryRun != nil { throw ValidationError("--to and --dry-run do not go together") }
    }

    func run() throws {
        let env = try global.environment()
        let store = try env.openStore()
        let month = env.month(month)
        if pause || resume || cancel { return try control(env: env, store: store, month: month) }
        if let to { return try sendTestCopy(to: to, env: env, store: store, month: month) }
        let targets = try lists.map { try store.activeList($0) }
        if let dryRun {
            // A dry run sends nothing, so needs no approval: only lists to write for.
            let chosen = try targets.isEmpty ? (store.approval(for: month)?.lists ?? []).map { try store.activeList($0) } : targets
            guard !chosen.isEmpty else { throw ValidationError("give the lists to write messages for: --list ID") }
            return try writeDryRun(to: dryRun, targets: chosen, env: env, store: store, month: month)
        }
        try SendSession(env: env, store: store, month: month).run(lists: targets.isEmpty ? nil : targets, enqueue: true)
    }

    private func control(env: CommandEnvironment, store: Store, month: IssueMonth) throws {
        guard let issue = try store.existingIssue(for: month) else { throw CommandError("no issue is being sent for \(month)") }
        if resume, try store.sendControl(issueID: issue.id) == .cancelled {
            throw CommandError("the send of \(month) was cancelled; its skipped deliveries stay skipped")
        }
        let control: SendControl = pause ? .paused : resume ? .run : .cancelled
        let skipped = try store.setSendControl(issueID: issue.id, control, by: env.operatorName, now: env.now)
        switch control {
        case .paused: print("\(month): paused; a running sender stops after the messages in flight (`kyozon send --resume` to go on)")
        case .run: print("\(month): resumed; run `kyozon send --month \(month) --list …` to go on")
        case .cancelled: print("\(month): cancelled; \(skipped) waiting delivery(ies) skipped")
        }
    }

    private func sendTestCopy(to: String, env: CommandEnvironment, store: Store, month: IssueMonth) throws {
        let address: EmailAddress
        do { address = try EmailAddress(to) } catch { throw CommandError("--to \"\(to)\" \(error)") }
        let list = try lists.first.map { try store.activeList($0) }
        let sent = try TestCopies.send(env: env, store: store, month: month, to: [address], name: "", list: list)
        switch sent.results[0].1 {
        case .accepted(let reply): print("test copy of \(sent.subject) sent to \(address): \(reply)")
        case let other:
            warn("test copy to \(address) not sent: \(other)")
            throw ExitCode(2)
        }
    }

    private func writeDryRun(to folder: String, targets: [MailingList], env: CommandEnvironment, store: Store, month: IssueMonth) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let issue = try IssueAssembly(env: env, store: store, month: month)
        let alreadySent = Set(try store.deliveries(month: month, state: .sent).map(\.email))
        var seen: Set<Int64> = []
        var written = 0
        for list in targets {
            for subscriber in try store.recipients(of: list.id)
            where !alreadySent.contains(subscriber.email.value) && seen.insert(subscriber.id).inserted {
                written += 1
                let name = String(format: "%06d-", written) + subscriber.email.value + ".eml"
                let bytes = try issue.message(for: subscriber, list: list)
                try Data(bytes).write(to: URL(fileURLWithPath: folder).appendingPathComponent(name))
            }
        }
        print("dry run: \(written) message(s) written to \(folder); nothing sent, nothing recorded")
    }
}
