import Foundation
import Testing

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

    @Test func notUTF8IsExplained() {
        let (_, problems) = SubscriberCSV.read(Data([0x82, 0xA0, 0x2C]), file: "s.csv")
        #expect(problems.first?.message.contains("not UTF-8") == true)
    }
}
