import Crypto
import KyozonDomain

/// The issue rendered once: HTML and text with markers where personal values go.
public struct RenderedIssue: Sendable {
    public let subject: String
    public let html: String
    public let text: String
    /// The 「貴県からの掲載」 block of each prefecture with items, HTML and text, by JIS code.
    public let htmlBlocks: [Int: String]
    public let textBlocks: [Int: String]

    public init(subject: String, html: String, text: String, htmlBlocks: [Int: String] = [:], textBlocks: [Int: String] = [:]) {
        self.subject = subject
        self.html = html
        self.text = text
        self.htmlBlocks = htmlBlocks
        self.textBlocks = textBlocks
    }

    /// A SHA-256 over everything a reader's copy is made from (subject, HTML, text, each
    /// prefecture's block) and the lists it goes to: what an approval freezes. Any change to
    /// items, templates, sender details or lists changes it.
    public func fingerprint(lists: [String]) -> String {
        var hasher = SHA256()
        func add(_ label: String, _ value: String) {
            // Length-prefixed, so that no two different inputs run together into the same bytes.
            hasher.update(data: Array("\(label):\(value.utf8.count):".utf8))
            hasher.update(data: Array(value.utf8))
        }
        add("subject", subject)
        add("html", html)
        add("text", text)
        for (code, block) in htmlBlocks.sorted(by: { $0.key < $1.key }) { add("html-block-\(code)", block) }
        for (code, block) in textBlocks.sorted(by: { $0.key < $1.key }) { add("text-block-\(code)", block) }
        for list in lists.sorted() { add("list", list) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The same issue with a prefix on its subject, such as 【テスト送信】 on a test copy.
    public func withSubject(prefix: String) -> RenderedIssue {
        prefix.isEmpty
            ? self
            : RenderedIssue(subject: prefix + subject, html: html, text: text, htmlBlocks: htmlBlocks, textBlocks: textBlocks)
    }

    /// The HTML and text for one reader, made as the messages are (see `SplicedText`).
    public func personalized(_ person: Personalization) -> (html: String, text: String) {
        (SplicedText(html, blocks: htmlBlocks).filled(person, html: true),
         SplicedText(text, blocks: textBlocks).filled(person, html: false))
    }
}

/// Renders an issue's content through the HTML and text templates.
///
/// ```swift
/// let rendered = IssueRenderer(templates: try TemplateSet(directory: "Templates")).render(content)
/// ```
public struct IssueRenderer: Sendable {
    public let templates: TemplateSet

    public init(templates: TemplateSet) {
        self.templates = templates
    }

    /// Renders both parts, and refuses an issue that does not show what every issue must
    /// carry: the unsubscribe link, the sender's name and postal address.
    public func render(_ content: IssueContent) throws(TemplateError) -> RenderedIssue {
        let context = IssueView.context(for: content)
        let expected = Set(content.items.map(\.prefecture.code))
        let html = try PrefectureBlocks(cutting: templates.renderHTML(TemplateSet.htmlIssue, context), part: TemplateSet.htmlIssue, expected: expected)
        let text = try PrefectureBlocks(cutting: templates.renderText(TemplateSet.textIssue, context), part: TemplateSet.textIssue, expected: expected)
        let rendered = RenderedIssue(
            subject: content.effectiveTitle, html: html.text, text: text.text, htmlBlocks: html.blocks, textBlocks: text.blocks)
        // The web edition is addressed to nobody: it has no unsubscribe link to carry.
        let required = (content.webEdition ? [] : [("the unsubscribe link", "unsubscribe_url", Personalization.Marker.unsubscribeURL)]) + [
            ("the sender's name", "sender.name", content.sender.name),
            ("the sender's postal address", "sender.postal_address", content.sender.postalAddress),
        ]
        for (what, variable, value) in required {
            if !rendered.text.contains(value) { throw .missingRequired(part: "plain-text", what: what, variable: variable) }
            if !rendered.html.contains(HTMLEscaping.escape(value)) {
                throw .missingRequired(part: "HTML", what: what, variable: variable)
            }
        }
        return rendered
    }
}
