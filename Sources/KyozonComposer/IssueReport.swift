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
    /// What staff should look at, one line each (English, as `report.txt` has them).
    public let warnings: [String]
    /// The same in Japanese, for the staff pages.
    public let japaneseWarnings: [String]

    public init(content: IssueContent, html: String, text: String, message: Int, rejected: Int) {
        lines = [
            content.effectiveTitle,
            "items: \(content.items.count) accepted in \(content.month) (\(rejected) rejected; see `kyozon collect --report`)",
            "issue.html: \(html.utf8.count) bytes (under \(Self.htmlLimit) so that Gmail does not clip it)",
            "issue.txt: \(text.utf8.count) bytes",
            "sample.eml: \(message) bytes, as sent to one reader",
        ]
        var found: [Warning] = []
        if content.items.isEmpty { found.append(.empty) }
        if html.utf8.count >= Self.htmlLimit { found.append(.tooLarge(bytes: html.utf8.count)) }
        for item in content.items.sorted(by: Item.issueOrder) {
            if item.url == nil { found.append(.noURL(title: item.title)) }
            if item.url != nil, item.summary.count > IssueView.summaryLimit {
                found.append(.shortened(title: item.title, characters: item.summary.count))
            }
            let fields = [item.title, item.summary, item.venue ?? "", item.contact ?? "", item.municipality ?? ""].joined(separator: "\n")
            let substitutions = ISO2022JP.substitutions(in: fields)
            if !substitutions.isEmpty {
                found.append(.jis(title: item.title, substitutions: substitutions.map { (String($0.original), $0.replacement) }))
            }
        }
        warnings = found.map(\.english)
        japaneseWarnings = found.map(\.japanese)
    }

    /// Something staff should look at before approving.
    public enum Warning: Sendable {
        case empty
        case tooLarge(bytes: Int)
        case noURL(title: String)
        case shortened(title: String, characters: Int)
        case jis(title: String, substitutions: [(original: String, replacement: String)])

        public var english: String {
            switch self {
            case .empty: "no accepted items: the issue is empty"
            case .tooLarge(let bytes): "the HTML is \(bytes) bytes: Gmail will clip it; shorten summaries or move items to the next issue"
            case .noURL(let title): "「\(title)」: no URL; readers have only the contact to go on"
            case .shortened(let title, let count): "「\(title)」: summary of \(count) characters shortened in the HTML, with a link to the rest"
            case .jis(let title, let list):
                "「\(title)」: readers who get ISO-2022-JP will see " + list.map { "\($0.original) → \($0.replacement)" }.joined(separator: ", ")
            }
        }

        /// The same, for the staff pages.
        public var japanese: String {
            switch self {
            case .empty: "掲載する情報がありません。"
            case .tooLarge(let bytes): "HTMLが\(bytes)バイトあり、Gmail では途中で省略されます。内容を短くするか、一部を次号に回してください。"
            case .noURL(let title): "「\(title)」：URLがなく、読者は問い合わせ先しか頼れません。"
            case .shortened(let title, let count): "「\(title)」：内容が\(count)字あるため、HTMLでは途中までを載せ、続きへのリンクを付けます。"
            case .jis(let title, let list):
                "「\(title)」：ISO-2022-JP で受け取る読者には " + list.map { "\($0.original) が \($0.replacement)" }.joined(separator: "、") + " と表示されます。"
            }
        }
    }


    /// The report as staff read it, and as `report.txt` keeps it.
    public var text: String {
        (lines + (warnings.isEmpty ? ["no warnings"] : ["warnings:"] + warnings.map { "  - " + $0 })).joined(separator: "\n") + "\n"
    }
}
