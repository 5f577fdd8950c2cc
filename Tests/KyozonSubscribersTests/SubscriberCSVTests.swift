import Foundation
import Testing

import KyozonDomain

@testable import KyozonSubscribers

@Suite struct SubscriberCSVTests {
    @Test func goodRowsAreKeptAndBadOnesReportedByPhysicalLine() {
        let csv = """
            \u{FEFF}email,name,organization,prefecture,lists
            sato@pref.example.lg.jp,佐藤 花子,"北海道 東京事務所, 観光振興課",北海道,kyoei
            not-an-address,高橋,青森県,02,kyoei

            suzuki@pref.example.lg.jp,鈴木,"大阪府
            東京事務所",osaka,kyoei;municipal
            ito@city.example.lg.jp,伊藤,神山町,Atlantis,municipal
            kato@city.example.lg.jp,加藤,,,
            sato@PREF.example.lg.jp,佐藤,,,municipal
            mori@city.example.lg.jp,森,,,kyoei; municipal
            """.replacingOccurrences(of: "\n", with: "\r\n")
        let (rows, problems) = SubscriberCSV.read(Data(csv.utf8), file: "s.csv")
        #expect(rows.map(\.email.value) == ["sato@pref.example.lg.jp", "mori@city.example.lg.jp"])
        #expect(rows.map(\.line) == [2, 10])
        #expect(rows[0].organization == "北海道 東京事務所, 観光振興課")
        #expect(rows[0].prefecture?.code == 1)
        #expect(rows[1].lists == ["kyoei", "municipal"])
        #expect(problems.map(\.line) == [3, 5, 7, 8, 9])
        #expect(problems[0].description.hasPrefix("s.csv:3: email \"not-an-address\" must contain exactly one @"))
        #expect(problems[1].message.hasPrefix("organization \"大阪府⏎東京事務所\" has a line break"), "a line break would break the greeting of every mail")
        #expect(problems[2].message.contains("prefecture \"Atlantis\" is not a prefecture"))
        #expect(problems[3].message.contains("lists is empty"))
        #expect(problems[4].message == "sato@PREF.example.lg.jp is already on line 2; this row is ignored")
    }

    @Test func aWrongHeaderIsExplained() {
        let (rows, problems) = SubscriberCSV.read(Data("mail,name\nx@y.jp,z\n".utf8), file: "s.csv")
        #expect(rows.isEmpty)
        #expect(problems.first?.message.contains("header lacks email, organization, lists") == true)
    }

    @Test func neitherUTF8NorCP932IsExplained() {
        let (_, problems) = SubscriberCSV.read(Data([0xFF, 0x80, 0x2C]), file: "s.csv")
        #expect(problems.first?.message == "is neither UTF-8 nor CP932; save it from Excel as \"CSV UTF-8\" or \"CSV\"")
    }
}

@Suite struct SubscriberCSVEncodingTests {
    static let rows = [
        SubscriberCSV.ExportRow(
            email: "takahashi@pref.example.lg.jp", name: "髙橋 ①郎", organization: "青森県 東京事務所, 観光課", prefecture: Prefecture.lookup("02"),
            lists: ["kyoei", "municipal"], charset: .iso2022jp),
        SubscriberCSV.ExportRow(
            email: "sato@pref.example.lg.jp", name: "佐藤 \"ハナ\" 花子", organization: "北海道", prefecture: nil, lists: ["kyoei"],
            charset: .utf8),
    ]

    @Test(arguments: SubscriberCSV.Encoding.allCases)
    func anExportImportsAgainInEitherEncoding(encoding: SubscriberCSV.Encoding) throws {
        let data = try SubscriberCSV.write(Self.rows, encoding: encoding)
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]) == (encoding == .utf8), "Excel needs the BOM to read UTF-8")
        let ((rows, problems), detected) = SubscriberCSV.readDetectingEncoding(data, file: "export.csv")
        #expect(problems.isEmpty, "\(problems)")
        #expect(detected == (encoding == .utf8 ? "UTF-8 with BOM" : "CP932"))
        #expect(rows.map(\.email.value) == Self.rows.map(\.email))
        #expect(rows.map(\.name) == ["髙橋 ①郎", "佐藤 \"ハナ\" 花子"], "NEC and IBM extensions survive CP932")
        #expect(rows[0].organization == "青森県 東京事務所, 観光課" && rows[0].prefecture?.code == 2)
        #expect(rows.map(\.lists) == [["kyoei", "municipal"], ["kyoei"]])
        #expect(rows.map(\.charset) == [.iso2022jp, nil])
    }

    /// A name typed into the public form as a formula is written so that Excel shows it as
    /// text, and it imports back as typed.
    @Test func formulasAreNotRunWhenStaffOpenTheExport() throws {
        let hostile = [SubscriberCSV.ExportRow(
            email: "x@pref.example.lg.jp", name: "=HYPERLINK(\"http://evil.example\",\"click\")", organization: "@SUM(1)", prefecture: nil,
            lists: ["kyoei"], charset: .utf8)]
        let data = try SubscriberCSV.write(hostile, encoding: .utf8)
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(text.contains("\"'=HYPERLINK(") && text.contains(",'@SUM(1),"), "\(text)")
        let ((rows, problems), _) = SubscriberCSV.readDetectingEncoding(data, file: "export.csv")
        #expect(problems.isEmpty && rows.map(\.name) == [hostile[0].name] && rows.map(\.organization) == ["@SUM(1)"])
    }

    @Test func whatCP932CannotHoldIsNamedWithItsLine() {
        var rows = Self.rows
        rows.append(.init(email: "kim@pref.example.lg.jp", name: "김 민준", organization: "", prefecture: nil, lists: ["kyoei"], charset: .utf8))
        #expect(throws: SubscriberCSV.UnencodableError(line: 4, character: "김")) {
            try SubscriberCSV.write(rows, encoding: .cp932)
        }
    }

    @Test func aCP932FileFromExcelImportsWithBadRowsByLine() throws {
        let text = "email,name,organization,prefecture,lists,charset\r\nito@city.example.lg.jp,伊藤 ～さくら～,神山町,徳島,municipal,jis\r\nbad,x,,,kyoei,\r\nmori@city.example.lg.jp,森,,,kyoei,ebcdic\r\n"
        let data = try #require(text.data(using: .shiftJIS))
        let ((rows, problems), detected) = SubscriberCSV.readDetectingEncoding(data, file: "excel.csv")
        #expect(detected == "CP932")
        #expect(rows.map(\.name) == ["伊藤 ～さくら～"])
        #expect(rows.first?.charset == .iso2022jp)
        #expect(problems.map(\.line) == [3, 4])
        #expect(problems[1].message == "charset \"ebcdic\" is not accepted; use utf-8 (the default) or iso-2022-jp (also written jis) (or leave it empty)")
    }
}
