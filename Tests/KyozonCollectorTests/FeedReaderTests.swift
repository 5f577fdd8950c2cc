import Foundation
import KyozonDomain
import Testing

@testable import KyozonCollector

@Suite struct FeedReaderTests {
    let defaults = FeedReader.Defaults(name: "北海道 東京事務所", prefecture: "北海道", category: "campaign")

    static let rss = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>北海道 新着</title>
        <item><title>流氷まつり &amp; 物産展</title><link>https://www.example.jp/ryuhyo</link>
          <description><![CDATA[<p>網走の<b>流氷</b>を見に来てください。</p><p>2月開催です。</p>]]></description>
          <pubDate>Tue, 03 Nov 2026 09:30:00 +0900</pubDate><guid>hk-1</guid></item>
        <item><title>ご当地キャンペーン</title><link>https://www.example.jp/camp</link>
          <description>抽選で当たります。</description><pubDate>Wed, 04 Nov 2026 00:00:00 GMT</pubDate>
          <category>観光</category></item>
        <item><title>日付なし</title><description>x</description></item>
        </channel></rss>
        """

    static let atom = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom"><title>大阪府</title>
          <entry><id>tag:osaka,2026:1</id><title>大阪の逸品</title>
            <link rel="alternate" href="https://www.example.jp/itsupin"/><updated>2026-11-12T10:00:00+09:00</updated>
            <summary>府内の逸品を紹介します。</summary><category term="product"/></entry>
        </feed>
        """

    func item(_ result: CollectedSubmission) -> Item? {
        if case .accepted(let item) = result.outcome { return item }
        return nil
    }

    @Test func readsRSSWithTheFeedsDefaults() throws {
        let records = try FeedReader.read(Data(Self.rss.utf8), defaults: defaults).get()
        let results = Collector().collect(records, origin: "https://feeds.example/hokkaido.xml")
        #expect(results.map(\.isAccepted) == [true, true, false])
        let first = try #require(item(results[0]))
        #expect(first.title == "流氷まつり & 物産展")
        #expect(first.summary == "網走の流氷を見に来てください。\n2月開催です。")
        #expect(first.url == "https://www.example.jp/ryuhyo")
        #expect(first.prefecture.code == 1 && first.category == .campaign && first.submittedBy == "北海道 東京事務所")
        #expect(first.submittedAt == Timestamp(rfc3339: "2026-11-03T09:30:00+09:00"))
        #expect(item(results[1])?.category == .tourism, "the entry's own category wins when it is known")
        #expect(item(results[1])?.submittedAt == Timestamp(rfc3339: "2026-11-04T09:00:00+09:00"))
        #expect(results[2].rejectionMessages == ["https://feeds.example/hokkaido.xml: entry 日付なし 「日付なし」: field \"submitted_at\": is required"])
    }

    @Test func readsAtom() throws {
        let records = try FeedReader.read(Data(Self.atom.utf8), defaults: defaults).get()
        let results = Collector().collect(records, origin: "atom")
        let entry = try #require(item(results[0]))
        #expect(entry.url == "https://www.example.jp/itsupin")
        #expect(entry.category == .product)
        #expect(results[0].source.position == .entry("tag:osaka,2026:1"))
    }

    @Test func aLongSummaryIsShortenedAndSaid() throws {
        let long = String(repeating: "長", count: 700)
        let feed = Self.atom.replacingOccurrences(of: "府内の逸品を紹介します。", with: long)
        let results = Collector().collect(try FeedReader.read(Data(feed.utf8), defaults: defaults).get(), origin: "atom")
        #expect(item(results[0])?.summary.count == 500)
        #expect(results[0].warnings.first?.message == "was 700 characters long in the feed; shortened to 500")
    }

    @Test func brokenOrForeignXMLIsAFailureOfTheWholeFeed() {
        for text in ["<rss><channel><item>", "<html><body>not a feed</body></html>", "not xml at all"] {
            guard case .failure(let failure) = FeedReader.read(Data(text.utf8), defaults: defaults) else {
                Issue.record("accepted \(text)")
                continue
            }
            #expect(failure.problem.field == "(feed)")
        }
    }

    @Test func rssDatesInTheirUsualShapes() {
        #expect(RFC822Date.parse("Tue, 03 Nov 2026 09:30:00 +0900") == Timestamp(rfc3339: "2026-11-03T09:30:00+09:00"))
        #expect(RFC822Date.parse("3 Nov 2026 00:30:00 GMT") == Timestamp(rfc3339: "2026-11-03T09:30:00+09:00"))
        #expect(RFC822Date.parse("Tue, 03 Nov 2026 09:30 JST") == Timestamp(rfc3339: "2026-11-03T09:30:00+09:00"))
        #expect(RFC822Date.parse("yesterday") == nil)
    }
}
