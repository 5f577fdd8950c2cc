import Foundation
import KyozonDomain
import KyozonTestSupport
import Testing

@testable import KyozonComposer

@Suite struct EscapingTests {
    @Test func escapesEveryDangerousScalar() {
        #expect(HTMLEscaping.escape(#"<a href="x" onclick='y'>&"#) == "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;")
        #expect(HTMLEscaping.escape("東京都") == "東京都")
    }

    /// Regression: swift-mustache 2.1.1 escapes by grapheme cluster, so `"` + U+0301 passed unescaped.
    @Test func aQuoteFollowedByACombiningMarkCannotLeaveAnAttribute() throws {
        let folder = try TemporaryDirectory()
        try folder.write("issue.html.mustache", #"<a href="{{portal_url}}" title="{{title}}">x</a>"# + SampleIssue.footer)
        try folder.write("issue.txt.mustache", "{{title}}" + SampleIssue.footer)
        let hostile = "\"\u{301} onmouseover=\"alert(1)\u{301}"
        let rendered = try IssueRenderer(templates: try TemplateSet(directory: folder.path)).render(
            SampleIssue.content(title: hostile))
        // The needle stops before ")": in the output ")" + U+0301 is one Character.
        #expect(rendered.html.contains("&quot;\u{301} onmouseover=&quot;alert(1"))
        #expect(rendered.html.unicodeScalars.filter { $0 == "\"" }.count == 4, "only the template's own four quotes remain")
        // The text part is not HTML at all: nothing is escaped there.
        #expect(rendered.text.hasPrefix(hostile + "\u{F8F0}"))
    }

    @Test func partialsOfTheTextTemplateAreNotEscapedEither() throws {
        let folder = try TemporaryDirectory()
        try folder.write("issue.html.mustache", "{{> p}}" + SampleIssue.footer)
        try folder.write("issue.txt.mustache", "{{> p}}" + SampleIssue.footer)
        try folder.write("partials/p.mustache", "{{title}}|")
        let rendered = try IssueRenderer(templates: try TemplateSet(directory: folder.path)).render(
            SampleIssue.content(title: "A&B <C>"))
        #expect(rendered.text.hasPrefix("A&B <C>|"))
        #expect(rendered.html.hasPrefix("A&amp;B &lt;C&gt;|"))
    }

    @Test func aMissingTemplateNamesThePathTried() throws {
        let folder = try TemporaryDirectory()
        try folder.write("issue.html.mustache", "x")
        #expect(throws: TemplateError.missingFile(folder.file("issue.txt.mustache"))) {
            try TemplateSet(directory: folder.path)
        }
        #expect(throws: TemplateError.missingDirectory("/nonexistent/Templates")) {
            try TemplateSet(directory: "/nonexistent/Templates")
        }
    }

    /// swift-mustache renders an unknown partial or variable as nothing; kyozon refuses them at load.
    @Test func aMissingPartialOrAMistypedVariableIsAnErrorAtLoad() throws {
        let folder = try TemporaryDirectory()
        try folder.write("issue.html.mustache", "x")
        try folder.write("issue.txt.mustache", "a\n{{> footer_txt}}")
        #expect(throws: TemplateError.unknownPartial(path: folder.file("issue.txt.mustache"), line: 2, name: "footer_txt", tried: folder.file("partials/footer_txt.mustache"))) {
            try TemplateSet(directory: folder.path)
        }
        try folder.write("issue.txt.mustache", "{{#sections}}{{#items}}{{titel}}{{/items}}{{/sections}}")
        #expect(throws: TemplateError.unknownVariable(path: folder.file("issue.txt.mustache"), line: 1, name: "titel")) {
            try TemplateSet(directory: folder.path)
        }
        try folder.write("issue.txt.mustache", "{{! a comment }}{{{sender.name}}} {{lead_text}} {{#sections}}{{#items}}{{summary_text}}{{/items}}{{/sections}}")
        _ = try TemplateSet(directory: folder.path)
    }

    @Test func anIssueWithoutTheUnsubscribeLinkOrSenderIsRefused() throws {
        let folder = try TemporaryDirectory()
        try folder.write("issue.html.mustache", SampleIssue.footer)
        try folder.write("issue.txt.mustache", "{{sender.name}} {{sender.postal_address}}")
        let renderer = IssueRenderer(templates: try TemplateSet(directory: folder.path))
        #expect(throws: TemplateError.missingRequired(part: "plain-text", what: "the unsubscribe link", variable: "unsubscribe_url")) {
            try renderer.render(SampleIssue.content())
        }
        try folder.write("issue.txt.mustache", SampleIssue.footer)
        try folder.write("issue.html.mustache", "{{unsubscribe_url}} {{sender.name}}")
        #expect(throws: TemplateError.missingRequired(part: "HTML", what: "the sender's postal address", variable: "sender.postal_address")) {
            try IssueRenderer(templates: try TemplateSet(directory: folder.path)).render(SampleIssue.content())
        }
    }
}

/// A small fixed issue for composer tests.
enum SampleIssue {
    /// What every issue template must show.
    static let footer = "{{unsubscribe_url}} {{sender.name}} {{sender.postal_address}}"

    static let sender = Sender(
        name: "東京都 政策企画局 地方連携推進担当", address: try! EmailAddress("kyozon@kyozon-kyoei.example"),
        postalAddress: "〒163-8001 東京都新宿区西新宿二丁目8番1号", contact: "渉外課")

    static func items() -> [Item] {
        [
            Item(
                title: "大阪ええもん市", category: .event, prefecture: Prefecture(code: 27)!,
                startsOn: CalendarDate(iso: "2026-12-18"), endsOn: CalendarDate(iso: "2026-12-20"), venue: "日本橋",
                summary: "府内の逸品を紹介します。", url: "https://example.jp/osaka",
                submittedAt: Timestamp(rfc3339: "2026-11-16T11:00:00")!, submittedBy: "大阪府"),
            Item(
                title: "北海道どさんこ冬の大物産展", category: .event, prefecture: Prefecture(code: 1)!,
                municipality: "札幌市", startsOn: CalendarDate(iso: "2026-12-05"), endsOn: CalendarDate(iso: "2026-12-07"),
                summary: "道内の特産品が集まります。\n\n初日は先着順です。", contact: "03-0000-0001",
                submittedAt: Timestamp(rfc3339: "2026-11-02T10:00:00")!, submittedBy: "北海道"),
            Item(
                title: "青森りんごキャンペーン", category: .campaign, prefecture: Prefecture(code: 2)!,
                summary: "抽選で100名様に。", submittedAt: Timestamp(rfc3339: "2026-11-05T14:00:00")!, submittedBy: "青森県"),
        ]
    }

    static func content(title: String? = nil) -> IssueContent {
        var content = IssueContent(
            month: IssueMonth("2026-11")!, volume: 3, title: title, items: items(), sender: sender,
            portalURL: "https://www.kyozon-kyoei.metro.tokyo.lg.jp/")
        content.webURL = "https://kyozon-kyoei.example/issues/2026-11"
        content.subscribeURL = "https://kyozon-kyoei.example/subscribe"
        return content
    }
}
