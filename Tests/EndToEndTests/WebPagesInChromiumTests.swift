import Foundation
import KyozonDomain
import KyozonStore
import KyozonTestSupport
import Testing

/// A person in headless Chromium at phone width (375 px) against `kyozon serve`: fills the
/// subscribe form (first forgetting the lists), confirms from the link in the mail, changes
/// lists on the preferences page and leaves from the unsubscribe page. Each page is
/// screenshotted into .build/screenshots/web/ to be looked at; none scrolls sideways.
@Suite struct WebPagesInChromiumTests {
    let data: TemporaryDirectory
    static let officer = "yamada@pref.example.lg.jp"
    static let base = "https://kyozon-kyoei.example"
    static let shots = PackagePaths.path(".build/screenshots/web")

    init() throws {
        data = try TemporaryDirectory("kyozon-chromium-web")
        try data.write("kyozon.toml", "[smtp]\nurl = \"smtp://127.0.0.1:9\"\ntls = \"off\"\n")
    }

    /// Runs browse.py on the steps and returns what it saw on each screenshotted page.
    func walk(_ steps: [[String: Any]], file: String) throws -> [[String: Any]] {
        let path = try data.write(file, String(decoding: try JSONSerialization.data(withJSONObject: steps), as: UTF8.self))
        let out = try ProcessRunner.run(PackagePaths.python, [PackagePaths.path("Tests/Support/browse.py"), path, Self.shots, "--width", "375"])
        #expect(out.status == 0, "\(out.stderr)")
        let pages = try out.jsonObjects(count: steps.filter { $0["shot"] != nil }.count)
        for page in pages {
            #expect(page["width"] as? Int ?? 9999 <= 375, "\(page["shot"] ?? "") scrolls sideways at 375 px")
        }
        return pages
    }

    /// The newest outbox mail of a kind, and its first link under `path`, as a local URL.
    func link(in kind: String, under path: String, port: Int) throws -> String {
        let store = try Store(path: data.file("kyozon.sqlite"))
        let mail = try #require(try store.outbox().first { $0.kind == kind })
        let line = try #require(mail.body.split(separator: "\n").first { $0.hasPrefix(Self.base + path) }, "\(mail.body)")
        return "http://127.0.0.1:\(port)" + line.dropFirst(Self.base.count)
    }

    func subscriptions() throws -> [String] {
        let store = try Store(path: data.file("kyozon.sqlite"))
        return try store.history(of: try EmailAddress(Self.officer)).subscriptions.map { "\($0.list)=\($0.status.rawValue)" }
    }

    @Test func subscribeConfirmChangeListsAndLeaveInTheBrowser() throws {
        let environment = [
            "KYOZON_DATA_DIR": data.path, "KYOZON_TEMPLATES": PackagePaths.path("Templates"),
            "KYOZON_TOKEN_KEY": "chromium-test-key-of-32-bytes!!!!", "KYOZON_NOW": "2026-12-05T09:00:00+09:00",
        ]
        let sync = try ProcessRunner.run(ProcessRunner.kyozonBinary, ["lists", "sync"], environment: environment, currentDirectory: PackagePaths.root)
        #expect(sync.status == 0, "\(sync.stderr)")
        let serve = try BackgroundProcess(
            ProcessRunner.kyozonBinary, ["serve", "--port", "0", "--outbox-every", "0"], environment: environment,
            readyPrefix: "kyozon serve: ", errorLog: data.file("serve.log"))
        let address = try #require(serve.readyLine.range(of: "http://127.0.0.1:"))
        let port = try #require(Int(serve.readyLine[address.upperBound...].prefix { $0.isNumber }))
        try FileManager.default.createDirectory(atPath: Self.shots, withIntermediateDirectories: true)

        let subscribing = try walk(
            [
                ["go": "http://127.0.0.1:\(port)/subscribe"], ["shot": "01-subscribe.png"],
                ["fill": ["#email": Self.officer, "#name": "山田 太郎", "#organization": "東京都 総務局 地方連携課"]],
                ["select": ["#prefecture": "13"]],
                ["click": "button[type=submit]"], ["shot": "02-subscribe-no-list.png"],
                ["tick": ["input[value=kyoei]", "input[value=municipal]"]],
                ["click": "button[type=submit]"], ["shot": "03-mail-sent.png"],
            ], file: "subscribe.json")
        #expect(subscribing.map { $0["h1"] as? String } == ["配信登録", "配信登録", "確認メールをお送りしました"])
        #expect((subscribing[1]["text"] as? String)?.contains("配信リストを1つ以上選んでください。") == true)
        #expect((subscribing[2]["text"] as? String)?.contains(Self.officer) == true)
        #expect(try subscriptions() == ["kyoei=pending", "municipal=pending"])

        let confirming = try walk(
            [
                ["go": try link(in: "confirm", under: "/confirm/", port: port)], ["shot": "04-confirm.png"],
                ["click": "button[type=submit]"], ["shot": "05-confirmed.png"],
            ], file: "confirm.json")
        #expect(confirming.map { $0["h1"] as? String } == ["登録の確定", "登録が完了しました"])
        #expect(try subscriptions() == ["kyoei=confirmed", "municipal=confirmed"])

        let unsubscribe = try link(in: "welcome", under: "/unsubscribe/", port: port)
        let changing = try walk(
            [
                ["go": unsubscribe], ["shot": "06-unsubscribe.png"],
                ["click": "a[href^='/preferences/']"], ["shot": "07-preferences.png"],
                ["untick": ["input[value=municipal]"]], ["click": "button[type=submit]"], ["shot": "08-preferences-changed.png"],
                ["go": unsubscribe], ["click": "button[type=submit]"], ["shot": "09-unsubscribed.png"],
            ], file: "change.json")
        #expect(changing.map { $0["h1"] as? String } == ["配信の停止", "配信リストの変更", "配信リストを変更しました", "配信を停止しました"])
        #expect((changing[2]["text"] as? String)?.contains("配信を停止したリスト：KYOZON KYOEI（市区町村職員向け）") == true)
        #expect(try subscriptions() == ["kyoei=unsubscribed", "municipal=unsubscribed"])
        serve.stop()
    }
}
