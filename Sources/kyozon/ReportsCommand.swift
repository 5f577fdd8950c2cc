import ArgumentParser
import Foundation
import KyozonDomain
import KyozonStore

/// `kyozon reports`: after an issue, a short report for each submitting office.
struct ReportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports",
        abstract: "Write each submitting office's report for an issue: what was published, left out or refused, and why.",
        discussion: "One text file per office in --out (to forward), and with --mail a mail through the outbox to each office that has an address (`kyozon submitters add --email`). run-monthly mails them after each send.")

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("The issue (its submission month).", valueName: "YYYY-MM"), transform: parseMonth) var month: IssueMonth?
    @Option(help: ArgumentHelp("Where to write the files. Default: ./reports-YYYY-MM.", valueName: "DIR")) var out: String?
    @Flag(help: "Also mail each report to its office's address, through the outbox.") var mail = false

    func run() throws {
        let env = try global.environment()
        let store = try env.openStore()
        let month = env.month(month)
        let folder = out ?? "reports-\(month)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let reports = try store.officeReports(month: month)
        for report in reports {
            let name = report.office.map { "/\\:*?\"<>| ".contains($0) ? "_" : $0 }
            let path = "\(folder)/report-\(String(name)).txt"
            try Data(OfficeReportText.body(report, month: month).utf8).write(to: URL(fileURLWithPath: path))
            print("\(path): \(report.published.count) published, \(report.leftOut.count) left out, \(report.rejected.count) refused")
        }
        if mail {
            let mailed = try OfficeReportText.enqueue(reports, month: month, store: store, now: env.now)
            print("\(mailed) report(s) queued in the outbox (kyozon outbox send, or serve, sends them)")
        }
        if reports.isEmpty { print("no submissions for \(month)") }
    }
}

/// The text of an office's report, in Japanese, ready to forward or mail.
enum OfficeReportText {
    static func subject(month: IssueMonth) -> String {
        "【KYOZON KYOEI】\(month.next.japaneseLabel)号 掲載結果のお知らせ"
    }

    static func body(_ report: OfficeReport, month: IssueMonth) -> String {
        var lines = [
            "\(report.office) ご担当者様", "",
            "KYOZON KYOEI \(month.next.japaneseLabel)号（\(month.japaneseLabel)にご提出いただいた分）の掲載結果をお知らせします。", "",
            "■ 掲載した情報（\(report.published.count)件）",
        ]
        lines += report.published.isEmpty ? ["  なし"] : report.published.map { "  ・\($0)" }
        if !report.leftOut.isEmpty {
            lines += ["", "■ 掲載を見送った情報（\(report.leftOut.count)件）"]
            lines += report.leftOut.map { "  ・\($0.title)：\($0.why)" }
        }
        if !report.rejected.isEmpty {
            lines += ["", "■ 受け付けられなかった情報（\(report.rejected.count)件）"]
            for entry in report.rejected {
                lines.append("  ・\(entry.source)")
                lines += entry.reasons.map { "      \($0)" }
            }
            lines += ["", "  内容を直して、もう一度ご提出ください。"]
        }
        lines += ["", "ご不明な点は KYOZON KYOEI 編集担当までお問い合わせください。"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Queues each report whose office has an address; returns how many.
    static func enqueue(_ reports: [OfficeReport], month: IssueMonth, store: Store, now: Timestamp) throws -> Int {
        var count = 0
        for report in reports {
            guard let email = report.email else { continue }
            try store.enqueueMail(kind: "office-report", to: email, subject: subject(month: month), body: body(report, month: month), now: now)
            count += 1
        }
        return count
    }
}
