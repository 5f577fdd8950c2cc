import Foundation
import XCTest

@testable import KyozonJIS

final class EncodedWordTests: XCTestCase {
    /// Decodes each word alone with Python's email.header, and the words joined as one header.
    static let decoder = """
        import json, sys
        from email.header import decode_header
        words = json.load(open(sys.argv[1], encoding='utf-8'))
        alone = []
        for word in words:
            parts = decode_header(word)
            assert len(parts) == 1 and parts[0][1] == 'iso-2022-jp', parts
            alone.append(parts[0][0].decode('iso-2022-jp'))
        whole = ''.join(p.decode(c) if isinstance(p, bytes) else p for p, c in decode_header('\\r\\n '.join(words)))
        print(json.dumps({'alone': alone, 'whole': whole}))
        """

    struct Decoded: Decodable {
        let alone: [String]
        let whole: String
    }

    func decode(_ words: [String]) throws -> Decoded {
        let output = try Python.run(Self.decoder, input: try JSONEncoder().encode(words))
        return try JSONDecoder().decode(Decoded.self, from: output)
    }

    /// The checks every encoding must pass: the length limit, words that decode alone to whole
    /// characters of the expected text, and the expected text in all.
    func check(_ words: [String], expected: String, firstRoom: Int? = nil, file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        XCTAssertFalse(words.isEmpty, file: file, line: line)
        for word in words {
            XCTAssertLessThanOrEqual(word.count, 75, word, file: file, line: line)
            XCTAssertTrue(word.hasPrefix("=?ISO-2022-JP?B?") && word.hasSuffix("?="), word, file: file, line: line)
            let base64 = String(word.dropFirst(16).dropLast(2))
            let bytes = try XCTUnwrap(Data(base64Encoded: base64).map { [UInt8]($0) }, file: file, line: line)
            // Complete on its own: ends in ASCII; no bytes outside 7 bits.
            XCTAssertEqual(lineModes(bytes).last?.end, .ascii, word, file: file, line: line)
            XCTAssertFalse(bytes.contains { $0 >= 0x80 }, file: file, line: line)
        }
        if let firstRoom, let first = words.first { XCTAssertLessThanOrEqual(first.count, firstRoom, file: file, line: line) }
        let decoded = try decode(words)
        XCTAssertSameScalars(decoded.whole, expected, "joined", file: file, line: line)
        XCTAssertSameScalars(decoded.alone.joined(), expected, "word by word", file: file, line: line)
        // Each word ends on a character boundary of the expected text.
        var scalarOffset = 0
        for piece in decoded.alone {
            XCTAssertFalse(piece.isEmpty, file: file, line: line)
            scalarOffset += piece.unicodeScalars.count
            let index = expected.unicodeScalars.index(expected.unicodeScalars.startIndex, offsetBy: scalarOffset)
            XCTAssertNotNil(index.samePosition(in: expected), "word ends inside a character: \(piece)", file: file, line: line)
        }
    }

    func testLongMixedSubjectDecodesWordByWord() throws {
        let subject =
            "【東京都】2026年12月号 kyozon通信：年末年始のイベント情報🎍と、㈱サンプルの新サービス「ｶﾌｪ・ﾗﾃ」のご案内 ～ 髙橋さん👨‍👩‍👧 より ①〜⑳ 会場：渋谷区"
        XCTAssertGreaterThanOrEqual(subject.count, 80)
        let words = EncodedWord.iso2022jp(subject, firstRoom: 67)
        XCTAssertGreaterThan(words.count, 3)
        let expected =
            "【東京都】2026年12月号 kyozon通信：年末年始のイベント情報〓と、(株)サンプルの新サービス「カフェ・ラテ」のご案内 〜 高橋さん〓 より (1)〜(20) 会場：渋谷区"
        try check(words, expected: expected, firstRoom: 67)
    }

    func testOnlyKanjiFillsWordsToTheLimit() throws {
        let text = String(repeating: "漢字仮名交じり文", count: 10)
        let words = EncodedWord.iso2022jp(text)
        // 42 bytes a word: ESC $ B, 18 characters, ESC ( B, which is 56 base64 characters.
        XCTAssertEqual(words.dropLast().map(\.count), Array(repeating: 74, count: words.count - 1))
        XCTAssertEqual(words.count, 5)
        try check(words, expected: text)
    }

    func testReplacementsStayWhole() throws {
        let text = String(repeating: "㈱", count: 30)
        let words = EncodedWord.iso2022jp(text, firstRoom: 40)
        try check(words, expected: String(repeating: "(株)", count: 30), firstRoom: 40)
        for piece in try decode(words).alone {
            XCTAssertEqual(piece.count % 3, 0, piece)
            XCTAssertEqual(piece, String(repeating: "(株)", count: piece.count / 3))
        }
    }

    func testWordsEndAfterASpaceWhenOneIsNear() throws {
        let text = String(repeating: "東京都港区 ", count: 8) + "終"
        let words = EncodedWord.iso2022jp(text)
        try check(words, expected: text)
        for piece in try decode(words).alone.dropLast() { XCTAssertTrue(piece.hasSuffix(" "), piece) }
    }

    func testFirstRoomIsRespectedWhenPossible() throws {
        let text = "お知らせ: 年末年始の休館日について"
        for room in [30, 40, 56, 67, 75] {
            try check(EncodedWord.iso2022jp(text, firstRoom: room), expected: text, firstRoom: room)
        }
        // Too little room for any character: the first word still holds one, at most 30 long.
        let tight = EncodedWord.iso2022jp(text, firstRoom: 10)
        XCTAssertLessThanOrEqual(tight[0].count, 30)
        try check(tight, expected: text)
    }

    func testASCIIAndEmptyAndDroppedCharacters() throws {
        try check(EncodedWord.iso2022jp("plain ASCII subject"), expected: "plain ASCII subject")
        XCTAssertEqual(EncodedWord.iso2022jp(""), [])
        XCTAssertEqual(EncodedWord.iso2022jp("\u{200B}"), [])
        try check(EncodedWord.iso2022jp("a\u{200B}b😀"), expected: "ab〓")
    }
}
