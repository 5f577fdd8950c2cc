import Foundation
import XCTest

@testable import KyozonJIS

final class ISO2022JPTests: XCTestCase {
    /// (written, sent): every substitution the issue lists, and the other kinds the table covers.
    static let listed: [(String, String)] = [
        ("\u{FF5E}", "\u{301C}"), ("\u{FF0D}", "\u{2212}"), ("\u{2225}", "\u{2016}"),
        ("\u{FFE0}", "\u{00A2}"), ("\u{FFE1}", "\u{00A3}"), ("\u{FFE2}", "\u{00AC}"),
        ("\u{2014}", "\u{2015}"), ("\u{2013}", "-"), ("\u{00A5}", "\u{FFE5}"), ("\u{203E}", "\u{FFE3}"),
        ("①", "(1)"), ("⑩", "(10)"), ("⑳", "(20)"), ("㉑", "(21)"), ("㊿", "(50)"),
        ("㈱", "(株)"), ("㈲", "(有)"), ("㈹", "(代)"), ("㍻", "平成"), ("㍼", "昭和"), ("㍽", "大正"), ("㍾", "明治"),
        ("㋿", "令和"), ("Ⅰ", "I"), ("Ⅱ", "II"), ("Ⅲ", "III"), ("Ⅳ", "IV"), ("Ⅴ", "V"), ("Ⅵ", "VI"), ("Ⅶ", "VII"),
        ("Ⅷ", "VIII"), ("Ⅸ", "IX"), ("Ⅹ", "X"), ("ⅰ", "i"), ("㎝", "cm"), ("㎏", "kg"), ("㎞", "km"), ("㎡", "m2"),
        ("㎜", "mm"), ("㍉", "ミリ"), ("㌔", "キロ"), ("㍍", "メートル"), ("№", "No."), ("℡", "TEL"), ("™", "TM"),
        ("髙", "高"), ("\u{FA11}", "崎"), ("德", "徳"), ("瀨", "瀬"), ("栁", "柳"), ("黑", "黒"), ("濵", "浜"),
        ("\u{20BB7}", "吉"), ("\u{F9DC}", "\u{9686}"), ("\u{FA10}", "\u{585A}"), ("\u{FA12}", "晴"),
        ("ｱ", "ア"), ("ｶﾞ", "ガ"), ("ﾊﾟ", "パ"), ("ｰ", "ー"), ("｡", "。"), ("＂", "\""), ("\u{00A0}", " "),
        ("か\u{3099}", "が"), ("e\u{301}", "e"), ("é", "e"), ("葛\u{E0100}", "葛"),
        ("•", "・"), ("〝", "“"), ("〟", "”"), ("∑", "Σ"), ("½", "1/2"), ("©", "(C)"), ("€", "EUR"),
        ("😀", "〓"), ("👨‍👩‍👧", "〓"), ("❤️", "〓"), ("♡", "〓"), ("∮", "〓"), ("\u{E000}", "〓"), ("한", "〓"),
        ("\u{1B}", "〓"), ("\u{0E}", "〓"), ("\u{0F}", "〓"), ("\u{00}", "〓"), ("\u{7F}", "〓"),
        ("\u{200B}", ""), ("\u{FEFF}", ""), ("\u{00AD}", ""),
    ]

    func testEachSubstitutionIsReportedAndDecodesToItsReplacement() throws {
        for (written, sent) in Self.listed {
            let found = ISO2022JP.substitutions(in: written)
            XCTAssertEqual(found.count, 1, "\(written)")
            XCTAssertSameScalars(found.first?.replacement, sent, "replacement for \(written)")
            XCTAssertEqual(found.first?.count, 1)
            // Around ASCII and kanji, so a wrong mode switch would show in the decoding too.
            let (bytes, substitutions) = ISO2022JP.encode("a\(written)字")
            XCTAssertEqual(substitutions.map(\.replacement), [sent], "\(written)")
            XCTAssertFalse(bytes.contains { $0 >= 0x80 })
            XCTAssertSameScalars(decodeJIS(bytes), "a\(sent)字", "round trip of \(written)")
        }
    }

    /// The substitutions exist because iconv itself refuses the character (or would need
    /// JIS X 0201 Roman or a raw control), and takes what we send instead.
    func testIconvRefusesEachOriginalAndTakesEachReplacement() {
        for (written, sent) in Self.listed {
            let direct = IconvConverter.convert(Array(written.utf8), from: "UTF-8", to: "ISO-2022-JP")
            let usesRomanOrControl =
                direct.map { bytes in
                    bytes.indices.contains { bytes[$0] == 0x1B && $0 + 2 < bytes.count && bytes[$0 + 2] == 0x4A }
                        || written.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
                } ?? true
            XCTAssertTrue(direct == nil || usesRomanOrControl, "iconv took \(written) as it is")
            XCTAssertNotNil(IconvConverter.convert(Array(sent.utf8), from: "UTF-8", to: "ISO-2022-JP"), sent)
        }
    }

    /// glibc uses the JIS mapping for the row-1 symbols, not Microsoft's: these fix the table.
    func testGlibcMappingOfTheTroublesomeSymbols() {
        func jis(_ text: String) -> [UInt8]? { IconvConverter.convert(Array(text.utf8), from: "UTF-8", to: "ISO-2022-JP") }
        let esc: [UInt8] = [0x1B, 0x24, 0x42]
        let back: [UInt8] = [0x1B, 0x28, 0x42]
        XCTAssertEqual(jis("\u{301C}"), esc + [0x21, 0x41] + back)  // WAVE DASH is 0x2141
        XCTAssertNil(jis("\u{FF5E}"))
        XCTAssertEqual(jis("\u{2212}"), esc + [0x21, 0x5D] + back)  // MINUS SIGN is 0x215D
        XCTAssertNil(jis("\u{FF0D}"))
        XCTAssertEqual(jis("\u{2016}"), esc + [0x21, 0x42] + back)
        XCTAssertEqual(jis("\u{2015}"), esc + [0x21, 0x3D] + back)  // HORIZONTAL BAR, not EM DASH
        XCTAssertNil(jis("\u{2014}"))
        XCTAssertEqual(jis("\u{00A5}"), [0x1B, 0x28, 0x4A, 0x5C] + back)  // ¥ in JIS X 0201 Roman
        XCTAssertEqual(jis("\u{FFE5}"), esc + [0x21, 0x6F] + back)
        XCTAssertEqual(jis("あ\n"), esc + [0x24, 0x22] + back + [0x0A])  // glibc returns to ASCII before LF
    }

    func testCarriedTextHasNoSubstitutions() {
        let text = "2026年12月5日(土)〜7日(月) https://example.jp/a?b=c 東京都\n○●※〒→「」『』【】ー・…ΑΩАЯ＃＠ＡＺ０９\tend"
        XCTAssertEqual(ISO2022JP.substitutions(in: text), [])
        let (bytes, substitutions) = ISO2022JP.encode(text)
        XCTAssertEqual(substitutions, [])
        XCTAssertSameScalars(decodeJIS(bytes), text)
    }

    func testCountsOffsetsAndLines() {
        let found = ISO2022JP.substitutions(in: "a～b～\nc😀\r\n～①")
        XCTAssertEqual(found.count, 3)
        XCTAssertEqual(found.map(\.original), ["～", "😀", "①"])
        XCTAssertEqual(found.map(\.count), [3, 1, 1])
        XCTAssertEqual(found.map(\.firstOffset), [1, 6, 9])  // "\r\n" is one character
        XCTAssertEqual(found.map(\.firstLine), [1, 2, 3])
        XCTAssertEqual(found[0].description, "～ (U+FF5E) → 〜 (U+301C), 3×, first on line 1")
    }

    func testCanonicallyEqualButDifferentCodePointsAreTreatedApart() {
        // U+FA10 == U+585A for Swift, but only U+585A is in JIS X 0208.
        let found = ISO2022JP.substitutions(in: "\u{585A}\u{FA10}")
        XCTAssertEqual(found.count, 1)
        XCTAssertEqual(found.first?.original.unicodeScalars.first?.value, 0xFA10)
        XCTAssertEqual(found.first?.firstOffset, 1)
    }

    func testEveryLineStartsAndEndsInASCII() {
        let text = "東京\n大阪 ok\r\n末尾が漢字\n\nascii\r\n¥100〜～\nend 字"
        let (bytes, _) = ISO2022JP.encode(text)
        let modes = lineModes(bytes)
        XCTAssertEqual(modes.count, 7)
        for (number, mode) in modes.enumerated() {
            XCTAssertEqual(mode.start, .ascii, "line \(number + 1) start")
            XCTAssertEqual(mode.end, .ascii, "line \(number + 1) end")
        }
        XCTAssertEqual(Array(bytes.suffix(3)), [0x1B, 0x28, 0x42])
        // Only ESC ( B and ESC $ B: no JIS X 0201 Roman (¥ went to ￥).
        for index in bytes.indices where bytes[index] == 0x1B {
            XCTAssertTrue([[0x28, 0x42], [0x24, 0x42]].contains(Array(bytes[(index + 1)...(index + 2)])))
        }
        XCTAssertSameScalars(decodeJIS(bytes), "東京\n大阪 ok\r\n末尾が漢字\n\nascii\r\n￥100〜〜\nend 字")
    }

    func testMixedLineRoundTripsThroughIconvAndPython() throws {
        let line = "2026年12月5日(土)〜7日(月) https://example.jp/a?b=c 東京都"
        let (bytes, substitutions) = ISO2022JP.encode(line)
        XCTAssertEqual(substitutions, [])
        XCTAssertEqual(lineModes(bytes).map(\.end), [.ascii])
        XCTAssertSameScalars(decodeJIS(bytes), line)
        let python = try Python.run(
            "import sys; sys.stdout.buffer.write(open(sys.argv[1], 'rb').read().decode('iso2022_jp').encode('utf-8'))",
            input: Data(bytes))
        XCTAssertSameScalars(String(decoding: python, as: UTF8.self), line)
        // The Windows tilde becomes the wave dash; nothing else changes.
        let windows = ISO2022JP.encode(line.replacingOccurrences(of: "〜", with: "～"))
        XCTAssertEqual(windows.bytes, bytes)
        XCTAssertEqual(windows.substitutions.map(\.firstOffset), [13])
    }

    /// All of CP932 (as Excel writes it) through the encoder: whatever is substituted, the
    /// decoding is exactly the text with each reported character replaced.
    func testAllOfCP932DecodesToTheReportedReplacements() throws {
        var cp932: [UInt8] = []
        for lead in Array(0x81...0x9F) + Array(0xE0...0xFC) {
            for trail in Array(0x40...0x7E) + Array(0x80...0xFC) { cp932 += [UInt8(lead), UInt8(trail)] }
        }
        // Undefined codes make iconv fail, so convert pair by pair and keep what decodes.
        let decoder = try XCTUnwrap(IconvConverter(from: "CP932", to: "UTF-8"))
        var text = ""
        for index in stride(from: 0, to: cp932.count, by: 2) {
            if let utf8 = decoder.convert(Array(cp932[index...(index + 1)])) { text += String(decoding: utf8, as: UTF8.self) }
        }
        XCTAssertGreaterThan(text.count, 7000)
        let (bytes, substitutions) = ISO2022JP.encode(text)
        var replacements: [[UInt32]: String] = [:]
        for substitution in substitutions {
            replacements[substitution.original.unicodeScalars.map(\.value)] = substitution.replacement
        }
        let expected = text.map { replacements[$0.unicodeScalars.map(\.value)] ?? String($0) }.joined()
        XCTAssertSameScalars(decodeJIS(bytes), expected)
        // NEC row 13, NEC-selected and IBM extensions and the user-defined area: about 2,700.
        XCTAssertEqual(substitutions.reduce(0) { $0 + $1.count }, 2721)
        XCTAssertTrue(substitutions.contains { $0.original == "～" && $0.replacement == "〜" })
        XCTAssertTrue(substitutions.contains { $0.original == "\u{E000}" && $0.replacement == "〓" })
    }
}
