import Foundation
import KyozonDomain
import KyozonTestSupport
import Testing

@testable import KyozonCollector

@Suite struct CSVSourceTests {
    let collector = Collector(sendDay: 5)

    func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: PackagePaths.path("Tests/Support/Fixtures/\(name)")))
    }

    func item(_ result: CollectedSubmission) -> Item? {
        if case .accepted(let item) = result.outcome { return item }
        return nil
    }

    /// Made by Python's cp932 codec, as Excel saves "CSV": CRLF, Japanese headers, quoted line breaks.
    @Test func readsCP932AsExcelWritesIt() throws {
        let results = collector.collect(try fixture("submissions-cp932.csv"), origin: "kochi.csv")
        #expect(results.count == 4)
        #expect(results.map(\.isAccepted) == [true, true, true, false])
        let soft = try #require(item(results[0]))
        // 表 (0x955C) and ソ (0x835C) end in the byte of "\": a naive decoder breaks on them.
        #expect(soft.title == "表参道ソフトクリームフェア")
        #expect(soft.summary.contains("①ミルク ②抹茶 の2種類、㈱ソフト研究所が協力します。"))
        #expect(soft.summary.contains("\n"), "a quoted line break stays inside the field")
        #expect(soft.startsOn == CalendarDate(iso: "2026-12-05") && soft.endsOn == CalendarDate(iso: "2026-12-07"))
        #expect(soft.submittedAt == Timestamp(rfc3339: "2026-11-05T10:00:00+09:00"))
        #expect(soft.category == .event && soft.prefecture.code == 13 && soft.municipality == "渋谷区")
        let takashimaya = try #require(item(results[1]))
        #expect(takashimaya.title == "髙島屋の物産展")
        // CP932's 0x8160 and 0x817C are U+FF5E and U+FF0D, as Windows maps them.
        #expect(takashimaya.summary == "10時\u{FF5E}18時（最終日は\u{FF0D}17時）")
        #expect(takashimaya.startsOn == CalendarDate(iso: "2026-12-10"), "令和8年 is 2026")
        #expect(takashimaya.submittedAt == Timestamp(rfc3339: "2026-11-06T00:00:00+09:00"))
        #expect(results[1].source.description == "kochi.csv:4 「髙島屋の物産展」", "line 4: the quoted field above spans two lines")
        #expect(results[3].rejectionMessages == [
            "kochi.csv:6 「日付の誤り」: field \"starts_on\": \"2026/13/1\" is not a date; accepted: YYYY-MM-DD such as 2026-12-05, or 2026/12/5, 2026年12月5日, 令和8年12月5日"
        ])
    }

    @Test func warnsAboutCharactersOldMailSystemsCannotShowAndKeepsThem() throws {
        let results = collector.collect(try fixture("submissions-cp932.csv"), origin: "kochi.csv")
        let warnings = results[0].warnings.map(\.description) + results[1].warnings.map(\.description)
        #expect(warnings.contains { $0.contains("① (suggest (1))") && $0.contains("㈱ (suggest (株))") })
        #expect(warnings.contains { $0.hasPrefix("field \"title\"") && $0.contains("髙 (suggest 高)") })
        #expect(item(results[1])?.title == "髙島屋の物産展", "kept as written")
    }

    @Test func readsUTF8WithBOMAndEnglishHeaders() {
        let csv = "\u{FEFF}title,category,prefecture,summary,submitted_at,submitted_by,memo\r\n"
            + "\"Tokyo, Osaka\",campaign,27,\"a \"\"quoted\"\" word\",2026-11-02T10:00:00,大阪府,note\r\n"
        let results = collector.collect(Data(csv.utf8), origin: "en.csv")
        #expect(results.count == 1)
        #expect(item(results[0])?.title == "Tokyo, Osaka")
        #expect(item(results[0])?.summary == "a \"quoted\" word")
        #expect(results[0].warnings.map(\.field) == ["memo"], "an unknown column is said to be ignored")
    }

    @Test func aHeaderWithoutTitleIsExplained() {
        let results = collector.collect(Data("name,kind\r\nx,y\r\n".utf8), origin: "bad.csv")
        #expect(results.count == 1)
        #expect(results[0].rejectionMessages.first?.contains("line 1 has no title column") == true)
    }

    @Test func bytesThatAreNeitherUTF8NorCP932AreRejectedWithTheOffset() {
        var bytes = Array("title,category\r\nabc".utf8)
        bytes += [0xFF, 0x0A]  // 0xFF is neither UTF-8 nor CP932
        let results = collector.collect(Data(bytes), origin: "broken.csv")
        #expect(results[0].rejectionMessages.first?.contains("offset 19") == true)
    }
}
