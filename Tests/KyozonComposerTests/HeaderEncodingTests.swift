import Foundation
import KyozonDomain
import Testing

@testable import KyozonComposer

@Suite struct HeaderEncodingTests {
    /// Decodes one encoded word on its own; nil if it is not a whole UTF-8 sequence.
    func decode(_ word: String) -> String? {
        guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?=") else { return nil }
        let payload = String(word.dropFirst(10).dropLast(2))
        guard let data = Data(base64Encoded: payload) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    @Test(arguments: [
        "KYOZON KYOEI Vol.3 2026年12月号 各地のイベント・特産品・連携事例をお届けします",
        "東京都 政策企画局 地方連携推進担当",
        "絵文字👨‍👩‍👧‍👦と🇯🇵と①㈱髙の入った、とても長い件名をきちんと折り返せるかどうかを確かめるための文字列です",
        String(repeating: "あ", count: 200),
    ])
    func everyWordIsShortAndHoldsWholeCharacters(text: String) {
        let words = HeaderEncoding.encodedWords(text)
        #expect(words.allSatisfy { $0.count <= 75 })
        let pieces = words.map(decode)
        #expect(pieces.allSatisfy { $0 != nil }, "each word decodes on its own")
        #expect(pieces.compactMap { $0 }.joined() == text)
        // Whole characters: a grapheme cluster split across two words would count twice.
        #expect(pieces.compactMap { $0?.count }.reduce(0, +) == text.count)
    }

    @Test func wordsEndAfterASpaceWhenOneIsNear() {
        let words = HeaderEncoding.encodedWords("東京都 政策企画局 地方連携推進担当", firstRoom: 68)
        #expect(words.map { decode($0)! } == ["東京都 政策企画局 ", "地方連携推進担当"])
    }

    @Test func foldedHeaderLinesStayWithin76Characters() {
        let subject = HeaderEncoding.unstructured(String(repeating: "長い件名", count: 30), nameLength: 7)
        let lines = ("Subject: " + subject).components(separatedBy: "\r\n")
        #expect(lines.count > 3)
        #expect(lines.allSatisfy { $0.count <= 76 })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" ") })
    }

    @Test func noInputCanStartANewHeaderLine() {
        let subject = HeaderEncoding.unstructured("件名\r\nBcc: victim@example.jp", nameLength: 7)
        let mailbox = HeaderEncoding.mailbox(name: "Evil\r\nBcc: x@y.jp", address: try! .init("a@b.jp"), nameLength: 2)
        for value in [subject, mailbox] {
            // The only CRLFs are folds, each followed by a space.
            #expect(value.components(separatedBy: "\r\n").dropFirst().allSatisfy { $0.hasPrefix(" ") })
            #expect(!value.contains("\r\nBcc"))
        }
    }

    @Test func asciiNamesAreQuotedOnlyWhenNeeded() throws {
        let address = try EmailAddress("a@b.jp")
        #expect(HeaderEncoding.mailbox(name: "Tokyo Office", address: address, nameLength: 4) == "Tokyo Office <a@b.jp>")
        #expect(HeaderEncoding.mailbox(name: "Sato, Taro", address: address, nameLength: 4) == "\"Sato, Taro\" <a@b.jp>")
        #expect(HeaderEncoding.mailbox(name: "", address: address, nameLength: 4) == "<a@b.jp>")
    }

    @Test func datesAreRFC5322InTokyo() {
        #expect(HeaderEncoding.date(.init(rfc3339: "2026-12-05T09:00:00+09:00")!) == "Sat, 5 Dec 2026 09:00:00 +0900")
        #expect(HeaderEncoding.date(.init(rfc3339: "2026-12-31T15:30:05Z")!) == "Fri, 1 Jan 2027 00:30:05 +0900")
    }
}
