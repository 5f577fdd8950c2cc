import Foundation
import KyozonTestSupport
import Testing

/// `kyozon collect` as staff run it: an inbox folder of JSON and CSV files, feeds over HTTP.
@Suite struct CollectEndToEndTests {
    let data: TemporaryDirectory
    let inbox: TemporaryDirectory

    init() throws {
        data = try TemporaryDirectory("kyozon-collect")
        inbox = try TemporaryDirectory("kyozon-inbox")
    }

    @discardableResult
    func kyozon(_ arguments: [String], expect status: Int32 = 0) throws -> ProcessOutput {
        let output = try ProcessRunner.run(
            ProcessRunner.kyozonBinary, arguments,
            environment: ["KYOZON_DATA_DIR": data.path, "KYOZON_NOW": "2026-12-01T09:00:00+09:00"],
            currentDirectory: PackagePaths.root)
        #expect(output.status == status, "kyozon \(arguments.joined(separator: " ")): \(output.stdout)\(output.stderr)")
        return output
    }

    @Test func anInboxFolderIsCollectedOnceAndAnEditedFileAgain() throws {
        try FileManager.default.copyItem(
            atPath: PackagePaths.path("scripts/samples/submissions-2026-11.json"), toPath: inbox.file("hokkaido.json"))
        try FileManager.default.createDirectory(atPath: inbox.file("kochi"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: PackagePaths.path("Tests/Support/Fixtures/submissions-cp932.csv"), toPath: inbox.file("kochi/kochi.csv"))
        try inbox.write("notes.txt", "not a submission")
        try inbox.write(".hidden.json", "[")

        let first = try kyozon(["collect", inbox.path], expect: 2)
        #expect(first.stdout.contains("hokkaido.json: 8 new accepted, 0 new rejected"))
        #expect(first.stdout.contains("kochi.csv: 3 new accepted, 1 new rejected"))
        #expect(first.stderr.contains("kochi/kochi.csv:6 「日付の誤り」: field \"starts_on\""))
        #expect(!first.stdout.contains("notes.txt") && !first.stdout.contains(".hidden"))
        #expect(first.stderr.contains("skipped \(inbox.file("notes.txt")): not a submission file"), "an unreadable kind of file is said")

        let second = try kyozon(["collect", inbox.path])
        #expect(second.stdout.contains("hokkaido.json: unchanged since it was collected"))
        #expect(second.stdout.contains("kochi.csv: unchanged since it was collected"))

        // An edited file is read again; its unchanged items change nothing, the new one is added.
        var items = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: inbox.file("hokkaido.json")))) as! [[String: Any]]
        items.append([
            "title": "追加の催し", "category": "event", "prefecture": "01", "starts_on": "2026-12-20",
            "summary": "追加です。", "submitted_at": "2026-11-25T10:00:00+09:00", "submitted_by": "北海道 東京事務所",
        ])
        try JSONSerialization.data(withJSONObject: items).write(to: URL(fileURLWithPath: inbox.file("hokkaido.json")))
        let third = try kyozon(["collect", inbox.path])
        #expect(third.stdout.contains("hokkaido.json: 1 new accepted, 0 new rejected, 8 already collected"))

        let report = try kyozon(["collect", "--report", "--month", "2026-11", "--json"], expect: 2)
        let entries = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as! [[String: Any]]
        let rejected = entries.filter { $0["kind"] as? String == "rejected" }
        #expect(rejected.count == 1)
        #expect((rejected[0]["source"] as? String)?.hasSuffix("kochi.csv:6 「日付の誤り」") == true)
        #expect(entries.contains { $0["kind"] as? String == "warning" && ($0["messages"] as? [String])?.joined().contains("髙 (suggest 高)") == true })
        let text = try kyozon(["collect", "--report", "--month", "2026-11"], expect: 2)
        #expect(text.stdout.contains("2026-11: 12 item(s) for the issue; 1 rejected"))
    }

    @Test func feedsArePulledWithConditionalGetAndAFailingOneDoesNotStopTheOthers() throws {
        let feeds = try FeedServer()
        try feeds.folder.write("hokkaido.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>北海道</title>
            <item><title>流氷まつり</title><link>https://www.example.jp/ryuhyo</link><description>網走の流氷です。</description>
            <pubDate>Tue, 03 Nov 2026 09:30:00 +0900</pubDate><guid>hk-1</guid></item>
            </channel></rss>
            """)
        try data.write("kyozon.toml", """
            [collect]
            inbox = "\(inbox.path)"

            [[feeds]]
            url = "\(feeds.url("fail/osaka.xml"))"
            name = "大阪府 東京事務所"
            prefecture = "大阪府"
            category = "campaign"

            [[feeds]]
            url = "\(feeds.url("hokkaido.xml"))"
            name = "北海道 東京事務所"
            prefecture = "北海道"
            category = "tourism"
            """)
        let first = try kyozon(["collect"], expect: 2)
        #expect(first.stderr.contains("feed failed \(feeds.url("fail/osaka.xml")) (大阪府 東京事務所): HTTP 500"))
        #expect(first.stdout.contains("\(feeds.url("hokkaido.xml")): 1 new accepted"))
        let second = try kyozon(["collect"], expect: 2)
        #expect(second.stdout.contains("\(feeds.url("hokkaido.xml")): unchanged (304)"))

        let seen = try feeds.requests().filter { $0["path"] as? String == "/hokkaido.xml" }
        #expect(seen.map { $0["status"] as? Int } == [200, 304])
        #expect(seen[0]["if_none_match"] is NSNull)
        #expect((seen[1]["if_none_match"] as? String)?.hasPrefix("\"") == true, "the second request carried the ETag")

        let listing = try kyozon(["compose", "--month", "2026-11", "--out", data.file("preview")])
        #expect(listing.stdout.contains("items: 1 accepted"))
        let text = try String(contentsOfFile: data.file("preview/issue.txt"), encoding: .utf8)
        #expect(text.contains("流氷まつり") && text.contains("■ 観光"))
    }
}
