import ArgumentParser
import Foundation
import KyozonDomain
import KyozonStore

/// `kyozon run-monthly`: what the monthly timer runs. On the send day it sends last month's
/// approved issue, if it is still exactly as approved; otherwise it sends nothing and reminds
/// staff. Safe to fire any number of times: it sends once.
struct RunMonthlyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-monthly",
        abstract: "On the send day, send last month's approved issue (once), and mail staff a report or a reminder.",
        discussion: """
            Run it daily from a timer (see README.md, "Running it every month"). Before issue.send_day it does nothing. From the send day to issue.late_days after it, it sends the issue of the month before, to the lists it was approved for, if it is still exactly what was approved; if it is not approved, or has changed since, it sends nothing and mails staff.notify a reminder. Later than that it refuses and says why (a restored backup or a timer catching up weeks late must not mail every officer a stale issue); send by hand then, if wanted.

            Two runs at once, or a run fired again after the send, send once: a lock, then the record of the month's run. Deliveries still due from an earlier run (deferred, or a relay that failed) are sent by the next run. After sending, staff get a report: counts, failures with the servers' replies, bounces so far.

            Exit status 0: nothing to do, or sent; 2: sent with something undelivered, or held back (not approved, changed, too late); 3: the relay failed.
            """)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let env = try global.environment()
        let config = env.configuration
        let store = try env.openStore()
        let today = TokyoTime.date(atEpochSeconds: env.now.epochSeconds)
        let schedule = MonthlySchedule(sendDay: config.sendDay, lateDays: config.lateDays)
        let month: IssueMonth
        switch schedule.verdict(on: today) {
        case .notYet(let sendDate):
            print("run-monthly: nothing to do today (\(today)); the next issue goes out on \(sendDate)")
            return
        case .tooLate(let late, let sendDate, let days):
            if try store.existingIssue(for: late)?.status == "sent" {
                print("run-monthly: the issue for \(late) was sent; nothing to do until the next send day")
                return
            }
            let why = "the issue for \(late) was due on \(sendDate), \(days) days ago, past issue.late_days (\(config.lateDays)): a run this late is refused (a restored backup, or a timer catching up). If it should still go out, send it by hand: kyozon send --month \(late)"
            warn("run-monthly: \(why)")
            // Staff hear it once, not every morning until the next send day.
            let subject = "【KYOZON KYOEI】\(late.next.japaneseLabel)号は送信されていません"
            if try !store.outbox().contains(where: { $0.kind == "reminder" && $0.subject == subject }) {
                try notifyStaff(env: env, store: store, kind: "reminder", subject: subject, body: why + "\n")
            }
            throw ExitCode(2)
        case .due(let due, _, _):
            month = due
        }

        let lock: SendLock
        do {
            lock = try SendLock(path: env.dataDirectory + "/run-monthly-\(month).lock", purpose: "running the monthly send for \(month)")
        } catch {
            print("run-monthly: another run-monthly is sending the issue for \(month); this one does nothing")
            return
        }
        defer { withExtendedLifetime(lock) {} }

        var resuming = false
        if case .alreadySent(let at) = try store.beginMonthlyRun(month: month, now: env.now) {
            resuming = true
            let due = try store.existingIssue(for: month).map { try store.deliveryCounts(issueID: $0.id) } ?? [:]
            guard due[.pending, default: 0] + due[.deferred, default: 0] > 0 else {
                print("run-monthly: the issue for \(month) was sent at \(at); nothing to do")
                return
            }
            print("run-monthly: the issue for \(month) was sent at \(at); sending what is still due")
        }

        var status: Int32 = 0
        do {
            // A run resuming a send queues nobody new: who gets an issue was settled when it went out.
            try SendSession(env: env, store: store, month: month).run(lists: nil, enqueue: !resuming)
        } catch let refusal as ApprovalRefusal {
            let what: String
            switch refusal {
            case .notApproved: what = "is not approved"
            case .changed(_, _, let approval):
                what = "has changed since \(approval.by) approved it at \(approval.at) (items, templates, title, lead or sender details)"
            }
            let why = "The issue for \(month) (\(refusal.subject)) \(what), so nothing was sent today (\(today)). Preview it, then approve it (on the staff pages, or kyozon issue approve --month \(month)); the next run sends it, until \(config.lateDays) days after the send day."
            try store.finishMonthlyRun(month: month, state: "held", detail: what, now: env.clock())
            warn("run-monthly: " + why)
            try notifyStaff(env: env, store: store, kind: "reminder", subject: "【KYOZON KYOEI】承認待ち：\(refusal.subject)", body: why + "\n")
            throw ExitCode(2)
        } catch let code as ExitCode {
            status = code.rawValue
        }
        let issue = try store.issue(for: month, now: env.now)
        let subject = try store.approval(for: month)?.subject ?? "KYOZON KYOEI \(month)"
        let counts = try store.deliveryCounts(issueID: issue.id)
        let relayFailed = status == 3
        try store.finishMonthlyRun(
            month: month, state: relayFailed ? "failed" : "sent",
            detail: DeliveryState.allCases.map { "\(counts[$0, default: 0]) \($0.rawValue)" }.joined(separator: ", "), now: env.clock())
        // Each submitting office with an address gets what became of its items.
        if !relayFailed && !resuming { _ = try OfficeReportText.enqueue(try store.officeReports(month: month), month: month, store: store, now: env.now) }
        try notifyStaff(
            env: env, store: store, kind: "report",
            subject: "【KYOZON KYOEI】送信報告：\(subject)" + (relayFailed ? "（中断）" : ""),
            body: try Self.report(store: store, month: month, subject: subject, counts: counts, relayFailed: relayFailed))
        if status != 0 { throw ExitCode(status) }
    }

    /// The staff report after a send: counts, failures with the servers' replies, bounces.
    static func report(store: Store, month: IssueMonth, subject: String, counts: [DeliveryState: Int], relayFailed: Bool) throws -> String {
        var lines = ["\(subject)（\(month) の提出分）の送信結果です。", ""]
        let names: [(DeliveryState, String)] = [
            (.sent, "送信済み"), (.deferred, "再送待ち"), (.failed, "失敗"), (.uncertain, "未確認"), (.skipped, "対象外"), (.pending, "未送信"),
        ]
        for (state, name) in names { lines.append("  \(name)：\(counts[state, default: 0])件") }
        if relayFailed { lines += ["", "送信サーバーの障害で中断しました。失われた配信はありません。次回の実行で残りを送信します。"] }
        let failed = try store.deliveries(month: month, state: .failed)
        if !failed.isEmpty {
            lines += ["", "失敗した宛先（サーバーの応答）："]
            for row in failed.prefix(50) { lines.append("  \(row.email)  \(row.reply ?? "")") }
            if failed.count > 50 { lines.append("  ほか\(failed.count - 50)件（kyozon deliveries --month \(month) --state failed）") }
        }
        let issueDeliveries = Set(try store.deliveries(month: month).map(\.id))
        let bounces = try store.inboundMessages(kind: "bounce").filter { $0.deliveryID.map(issueDeliveries.contains) ?? false }
        lines += ["", "これまでに戻ってきたエラーメール（バウンス）：\(bounces.count)件"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Queues a mail to every staff.notify address and sends the outbox at once; when the relay
    /// is down, the mail waits in the outbox for the next `outbox send`.
    func notifyStaff(env: CommandEnvironment, store: Store, kind: String, subject: String, body: String) throws {
        let recipients = try env.configuration.staffNotify.map { try EmailAddress($0) }
        guard !recipients.isEmpty else {
            warn("run-monthly: staff.notify is empty in kyozon.toml: nobody was mailed this \(kind)")
            return
        }
        for recipient in recipients { try store.enqueueMail(kind: kind, to: recipient, subject: subject, body: body, now: env.now) }
        do {
            let result = try OutboxDrain(env: env, store: store).drain(now: { env.clock() })
            if let failure = result.relayFailure { warn("run-monthly: the \(kind) waits in the outbox: \(failure)") }
        } catch {
            warn("run-monthly: the \(kind) waits in the outbox: \(error)")
        }
    }
}
