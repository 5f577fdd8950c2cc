import Testing

@testable import KyozonDomain

@Suite struct PrefectureTests {
    @Test func thereAre47InJISOrder() {
        #expect(Prefecture.all.count == 47)
        #expect(Prefecture.all.map(\.code) == Array(1...47))
        #expect(Prefecture(code: 13)?.name == "東京都")
        #expect(Prefecture(code: 0) == nil)
        #expect(Prefecture(code: 48) == nil)
    }

    @Test(arguments: [
        ("北海道", 1), ("大阪府", 27), ("大阪", 27), ("京都", 26), ("東京都", 13), ("東京", 13), ("沖縄県", 47),
        ("01", 1), ("1", 1), ("47", 47), ("13", 13), ("Tokyo", 13), ("hokkaido", 1), ("OSAKA", 27),
        ("Ōita", 44), ("kagoshima-ken", 46), (" 青森県 ", 2), ("　神奈川", 14),
    ])
    func findsByNameCodeOrRomaji(text: String, code: Int) {
        #expect(Prefecture.lookup(text)?.code == code)
    }

    @Test(arguments: ["", "00", "48", "東京府", "Tokio", "大阪市", "123"])
    func rejectsWhatIsNotAPrefecture(text: String) {
        #expect(Prefecture.lookup(text) == nil)
    }

    @Test func regionsFollowTheUsualGrouping() {
        #expect(Prefecture.lookup("北海道")?.region == .hokkaidoTohoku)
        #expect(Prefecture.lookup("福島")?.region == .hokkaidoTohoku)
        #expect(Prefecture.lookup("新潟")?.region == .chubu)
        #expect(Prefecture.lookup("三重")?.region == .kinki)
        #expect(Prefecture.lookup("山口")?.region == .chugoku)
        #expect(Prefecture.lookup("高知")?.region == .shikoku)
        #expect(Prefecture.lookup("沖縄")?.region == .kyushuOkinawa)
        #expect(Region.allCases.map(\.label) == ["北海道・東北", "関東", "中部", "近畿", "中国", "四国", "九州・沖縄"])
        // Every region holds a contiguous run of JIS codes, so JIS order is also region order.
        let regions = Prefecture.all.map(\.region)
        #expect(regions == regions.sorted())
    }

    @Test func categoriesAcceptCodesAndLabels() {
        #expect(Category(codeOrLabel: "event") == .event)
        #expect(Category(codeOrLabel: "Event") == .event)
        #expect(Category(codeOrLabel: "イベント") == .event)
        #expect(Category(codeOrLabel: "移住・定住") == .migration)
        #expect(Category(codeOrLabel: "取材レポート") == .report)
        #expect(Category(codeOrLabel: "festival") == nil)
        #expect(Category.acceptedValues.contains("collaboration (連携事業)"))
        #expect(Category.allCases.sorted() == Category.allCases)
    }
}
