import Foundation
import KyozonDomain
import Testing

@testable import KyozonCollector

@Suite struct CheckTests {
    @Test(arguments: [
        ("2026-12-05", "2026-12-05"), ("2026/12/5", "2026-12-05"), ("2026/12/05", "2026-12-05"), ("2026.12.5", "2026-12-05"),
        ("2026年12月5日", "2026-12-05"), ("2026年12月5日(土)", "2026-12-05"), ("令和8年12月5日", "2026-12-05"),
        ("令和元年5月1日", "2019-05-01"), ("平成31年4月30日", "2019-04-30"), ("２０２６年１２月５日", "2026-12-05"),
    ])
    func readsTheWaysOfficesWriteDates(text: String, iso: String) {
        #expect(DateReader.date(text) == CalendarDate(iso: iso))
    }

    @Test(arguments: ["2026/2/30", "令和0年1月1日", "平成31年5月1日", "令和元年4月30日", "2026年12月", "12/5", "2026-12-5x", "明日"])
    func refusesDatesThatAreNot(text: String) {
        #expect(DateReader.date(text) == nil)
    }

    @Test func halfWidthKatakanaBecomesFullWidthAndIsSaid() {
        let cleaned = TextCleaner.clean("ｶﾞｲﾄﾞﾌﾞｯｸ（ﾊﾟﾝﾌﾚｯﾄ）ABC")
        #expect(cleaned.text == "ガイドブック（パンフレット）ABC")
        // ｶﾞｲﾄﾞﾌﾞｯｸ has 9 half-width scalars (voiced marks count), ﾊﾟﾝﾌﾚｯﾄ 7.
        #expect(cleaned.notes == ["16 half-width katakana character(s) converted to full-width"])
    }

    @Test func characterJISCannotCarryGetASuggestion() {
        let found = JISCheck.unsupported(in: "①㈱髙﨑～東京")
        #expect(found.map { String($0.0) } == ["①", "㈱", "髙", "﨑", "～"])
        #expect(found.map(\.1) == ["(1)", "(株)", "高", "崎", "〜"])
        #expect(JISCheck.unsupported(in: "東京都〜大阪府、ソ表").isEmpty)
    }

    static func event(_ id: String, ends: String?, starts: String = "2026-11-28", submitted: String = "2026-11-10T10:00:00") -> String {
        let end = ends.map { ", \"ends_on\": \"\($0)\"" } ?? ""
        return """
            {"id": "\(id)", "title": "催し\(id)", "category": "event", "prefecture": "13", "starts_on": "\(starts)"\(end),
             "summary": "s", "submitted_at": "\(submitted)", "submitted_by": "東京都"}
            """
    }

    @Test func anEventOverBeforeTheSendDayIsFlaggedNotRejected() {
        // November's items go out on 5 December.
        let json = "[\(Self.event("a", ends: "2026-12-04")), \(Self.event("b", ends: "2026-12-05")), \(Self.event("c", ends: nil))]"
        let results = Collector(sendDay: 5).collect(Data(json.utf8), origin: "e.json")
        #expect(results.map(\.isAccepted) == [true, true, true])
        #expect(results.map(\.flags) == [[.endedBeforeSend], [], [.endedBeforeSend]])
        #expect(results[0].warnings.last?.message == "the event is over on 2026-12-04, before the issue goes out on 2026-12-05; it is left out of the issue unless staff keep it")
        let later = Collector(sendDay: 1).collect(Data("[\(Self.event("d", ends: "2026-12-04"))]".utf8), origin: "e.json")
        #expect(later[0].flags.isEmpty)
    }

    @Test func jsonLinesAreReadLineByLine() {
        let lines = "\(Self.event("a", ends: nil).replacingOccurrences(of: "\n", with: " "))\n\n{\"title\": \"壊\"}\nnot json\n"
        let results = Collector().collect(Data(lines.utf8), origin: "in.jsonl")
        #expect(results.count == 3)
        #expect(results.map(\.source.position) == [.item(1, line: 1), .item(2, line: 3), .item(3, line: 4)])
        #expect(results[2].rejectionMessages.first?.hasPrefix("in.jsonl: item 3 (line 4): field \"(item)\": line is not valid JSON") == true)
    }

    @Test func itemsOfAnArrayKnowTheirLine() {
        let json = "[\n  {\"a\": \"[{,}]\\\"\"},\n\n  {\"b\": [1, {\"c\": 2}]}, 7,\n  \"x\"\n]"
        #expect(JSONSubmissionReader.elementLines(Data(json.utf8)) == [2, 4, 4, 5])
    }
}
