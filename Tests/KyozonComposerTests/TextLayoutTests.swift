import KyozonTestSupport
import Testing

@testable import KyozonComposer

@Suite struct TextLayoutTests {
    @Test func widthsAsJapaneseFixedWidthFontsShowThem() {
        #expect(EastAsianWidth.columns("■◆─※○") == 10, "ambiguous symbols are wide")
        #expect(EastAsianWidth.columns("あア漢Ａ") == 8)
        #expect(EastAsianWidth.columns("ｱabc") == 4, "half-width katakana is narrow")
        #expect(EastAsianWidth.columns("e\u{301}") == 1, "a combining mark adds nothing")
        #expect(EastAsianWidth.columns("😀👨‍👩‍👧") == 4)
    }

    func lines(_ text: String) -> [String] { text.components(separatedBy: "\n") }

    @Test func japaneseWrapsAt70ColumnsWithKinsoku() {
        let text = String(repeating: "各地の魅力をお届けします。「東京と全国各地との共存共栄」をご覧ください、", count: 6)
        let wrapped = lines(TextLayout.wrap(text, width: 70))
        #expect(wrapped.count > 3)
        for line in wrapped {
            #expect(EastAsianWidth.columns(line) <= 72, "at most one hanging character over: \(line)")
            #expect(!TextLayout.noLineStart.contains(line.first!), "starts with \(line.first!)")
            #expect(!TextLayout.noLineEnd.contains(line.last!), "ends with \(line.last!)")
        }
        #expect(wrapped.joined() == text, "nothing added or lost")
    }

    @Test func urlsAreNeverBrokenAndStandAlone() {
        let url = "https://www.example.jp/" + String(repeating: "very-long-path/", count: 8) + "?q=1"
        let wrapped = lines(TextLayout.wrap("詳しくは\(url)をご覧ください。URL:\(url)", width: 70, indent: "  "))
        #expect(wrapped == ["  詳しくは", "  \(url)", "  をご覧ください。URL:", "  \(url)"])
        // An opening bracket before a URL goes with it rather than end a line.
        #expect(lines(TextLayout.wrap("案内（\(url)）です", width: 70)) == ["案内", "（\(url)", "）です"])
    }

    @Test func asciiWordsBreakOnlyAtSpaces() {
        let text = "KYOZON KYOEI newsletter reaches prefectural officers every month with events and campaigns across Japan"
        let wrapped = lines(TextLayout.wrap(text, width: 40))
        #expect(wrapped.allSatisfy { EastAsianWidth.columns($0) <= 40 })
        #expect(wrapped.joined(separator: " ") == text)
        let long = String(repeating: "x", count: 90)
        #expect(lines(TextLayout.wrap("あ \(long) い", width: 40)) == ["あ", long, "い"], "a word longer than a line stays whole")
    }

    @Test func emojiCountTwo() {
        let wrapped = lines(TextLayout.wrap(String(repeating: "😀", count: 40), width: 70))
        #expect(wrapped.map { EastAsianWidth.columns($0) } == [70, 10])
    }

    @Test(arguments: 1...3)
    func randomMixesKeepTheRules(seed: UInt64) {
        var g = SeededRandom(seed: seed)
        let pieces = ["東京", "、", "。", "「", "」", "（", "）", "ー", "っ", "abc", " ", "①", "😀", "https://example.jp/a/b/c", "ｶ", "■"]
        for _ in 0..<200 {
            let text = (0..<Int.random(in: 1...80, using: &g)).map { _ in pieces.randomElement(using: &g)! }.joined()
            let wrapped = lines(TextLayout.wrap(text, width: 30))
            for (index, line) in wrapped.enumerated() where !line.isEmpty {
                // Only an unbreakable token (a URL, a long ASCII word) may pass the width.
                let unbreakable = line.contains("https://") || (!line.contains(" ") && line.allSatisfy(\.isASCII))
                #expect(EastAsianWidth.columns(line) <= 32 || unbreakable, "[\(line)] in [\(text)]")
                // Only the text's own last line may end with an opening bracket.
                #expect(index == wrapped.count - 1 || !TextLayout.noLineEnd.contains(line.last!), "[\(line)] in [\(text)]")
            }
            #expect(wrapped.joined().filter { $0 != " " } == text.filter { $0 != " " }, "nothing added or lost")
        }
    }
}
