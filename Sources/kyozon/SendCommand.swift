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
            One multipart/alternative message per subscriber (one copy even if they are on several of the lists), through the SMTP relay in kyozon.toml (KYOZON_SMTP_URL overrides it). Every delivery is recorded: a row is marked `sending` and committed before its message goes to the relay, then `sent`, `deferred` (4xx, retried by a later run) or `failed` (5xx, with the server's reply). Running send again sends only what is still due.

            Rows an interrupted run left in `sending` become `uncertain` and are not sent again automatically: list them with `kyozon deliveries --state uncertain`.

            Exit status 0: everything delivered; 2: some deliveries failed, deferred or uncertain; 3: the relay failed and the run stopped.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The month whose submissions the issue gathers (YYYY-MM, Tokyo).", valueName: "YYYY-MM"), transform: parseMonth)
    var month: IssueMonth?

    @Option(name: .customLong("list"), help: ArgumentHelp("A list to send to; repeat for several.", valueName: "ID"))
    var lists: [String] = []

    func validate() throws {
        if lists.isEmpty { throw ValidationError("give at least one --list ID (see `kyozon lists list`)") }
    }

    func run() throws {
        let env = try global.environment()
        let store = try env.openStore()
        let month = env.month(month)
        let targets = try lists.map { try store.activeList($0) }
        let config = env.configuration
        let smtp = try CurlSMTPTransport(
            settings: smtpSettings(env), connections: config.connections,
            rateLimit: RateLimit(perSecond: config.perSecond, window: config.perMinute.map { ($0, 60) }))
        guard !(try store.acceptedItems(in: month)).isEmpty else {
            throw CommandError("no accepted items were submitted in \(month); nothing to send (see `kyozon collect`)")
        }

        let lock = try SendLock(path: env.dataDirectory + "/send-\(month).lock", purpose: "sending the issue for \(month)")
        defer { withExtendedLifetime(lock) {} }

        let issue = try store.issue(for: month, now: env.now)
        let stale = try store.markStaleSendingUncertain(issueID: issue.id, now: env.now)
        if stale > 0 {
            warn("\(stale) delivery(ies) were being sent when an earlier run stopped: marked uncertain, not resent (kyozon deliveries --month \(month) --state uncertain)")
        }
        for list in targets { try store.enqueueDeliveries(issueID: issue.id, list: list.id, now: env.now) }

        let assembly = try IssueAssembly(env: env, store: store, month: month, volume: issue.volume, title: issue.title, lead: issue.lead)
        let listsByID = Dictionary(uniqueKeysWithValues: targets.map { ($0.id, $0) })
        var policy = SendPolicy()
        policy.batchSize = config.batchSize
        policy.retryDelay = Int64(config.retryDelay)
        policy.retryFor = Int64(config.retryFor)
        policy.waitWithinRun = Int64(config.waitWithinRun)
        let bounces = try EmailAddress(config.envelopeFrom)
        let run = SendRun(
            ledger: StoreLedger(store: store, issueID: issue.id), transport: smtp, policy: policy, clock: env.clock,
            sleep: { seconds in Thread.sleep(forTimeInterval: Double(seconds)) },
            envelope: { delivery in config.verp ? assembly.links.bounceAddress(bounces, deliveryID: delivery.id) : bounces },
            message: { delivery in
                let list = listsByID[delivery.listID] ?? targets[0]
                return assembly.builder.message(for: assembly.recipient(delivery.subscriber, list: list))
            })
        print("Sending \(assembly.rendered.subject) (\(month), \(assembly.content.items.count) items) to \(lists.joined(separator: ", "))")
        let summary = try run.run()

        let counts = try store.deliveryCounts(issueID: issue.id)
        print("This run: \(summary.sent) sent, \(summary.deferred) deferred, \(summary.failed) failed, \(summary.uncertain) uncertain"
            + (summary.pauses > 0 ? "; paused \(summary.pauses) time(s) for the relay (\(summary.lastRelayTrouble ?? ""))" : ""))
        let order: [DeliveryState] = [.sent, .pending, .deferred, .failed, .skipped, .uncertain]
        print("Issue \(month) so far: " + order.map { "\(counts[$0, default: 0]) \($0.rawValue)" }.joined(separator: ", "))
        if let failure = summary.relayFailure {
            warn("stopped: the relay failed: \(failure). Nothing was lost; run `kyozon send` again once it works.")
            throw ExitCode(3)
        }
        let undelivered = counts[.failed, default: 0] + counts[.deferred, default: 0] + counts[.uncertain, default: 0]
            + counts[.pending, default: 0]
        if undelivered > 0 { throw ExitCode(2) }
    }

    func smtpSettings(_ env: CommandEnvironment) throws -> SMTPSettings {
        let config = env.configuration
        let processEnv = ProcessInfo.processInfo.environment
        var password = processEnv["KYOZON_SMTP_PASSWORD"]
        if password == nil, let file = config.smtpPasswordFile {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandError("smtp.password_file not readable: \(file)")
            }
            password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let envelope = try EmailAddress(config.envelopeFrom)
        return SMTPSettings(
            url: processEnv["KYOZON_SMTP_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? config.smtpURL,
            requireTLS: config.smtpTLS == .required,
            username: config.smtpUsername, password: password, caFile: config.smtpCAFile,
            connectTimeout: config.smtpConnectTimeout, responseTimeout: config.smtpResponseTimeout,
            heloName: config.smtpHeloName ?? envelope.domain)
    }
}
