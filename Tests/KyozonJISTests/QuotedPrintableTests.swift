import Foundation
import XCTest

@testable import KyozonJIS

final class QuotedPrintableTests: XCTestCase {
    static let quopri = "import quopri, sys; sys.stdout.buffer.write(quopri.decodestring(open(sys.argv[1], 'rb').read()))"

    /// Inputs that stress line length, soft breaks, and the characters that must be encoded.
    static var samples: [[UInt8]] {
        let japanese = "東京都千代田区で開かれる年末のイベントのお知らせです。詳しくはホームページをご覧ください。"
        var samples: [[UInt8]] = [
            Array(String(repeating: "a", count: 200).utf8),
            Array(String(repeating: "=", count: 100).utf8),
            Array((japanese + "\n" + japanese + japanese + "\r\n").utf8),
            Array("Subscribe: https://example.jp/path?query=1&other=2 \t\n.leading dot\nFrom here\nFromage \n".utf8),
            Array("trailing space   \r\ntab\t\nno newline at end ".utf8),
            Array("bare\rCR and ctrl \u{01}\u{1B}\u{7F} é ü 😀".utf8),
            [0xFF, 0xFE, 0x80, 0xC3, 0x0A, 0xE3, 0x81],  // not UTF-8: bytes one by one
            ISO2022JP.encode(japanese + " ascii " + japanese).bytes,
        ]
        // A short ASCII prefix of every length before Japanese: soft breaks land everywhere.
        for prefix in 0..<12 { samples.append(Array((String(repeating: "x", count: prefix) + japanese).utf8)) }
        return samples
    }

    func testLinesAreShortAndRoundTripThroughPythonAndOurDecoder() throws {
        for sample in Self.samples {
            let encoded = QuotedPrintable.encode(sample)
            for line in physicalLines(encoded) {
                XCTAssertLessThanOrEqual(line.count, 76, String(decoding: line, as: UTF8.self))
                XCTAssertTrue(line.allSatisfy { (0x20...0x7E).contains($0) || $0 == 0x09 })
            }
            XCTAssertEqual(decodeQuotedPrintable(encoded), withCRLF(sample))
            XCTAssertEqual(try Python.run(Self.quopri, input: Data(encoded)), Data(withCRLF(sample)))
        }
    }

    func testEqualsTrailingWhitespaceDotsAndFromAreEncoded() {
        func qp(_ text: String) -> String { String(decoding: QuotedPrintable.encode(Array(text.utf8)), as: UTF8.self) }
        XCTAssertEqual(qp("a=b"), "a=3Db")
        XCTAssertEqual(qp("abc  \nxyz\t"), "abc =20\r\nxyz=09")
        XCTAssertEqual(qp("a b\r\n"), "a b\r\n")
        XCTAssertEqual(qp(".hidden\n..x\na.b"), "=2Ehidden\r\n=2E.x\r\na.b")
        XCTAssertEqual(qp("From here\nFromage\nFrom"), "=46rom here\r\nFromage\r\nFrom")
        XCTAssertEqual(qp("é\u{1B}\u{7F}\r"), "=C3=A9=1B=7F=0D")
        XCTAssertEqual(qp(""), "")
    }

    func testSoftBreakNeverExposesADotOrFromAtLineStart() {
        for text in [String(repeating: "a", count: 75) + ".b", String(repeating: "a", count: 75) + "From here"] {
            let lines = physicalLines(QuotedPrintable.encode(Array(text.utf8)))
            XCTAssertEqual(lines.count, 2)
            XCTAssertEqual(lines[0].count, 76)
            XCTAssertFalse(lines[1].starts(with: Array(".".utf8)))
            XCTAssertFalse(lines[1].starts(with: Array("From ".utf8)))
            XCTAssertEqual(decodeQuotedPrintable(QuotedPrintable.encode(Array(text.utf8))), Array(text.utf8))
        }
    }

    /// Each encoded line, decoded alone, is whole UTF-8 characters: no soft break inside one
    /// (or inside an `=XX`, which would not decode at all).
    func testSoftBreaksKeepCharactersAndTriplesWhole() throws {
        for sample in Self.samples where String(bytes: sample, encoding: .utf8) != nil {
            let lines = physicalLines(QuotedPrintable.encode(sample))
            XCTAssertGreaterThan(lines.count, 0)
            for line in lines {
                let body = line.last == 0x3D ? Array(line.dropLast()) : line  // "=XX" never ends in "="
                let decoded = try XCTUnwrap(decodeQuotedPrintable(body), String(decoding: line, as: UTF8.self))
                XCTAssertNotNil(String(bytes: decoded, encoding: .utf8), String(decoding: line, as: UTF8.self))
            }
        }
        // Escape sequences of ISO-2022-JP stay whole too.
        let jis = ISO2022JP.encode(String(repeating: "a字", count: 40)).bytes
        for line in physicalLines(QuotedPrintable.encode(jis)) {
            let text = String(decoding: line, as: UTF8.self)
            XCTAssertFalse(text.hasSuffix("=1B="), text)
            XCTAssertFalse(text.hasSuffix("=1B$="), text)
        }
    }

    func testPreferredPicksTheShorterEncoding() {
        let ascii = Array("Hello,\r\nplain text only.\r\n".utf8)
        XCTAssertEqual(QuotedPrintable.preferred(for: ascii), .sevenBit)
        XCTAssertEqual(QuotedPrintable.preferred(for: ISO2022JP.encode("東京都のお知らせ\nhttps://example.jp\n").bytes), .sevenBit)
        XCTAssertEqual(QuotedPrintable.preferred(for: Array(String(repeating: "a", count: 77).utf8)), .quotedPrintable)
        XCTAssertEqual(QuotedPrintable.preferred(for: Array("trailing \nspace".utf8)), .quotedPrintable)
        XCTAssertEqual(QuotedPrintable.preferred(for: Array("a bare\rCR in an ASCII line".utf8)), .quotedPrintable)
        XCTAssertEqual(QuotedPrintable.preferred(for: Array("Café au lait, mostly ASCII.\n".utf8)), .quotedPrintable)
        XCTAssertEqual(QuotedPrintable.preferred(for: Array("東京都で開かれる年末のイベント\n".utf8)), .base64)
        // The choice is exactly the shorter of the two real encodings.
        for sample in Self.samples + [Array("é".utf8), Array("éa".utf8), Array("ab".utf8) + [0xFF]] {
            let preferred = QuotedPrintable.preferred(for: sample)
            let qp = TransferEncoding.quotedPrintable.encode(sample).count
            let base64 = TransferEncoding.base64.encode(sample).count
            if preferred != .sevenBit {
                XCTAssertEqual(preferred, qp <= base64 ? .quotedPrintable : .base64, "\(qp) vs \(base64)")
            }
        }
    }

    func testTransferEncodingBodiesEndWithTheBoundaryCRLF() {
        XCTAssertEqual(TransferEncoding.sevenBit.encode(Array("a\nb\r\nc".utf8)), Array("a\r\nb\r\nc\r\n".utf8))
        XCTAssertEqual(TransferEncoding.quotedPrintable.encode(Array("a=\n".utf8)), Array("a=3D\r\n\r\n".utf8))
        let base64 = TransferEncoding.base64.encode([UInt8](repeating: 0x41, count: 58))
        XCTAssertEqual(String(decoding: base64, as: UTF8.self), String(repeating: "QUFB", count: 19) + "\r\nQQ==\r\n")
        XCTAssertEqual(TransferEncoding.quotedPrintable.headerValue, "quoted-printable")
    }
}
