import Foundation
import KyozonDomain
import KyozonTestSupport
import Testing

@testable import KyozonComposer

@Suite struct MailMessageTests {
    let templates = try! TemplateSet(directory: PackagePaths.path("Templates"))

    func builder() throws -> MailMessageBuilder {
        let rendered = try IssueRenderer(templates: templates).render(SampleIssue.content())
        return MailMessageBuilder(
            issue: rendered, issueKey: "2026-11.abc123", sender: SampleIssue.sender,
            date: Timestamp(rfc3339: "2026-12-05T09:00:00")!, listDomain: "kyozon-kyoei.example")
    }

    func recipient(id: Int64 = 7, name: String = "佐藤 花子") -> MessageRecipient {
        MessageRecipient(
            subscriberID: id, email: try! EmailAddress("sato@pref.example.lg.jp"), name: name, organization: "北海道 東京事務所",
            list: MailingList(id: "kyoei", name: "KYOZON KYOEI（都道府県職員向け）", description: ""),
            unsubscribeURL: "https://kyozon-kyoei.example/unsubscribe/7.abc",
            unsubscribeMailto: try! EmailAddress("unsubscribe@kyozon-kyoei.example"))
    }

    @Test func longTitlesWrapUnderTheirMarkInThePlainText() throws {
        var content = SampleIssue.content()
        let title = String(repeating: "東京と全国各地との共存共栄をめざす連携事業の成果報告会", count: 3)
        content.items[0].title = title
        let text = try IssueRenderer(templates: templates).render(content).text
        let lines = text.components(separatedBy: "\n")
        let first = try #require(lines.firstIndex { $0.hasPrefix("◆ 東京と全国各地") })
        #expect(lines[first + 1].hasPrefix("   ") && !lines[first + 1].hasPrefix("    "), "continuation hangs under the title")
        #expect(lines.allSatisfy { EastAsianWidth.columns($0) <= 72 }, "no line far past 70 columns")
        let joined = lines[first...].prefix { !$0.hasPrefix("  北海道") && !$0.hasPrefix("  近畿") && !$0.hasPrefix("  九州") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        #expect(joined.hasPrefix("◆" + title) || joined.hasPrefix("◆ " + title) || joined.replacingOccurrences(of: " ", with: "").hasPrefix("◆" + title))
    }

    @Test func eraDatesAndMastheadWhenSet() throws {
        var content = SampleIssue.content()
        content.japaneseEra = true
        let rendered = try IssueRenderer(templates: templates).render(content)
        for part in [rendered.html, rendered.text] {
            #expect(part.contains("令和8年12月号"))
            #expect(part.contains("令和8年12月5日(土)〜7日(月)"))
            #expect(!part.contains("2026年12月5日"))
        }
    }

    @Test func theIssueRendersItsItemsInSectionsAndOrder() throws {
        let rendered = try IssueRenderer(templates: templates).render(SampleIssue.content())
        #expect(rendered.subject == "KYOZON KYOEI 2026年12月号 Vol.3")
        for text in [rendered.html, rendered.text] {
            // Events first (北海道 before 大阪府: region and JIS order), then campaigns.
            let hokkaido = text.range(of: "北海道どさんこ冬の大物産展")!.lowerBound
            let osaka = text.range(of: "大阪ええもん市")!.lowerBound
            let aomori = text.range(of: "青森りんごキャンペーン")!.lowerBound
            #expect(hokkaido < osaka && osaka < aomori)
            #expect(text.contains("2026年12月5日(土)〜7日(月)"))
            #expect(text.contains("#東京と全国各地との共存共栄"))
        }
        #expect(rendered.html.hasPrefix("<!DOCTYPE html>\n<html lang=\"ja\">"))
    }

    @Test func personalValuesAreSplicedAndEscapedPerPart() throws {
        let hostile = Personalization(name: "<b>太郎</b>", organization: "A&B", unsubscribeURL: "https://x.example/u/1?a=1&b=2")
        let (html, text) = try IssueRenderer(templates: templates).render(SampleIssue.content()).personalized(hostile)
        #expect(html.contains("&lt;b&gt;太郎&lt;/b&gt;"))
        #expect(html.contains("https://x.example/u/1?a=1&amp;b=2"))
        #expect(text.contains("<b>太郎</b>"))
        #expect(text.contains("https://x.example/u/1?a=1&b=2"))
        #expect(!html.contains("\u{F8F0}") && !text.contains("\u{F8F0}"), "no marker is left")
    }

    @Test func theMessageIsCRLFWithShortLinesAndStableIDs() throws {
        let b = try builder()
        let bytes = b.message(for: recipient())
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends in CRLF")
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        #expect(text.contains("Message-ID: <kyozon.2026-11.abc123.7@kyozon-kyoei.example>\r\n"))
        #expect(b.message(for: recipient()) == bytes, "the same (issue, subscriber) gives the same message")
        #expect(text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"))
        #expect(text.contains(" <https://kyozon-kyoei.example/unsubscribe/7.abc>,\r\n <mailto:unsubscribe@kyozon-kyoei.example?subject=unsubscribe>\r\n"))
        #expect(text.contains("Content-Type: multipart/alternative;"))
        let plain = text.range(of: "Content-Type: text/plain; charset=UTF-8")!.lowerBound
        let html = text.range(of: "Content-Type: text/html; charset=UTF-8")!.lowerBound
        #expect(plain < html, "text first: the last alternative is the preferred one")
    }
}

@Suite struct PreEncodedPartTests {
    @Test func base64LinesAreFoundationsBase64() {
        var random = SeededRandom(seed: 76)
        for length in Array(0...200) + [4096, 4097, 4098] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let expected = length == 0 ? "" : Data(bytes).base64EncodedString(
                options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]) + "\r\n"
            #expect(String(decoding: PreEncodedPart.base64Lines(bytes[...]), as: UTF8.self) == expected, "length \(length)")
        }
    }

    /// Splicing pre-encoded lines must give exactly the base64 of the whole part, for any
    /// length of shared text before the markers and any length of personal values.
    @Test(arguments: [0, 1, 56, 57, 58, 113, 114, 1000, 4097])
    func splicingEqualsEncodingTheWhole(sharedLength: Int) {
        let shared = String(repeating: "あa", count: sharedLength / 2) + (sharedLength % 2 == 1 ? "b" : "")
        let rendered = shared + "様 " + Personalization.Marker.name + "\n" + Personalization.Marker.unsubscribeURL + "\nおわり"
        let part = PreEncodedPart(SplicedText(rendered))
        for name in ["", "佐藤", String(repeating: "長", count: 40)] {
            let url = "https://x.example/u/" + String(repeating: "z", count: name.count)
            let spliced = part.encoded(Personalization(name: name, organization: "", unsubscribeURL: url), html: false)
            let whole = SplicedText(rendered).filled(Personalization(name: name, organization: "", unsubscribeURL: url), html: false)
            #expect(spliced == PreEncodedPart.base64Lines(Array(whole.utf8)[...]), "shared \(sharedLength), name \(name.count)")
        }
    }

    /// With a prefecture block, each segment before it is padded with spaces at its last line's
    /// end; the decoded copy is the reader's whole part with only that padding added.
    @Test(arguments: [0, 1, 56, 57, 58, 1000])
    func splicingWithAPrefectureBlockDecodesToTheReadersPart(sharedLength: Int) throws {
        let shared = String(repeating: "あa", count: sharedLength / 2) + (sharedLength % 2 == 1 ? "b" : "") + "\r\n"
        let rendered = shared + Personalization.Marker.yourPrefecture + "本文\r\n" + Personalization.Marker.name + " 様\r\n"
        let blocks = [1: "■ 貴県からの掲載（北海道）\r\n", 13: String(repeating: "東京", count: 45) + "\r\n"]
        let spliced = SplicedText(rendered, blocks: blocks)
        let part = PreEncodedPart(spliced)
        for prefecture in [1, 13, 47, nil] as [Int?] {
            let person = Personalization(name: "佐藤", organization: "", unsubscribeURL: "https://x.example/u", prefecture: prefecture)
            let encoded = part.encoded(person, html: false)
            #expect(encoded.split(separator: 0x0A).allSatisfy { $0.count <= 77 }, "lines of at most 76 and CR")
            let decoded = try #require(Data(base64Encoded: Data(encoded), options: .ignoreUnknownCharacters))
            let lines = String(decoding: decoded, as: UTF8.self).components(separatedBy: "\r\n")
            let expected = spliced.filled(person, html: false).components(separatedBy: "\r\n")
            #expect(lines.map { String($0.reversed().drop { $0 == " " }.reversed()) } == expected, "prefecture \(String(describing: prefecture))")
            #expect(String(decoding: decoded, as: UTF8.self).contains("貴県からの掲載") == (prefecture == 1))
        }
    }
}

@Suite struct TransferEncodingChoiceTests {
    /// An issue that is mostly ASCII travels as quoted-printable, which is shorter there than
    /// base64, encoded per message; Python's email package reads it back.
    @Test func aMostlyASCIIIssueIsQuotedPrintable() throws {
        let folder = try TemporaryDirectory("kyozon-qp")
        try FileManager.default.createDirectory(atPath: folder.file("partials"), withIntermediateDirectories: true)
        _ = try folder.write("issue.html.mustache", """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{title}}</title></head>
            <body>{{#sections}}<h2>{{label}}</h2>{{#items}}<p>{{title}}</p>{{/items}}{{/sections}}
            <p>Dear {{subscriber_name}}: leave at <a href="{{unsubscribe_url}}">{{unsubscribe_url}}</a>.</p>
            <p>{{sender.name}}, {{sender.postal_address}}</p></body></html>
            """)
        _ = try folder.write("issue.txt.mustache", """
            {{#sections}}{{#items}}- {{title}}
            {{/items}}{{/sections}}
            Dear {{subscriber_name}}: leave at {{unsubscribe_url}}
            {{sender.name}}, {{sender.postal_address}}
            """)
        var content = SampleIssue.content()
        content.sender = Sender(
            name: "Tokyo Metropolitan Government", address: try EmailAddress("kyoei@kyozon-kyoei.example"),
            postalAddress: "2-8-1 Nishi-Shinjuku, Tokyo", contact: "03-5321-1111")
        for index in content.items.indices { content.items[index].title = "Winter fair number \(index + 1) in the prefecture" }
        let rendered = try IssueRenderer(templates: try TemplateSet(directory: folder.path)).render(content)
        let builder = MailMessageBuilder(
            issue: rendered, issueKey: "2026-11.qp", sender: content.sender, date: Timestamp(rfc3339: "2026-12-05T09:00:00")!,
            listDomain: "kyozon-kyoei.example")
        #expect(builder.textEncoding == .quotedPrintable && builder.htmlEncoding == .quotedPrintable)
        let recipient = MessageRecipient(
            subscriberID: 9, email: try EmailAddress("sato@pref.example.lg.jp"), name: "佐藤 花子", organization: "",
            list: MailingList(id: "kyoei", name: "KYOZON KYOEI", description: ""),
            unsubscribeURL: "https://kyozon-kyoei.example/unsubscribe/9.abc", unsubscribeMailto: nil)
        let eml = try folder.write("m.eml", String(decoding: builder.message(for: recipient), as: UTF8.self))
        let out = try ProcessRunner.run(PackagePaths.python, [PackagePaths.path("Tests/Support/mail_check.py"), eml])
        let parsed = try #require((try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]])?.first)
        let parts = try #require(parsed["parts"] as? [[String: Any]])
        #expect(parts.map { $0["transfer_encoding"] as? String } == ["quoted-printable", "quoted-printable"])
        for part in parts {
            let text = try #require(part["text"] as? String)
            #expect(text.contains("Dear 佐藤 花子: leave at"))
            #expect(text.contains("Winter fair number 3 in the prefecture"))
        }
        #expect((parsed["longest_line"] as? Int ?? 999) <= 76)
    }
}
