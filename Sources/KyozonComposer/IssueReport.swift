import KyozonDomain
import KyozonJIS

/// What staff should know about an issue before it goes out: sizes against what mail
/// clients tolerate, and items that will not read as submitted everywhere.
///
/// ```swift
/// let report = IssueReport(content: content, html: html, text: text, message: eml, rejected: 1)
/// print(report.text)
/// ```
public struct IssueReport: Sendable {
    /// Gmail clips a message whose HTML passes about 102 KB; the issue stays under this.
    public static let htmlLimit = 100_000

    public let lines: [String]
    public let warnings: [String]

    public init(content: IssueContent, html: String, text: String, message: Int, rejected: Int) {
        lines = [
            content.effectiveTitle,
            "items: \(content.items.count) accepted in \(content.month) (\(rejected) rejected; see `kyozon collect --report`)",
            "issue.html: \(html.utf8.count) bytes (under \(Self.htmlLimit) so that Gmail does not clip it)",
            "issue.txt: \(text.utf8.count) bytes",
            "sample.eml: \(message) bytes, as sent to one reader",
        ]
        var warnings: [String] = []
        if content.items.isEmpty { warnings.append("no accepted items: the issue is empty") }
        if html.utf8.count >= Self.htmlLimit {
            warnings.append("the HTML is \(html.utf8.count) bytes: Gmail will clip it; shorten summaries or move items to the next issue")
        }
        for item in content.items.sorted(by: Item.issueOrder) {
            if item.url == nil { warnings.append("「\(item.title)」: no URL; readers have only the contact to go on") }
            if item.url != nil, item.summary.count > IssueView.summaryLimit {
                warnings.append("「\(item.title)」: summary of \(item.summary.count) characters shortened in the HTML, with a link to the rest")
            }
            let fields = [item.title, item.summary, item.venue ?? "", item.contact ?? "", item.municipality ?? ""].joined(separator: "\n")
            let substitutions = ISO2022JP.substitutions(in: fields)
            if !substitutions.isEmpty {
                let list = substitutions.map { "\($0.original) → \($0.replacement)" }.joined(separator: ", ")
                warnings.append("「\(item.title)」: readers who get ISO-2022-JP will see \(list)")
            }
        }
        self.warnings = warnings
    }

    /// The report as staff read it, and as `report.txt` keeps it.
    public var text: String {
        (lines + (warnings.isEmpty ? ["no warnings"] : ["warnings:"] + warnings.map { "  - " + $0 })).joined(separator: "\n") + "\n"
    }
}
