import ArgumentParser
import Foundation
import KyozonComposer
import KyozonDomain
import KyozonMailer
import KyozonSMTP
import KyozonStore

/// Sending one month's issue: the lock, the ledger, the rendered issue and the relay, shared
/// by `send` and `deliveries resend`.
struct SendSession {
    let env: CommandEnvironment
    let store: Store
    let month: IssueMonth

    /// Sends what is due for the approved issue; `enqueue` first queues the confirmed
    /// subscribers of `lists` (nil: the lists it was approved for, which are the only ones
    /// allowed), `requeue` (staff resending `uncertain` rows on purpose) first puts those rows
    /// back in the queue, under the lock so a running sender cannot race it.
    /// Throws `ApprovalRefusal` when the issue is not approved as it stands, else the exit
    /// code: 0 everything delivered, 2 something not, 3 the relay failed.
    func run(lists requested: [MailingList]?, enqueue: Bool, requeue: DeliveryState? = nil) throws {
        let config = env.configuration
        // Two sending threads once there are connections enough to share: libcurl blocks on
        // each message's final reply, and the other thread sends meanwhile.
        let smtp = try ParallelSMTPTransport(
            settings: SendSession.smtpSettings(env), connections: config.connections,
            threads: config.connections >= 4 ? 2 : 1,
            rateLimit: RateLimit(perSecond: config.perSecond, window: config.perMinute.map { ($0, 60) }))
        let lock = try SendLock(path: env.dataDirectory + "/send-\(month).lock", purpose: "sending the issue for \(month)")
        defer { withExtendedLifetime(lock) {} }

        let issue = try store.issue(for: month, now: env.now)
        var assembly = try IssueAssembly(env: env, store: store, month: month)
        // Only the issue staff approved (never an empty one), for the lists they approved it
        // for, goes out.
        let approval = try ApprovalRefusal.check(assembly, month: month, against: try store.approval(for: month))
        let lists = try requested ?? approval.lists.map { try store.activeList($0) }
        if enqueue, Set(lists.map(\.id)) != Set(approval.lists) {
            throw CommandError(
                "the issue for \(month) is approved for \(approval.lists.joined(separator: ", ")), not \(lists.map(\.id).joined(separator: ", ")); "
                    + "send without --list, or approve it again for these lists (`kyozon issue approve --month \(month) --list …`)")
        }
        if let requeue {
            let rows = try store.requeue(issueID: issue.id, state: requeue, by: env.operatorName, now: env.now)
            guard !rows.isEmpty else {
                print("no \(requeue.rawValue) deliveries for \(month)")
                return
            }
            print("\(rows.count) \(requeue.rawValue) delivery(ies) queued again")
        }
        let stale = try store.markStaleSendingUncertain(issueID: issue.id, now: env.now)
        if stale > 0 {
            warn("\(stale) delivery(ies) were being sent when an earlier run stopped: marked uncertain, not resent (kyozon deliveries --month \(month) --state uncertain)")
        }
        try SentMark(env: env, month: month).check(deliveries: try store.deliveryCounts(issueID: issue.id).values.reduce(0, +))
        if enqueue {
            try SentMark(env: env, month: month).write(now: env.now)
            try store.addIssueLists(issueID: issue.id, lists.map(\.id))
            for list in lists { try store.enqueueDeliveries(issueID: issue.id, list: list.id, now: env.now) }
        }
        // Each row carries the list that queued it: its List-Id comes from that list, even when
        // this run names other lists (rows still due from an earlier run go out too).
        let allLists = try store.listSummaries().map(\.list) + lists
        let listsByID = Dictionary(allLists.map { ($0.id, $0) }) { first, _ in first }
        assembly.builder.prepare(lists: Array(listsByID.values))
        var policy = SendPolicy()
        policy.batchSize = config.batchSize
        policy.retryDelay = Int64(config.retryDelay)
        policy.retryFor = Int64(config.retryFor)
        policy.waitWithinRun = Int64(config.waitWithinRun)
        let bounces = try EmailAddress(config.envelopeFrom)
        // Said before sending, not found after: an envelope sender too long to carry the VERP
        // tag would lose every bounce's tie to its delivery.
        if config.verp, assembly.links.bounceAddress(bounces, deliveryID: Int64.max) == nil {
            throw CommandError(
                "sender.envelope_from \(bounces) is too long to carry a delivery's tag (local+TAG@domain, the local part at most 64 bytes): shorten it, or set sender.verp = false")
        }
        let due = try store.deliveryCounts(issueID: issue.id)
        let progress = ProgressLine(total: due[.pending, default: 0] + due[.deferred, default: 0])
        let run = SendRun(
            ledger: StoreLedger(store: store, issueID: issue.id, bounces: config.bounces), transport: smtp, policy: policy, clock: env.clock,
            sleep: { seconds in Thread.sleep(forTimeInterval: Double(seconds)) },
            envelope: { delivery in config.verp ? assembly.links.bounceAddress(bounces, deliveryID: delivery.id) ?? bounces : bounces },
            message: { delivery in
                let list = listsByID[delivery.listID] ?? lists[0]
                do {
                    return try assembly.message(for: delivery.subscriber, list: list)
                } catch {
                    // Signing does not fail once the key has loaded; if it ever does, the
                    // reader still gets the issue, unsigned, and the operator is told.
                    warn("DKIM signing failed for \(delivery.subscriber.email), sent unsigned: \(error)")
                    return assembly.builder.message(for: assembly.recipient(delivery.subscriber, list: list))
                }
            },
            progress: { progress.update($0) })
        print("Sending \(assembly.rendered.subject) (\(month), \(assembly.content.items.count) items) to \(lists.map(\.id).joined(separator: ", "))")
        let summary = try run.run()
        progress.finish()
        // Sent: from now on it is published as the web edition.
        if summary.sent > 0 { try store.markIssueSent(month: month, now: env.clock()) }

        let control = try store.sendControl(issueID: issue.id)
        if control != .run { print("Stopped: staff \(control == .paused ? "paused" : "cancelled") the send of \(month).") }
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

    static func smtpSettings(_ env: CommandEnvironment) throws -> SMTPSettings {
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

/// Why an issue may not be sent now: it is not approved, or it no longer renders as it did
/// when approved (items, templates, title, lead or sender details changed).
enum ApprovalRefusal: Error, CustomStringConvertible {
    case notApproved(month: IssueMonth, subject: String)
    case changed(month: IssueMonth, subject: String, approval: Approval)

    /// The approval, when `assembly` is exactly what it approved.
    static func check(_ assembly: IssueAssembly, month: IssueMonth, against approval: Approval?) throws(ApprovalRefusal) -> Approval {
        let subject = assembly.rendered.subject
        guard let approval else { throw .notApproved(month: month, subject: subject) }
        guard assembly.rendered.fingerprint(lists: approval.lists) == approval.hash else {
            throw .changed(month: month, subject: subject, approval: approval)
        }
        return approval
    }

    var subject: String {
        switch self {
        case .notApproved(_, let subject), .changed(_, let subject, _): subject
        }
    }

    var description: String {
        switch self {
        case .notApproved(let month, _):
            "the issue for \(month) is not approved: preview it (`kyozon compose --month \(month)`), then `kyozon issue approve --month \(month) --list ID`; a test copy (`--to ADDRESS`) needs no approval"
        case .changed(let month, _, let approval):
            "the issue for \(month) has changed since \(approval.by) approved it at \(approval.at) (items, templates, title, lead or sender details): preview it again and `kyozon issue approve --month \(month)`"
        }
    }
}

/// A mark outside the database that an issue started going out: `sent/YYYY-MM` in the data
/// directory. A store restored from a backup older than the send has no deliveries for the
/// issue, and would send it to everyone again; the mark, which a restore does not replace,
/// stops that.
struct SentMark {
    let path: String

    init(env: CommandEnvironment, month: IssueMonth) {
        path = env.dataDirectory + "/sent/\(month)"
    }

    /// Refuses when the mark is there but the store knows no delivery of the issue.
    func check(deliveries: Int) throws {
        guard deliveries == 0, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        throw CommandError(
            "\(path) says this issue started going out (\(text.trimmingCharacters(in: .whitespacesAndNewlines))), but the store has no delivery of it: was the store restored from an older backup? Sending now could mail everyone twice. Restore the backup taken after that send, or, if the issue truly never went out, delete \(path)")
    }

    /// Writes the mark, durably, before the first delivery is queued.
    func write(now: Timestamp) throws {
        guard !FileManager.default.fileExists(atPath: path) else { return }
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw CommandError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let text = "first queued at \(now)\n"
        _ = text.withCString { Glibc.write(fd, $0, strlen($0)) }
        guard fsync(fd) == 0 else { throw CommandError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }
}

/// A live progress line on a terminal (sent, deferred, failed, rate, ETA), redrawn at most
/// ten times a second; on anything else a plain log line every ten seconds.
final class ProgressLine {
    private let terminal = isatty(STDOUT_FILENO) == 1
    private let total: Int
    private let started = Date()
    private var lastDrawn = Date.distantPast
    private var drewOnTerminal = false

    /// `total`: the rows due when the run starts, for the ETA.
    init(total: Int) { self.total = total }

    func update(_ summary: SendSummary) {
        let now = Date()
        guard now.timeIntervalSince(lastDrawn) >= (terminal ? 0.1 : 10) else { return }
        lastDrawn = now
        let line = Self.line(summary, total: total, elapsed: now.timeIntervalSince(started))
        if terminal {
            FileHandle.standardOutput.write(Data(("\r" + line + "\u{1B}[K").utf8))
            drewOnTerminal = true
        } else {
            print(line)
        }
    }

    func finish() {
        if drewOnTerminal { FileHandle.standardOutput.write(Data("\n".utf8)) }
    }

    /// `sent 1200, deferred 3, failed 1, uncertain 0 | 412 msg/s | ETA 0:42`
    static func line(_ summary: SendSummary, total: Int, elapsed: TimeInterval) -> String {
        let done = summary.sent + summary.failed + summary.deferred + summary.uncertain
        let rate = Double(done) / max(elapsed, 0.001)
        var line = "sent \(summary.sent), deferred \(summary.deferred), failed \(summary.failed), uncertain \(summary.uncertain)"
        line += " | \(Int(rate.rounded())) msg/s"
        if rate > 0, total > done {
            let seconds = Int((Double(total - done) / rate).rounded(.up))
            line += " | ETA " + (seconds >= 3600
                ? String(format: "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String(format: "%d:%02d", seconds / 60, seconds % 60))
        }
        return line
    }
}
