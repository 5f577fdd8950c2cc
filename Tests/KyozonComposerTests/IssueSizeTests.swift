import Foundation
import KyozonDomain
import KyozonTestSupport
import Testing

@testable import KyozonComposer

/// Gmail clips a message whose HTML passes about 102 KB ("[Message clipped]"): a full issue
/// must stay under 100 KB.
@Suite struct IssueSizeTests {
    let templates = try! TemplateSet(directory: PackagePaths.path("Templates"))

    /// 60 items spread over every category and many prefectures, summaries from 80 to 480
    /// characters with a median of 200, every optional field filled.
    static func fullIssue() -> IssueContent {
        var random = SeededRandom(seed: 60)
        let sentence = "県内各地の生産者が集まり、旬の味覚や伝統工芸品を紹介します。"
        let items = (0..<60).map { n -> Item in
            let length = n < 30 ? 80 + n * 4 : 200 + (n - 30) * 9  // median 200
            let summary = String(String(repeating: sentence, count: 20).prefix(length))
            let prefecture = Prefecture.all[Int(random.next() % 47)]
            return Item(
                title: "\(prefecture.name)の冬の催し・特産品フェア 第\(n + 1)回", category: Category.allCases[n % Category.allCases.count],
                prefecture: prefecture, municipality: "県庁所在地市", startsOn: CalendarDate(year: 2026, month: 12, day: 1 + n % 28)!,
                endsOn: CalendarDate(year: 2026, month: 12, day: 2 + n % 28)!, venue: "東京交通会館 1階 イベントスペース（千代田区有楽町）",
                summary: summary, url: "https://www.example.jp/\(prefecture.romaji.lowercased())/winter-fair-\(n)",
                contact: "\(prefecture.name) 東京事務所 観光振興課 03-0000-\(1000 + n)",
                submittedAt: Timestamp(rfc3339: "2026-11-10T10:00:00")!, submittedBy: prefecture.name)
        }
        var content = SampleIssue.content()
        content.items = items
        return content
    }

    @Test func aSixtyItemIssueStaysUnderGmailsClippingSize() throws {
        let rendered = try IssueRenderer(templates: templates).render(Self.fullIssue())
        let person = Personalization(
            name: "佐藤 花子", organization: "北海道 東京事務所", unsubscribeURL: "https://kyozon-kyoei.example/unsubscribe/7.abcdefghijklmnopqrstuv",
            prefecture: rendered.htmlBlocks.keys.max())
        let html = rendered.personalized(person).html
        #expect(html.utf8.count < 100_000, "the HTML is \(html.utf8.count) bytes")
        #expect(html.contains("続きを読む"), "long summaries are shortened in the HTML")
        #expect(rendered.text.contains(String(repeating: "県内各地の生産者が集まり、旬の味覚や伝統工芸品を紹介します。", count: 7).prefix(35)),
            "the plain text keeps whole summaries")
    }
}

@Suite struct IssueReportTests {
    @Test func warnsOfClippingShortenedSummariesMissingLinksAndJIS() {
        var content = SampleIssue.content()
        content.items[0].title = "①髙島屋の催し"
        content.items[1].url = nil
        content.items[2].summary = String(repeating: "長い説明です。", count: 60)
        content.items[2].url = "https://example.jp/long"
        let report = IssueReport(content: content, html: String(repeating: "x", count: 100_001), text: "t", message: 5, rejected: 2)
        #expect(report.lines[1].hasPrefix("items: 3 accepted in 2026-11 (2 rejected"))
        #expect(report.warnings.contains { $0.hasPrefix("the HTML is 100001 bytes: Gmail will clip it") })
        #expect(report.warnings.contains("「①髙島屋の催し」: readers who get ISO-2022-JP will see ① → (1), 髙 → 高"))
        #expect(report.warnings.contains("「\(content.items[1].title)」: no URL; readers have only the contact to go on"))
        #expect(report.warnings.contains { $0.contains("summary of 420 characters shortened in the HTML") })
        #expect(report.japaneseWarnings.contains("「①髙島屋の催し」：ISO-2022-JP で受け取る読者には ① が (1)、髙 が 高 と表示されます。"))
        #expect(report.japaneseWarnings.count == report.warnings.count)
        #expect(report.text.contains("warnings:\n  - "))
    }
}
