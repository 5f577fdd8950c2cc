import Foundation
import KyozonDomain
import KyozonTestSupport
import Testing

@testable import KyozonComposer

/// The shipped confirmation and welcome texts, and what a broken one does at load.
@Suite struct NoticeTemplatesTests {
    let values = NoticeValues(
        lists: [("KYOZON KYOEI（都道府県職員向け）", ""), ("KYOZON KYOEI（市区町村職員向け）", "")],
        link: "https://kyozon-kyoei.example/confirm/42~1796000000.AbC", unsubscribeURL: "https://kyozon-kyoei.example/unsubscribe/42.XyZ",
        sender: SampleIssue.sender)

    @Test func theConfirmationNamesTheListsTheLinkAndHowLongItWorks() throws {
        let notices = try NoticeTemplates(directory: PackagePaths.path("Templates"))
        let mail = notices.render(.confirm, values)
        #expect(mail.subject == "【KYOZON KYOEI】配信登録の確認")
        #expect(mail.body.contains("  ・KYOZON KYOEI（都道府県職員向け）\n  ・KYOZON KYOEI（市区町村職員向け）\n"))
        #expect(mail.body.contains("7日以内に次のページを開き"))
        #expect(mail.body.contains("\nhttps://kyozon-kyoei.example/confirm/42~1796000000.AbC\n"), "the link alone on its line")
        #expect(mail.body.contains(SampleIssue.sender.name))
        let welcome = notices.render(.welcome, values)
        #expect(welcome.subject == "【KYOZON KYOEI】配信登録が完了しました")
        #expect(welcome.body.contains("https://kyozon-kyoei.example/unsubscribe/42.XyZ"))
    }

    @Test func aTypoInANoticeStopsTheLoadNamingFileAndLine() throws {
        let folder = try TemporaryDirectory("kyozon-notices")
        try FileManager.default.createDirectory(atPath: folder.file("notices"), withIntermediateDirectories: true)
        _ = try folder.write("notices/confirm.txt.mustache", "Subject: 確認\n\n{{lnk}}\n")
        _ = try folder.write("notices/welcome.txt.mustache", "Subject: ようこそ\n\n{{unsubscribe_url}}\n")
        #expect(throws: TemplateError.unknownVariable(path: folder.file("notices/confirm.txt.mustache"), line: 3, name: "lnk")) {
            try NoticeTemplates(directory: folder.path)
        }
    }
}
