import Foundation
import HTTPTypes
import HummingbirdTesting
import KyozonDomain
import KyozonStore
import KyozonTestSupport
import NIOCore
import Testing

/// The staff pages of the built `kyozon serve`, on their own listener, over HTTP and in
/// headless Chromium: refused logins and forms without their CSRF token change nothing; a
/// member of staff edits the issue, corrects an item, adds a 取材レポート, previews it, sends a
/// test copy through a real SMTP server, and approves it; `kyozon send` then sends exactly that.
@Suite struct StaffPagesEndToEndTests {
    let data: TemporaryDirectory
    let server: SMTPCaptureServer
    static let password = "correct horse battery staple"
    static let now = "2026-12-02T09:00:00+09:00"

    init() throws {
        data = try TemporaryDirectory("kyozon-staff-pages")
        server = try SMTPCaptureServer()
        let hash = try ProcessRunner.run(ProcessRunner.kyozonBinary, ["staff", "hash-password", "--cost", "10"], stdin: Data(Self.password.utf8))
        #expect(hash.status == 0 && hash.stdout.hasPrefix("$2b$10$"), "\(hash.stderr)")
        try data.write(
            "kyozon.toml",
            "[smtp]\nurl = \"\(server.url)\"\ntls = \"off\"\n\n[staff.accounts]\nsato = \"\(hash.stdout.trimmingCharacters(in: .whitespacesAndNewlines))\"\n")
    }

    var environment: [String: String] {
        [
            "KYOZON_DATA_DIR": data.path, "KYOZON_TEMPLATES": PackagePaths.path("Templates"), "KYOZON_NOW": Self.now,
            "KYOZON_TOKEN_KEY": "staff-pages-test-key-of-32-bytes!",
        ]
    }

    @discardableResult
    func kyozon(_ arguments: String..., expect status: Int32 = 0) throws -> ProcessOutput {
        let output = try ProcessRunner.run(ProcessRunner.kyozonBinary, arguments, environment: environment, currentDirectory: PackagePaths.root)
        #expect(output.status == status, "kyozon \(arguments.joined(separator: " ")): \(output.stdout)\(output.stderr)")
        return output
    }

    /// Lists, subscribers and November's items; then `kyozon serve`, returning it and the staff port.
    func start() throws -> (BackgroundProcess, Int) {
        try kyozon("lists", "sync")
        try kyozon("subscribers", "import", try data.write("s.csv", SendIssueEndToEndTests.subscribers))
        try kyozon("collect", PackagePaths.path("scripts/samples/submissions-2026-11.json"))
        let serve = try BackgroundProcess(
            ProcessRunner.kyozonBinary, ["serve", "--port", "0", "--staff-port", "0", "--outbox-every", "0"], environment: environment,
            readyPrefix: "kyozon serve: ", alsoWaitFor: ["kyozon staff: "], errorLog: data.file("serve.log"))
        let staffPort = try #require(try Self.staffPort(serve))
        return (serve, staffPort)
    }

    static func staffPort(_ serve: BackgroundProcess) throws -> Int? {
        for line in serve.earlierLines + [serve.readyLine] {
            if let range = line.range(of: "kyozon staff: http://127.0.0.1:") {
                return Int(line[range.upperBound...].prefix { $0.isNumber })
            }
        }
        return nil
    }

    static func form(_ pairs: [(String, String)]) -> ByteBuffer {
        ByteBuffer(string: pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
    }

    static func text(_ response: TestClient.Response) -> String { String(buffer: response.body ?? ByteBuffer()) }

    static func csrf(_ html: String) throws -> String {
        let start = try #require(html.range(of: "name=\"csrf\" value=\"")).upperBound
        return String(html[start...].prefix { $0 != "\"" })
    }

    func store() throws -> Store { try Store(path: data.file("kyozon.sqlite")) }

    @Test func staffEditPreviewTestAndApproveOverHTTP() async throws {
        let (serve, port) = try start()
        let month = IssueMonth("2026-11")!
        let items = try store().editableItems(in: month)
        let aomori = try #require(items.first { $0.item.title.contains("青森りんご") })
        let osaka = try #require(items.first { $0.item.title.contains("大阪ええもん市") })
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            let plain: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let away = try await client.get("/staff/issues/2026-11")
            #expect(away.status == .seeOther && away.headers[.location] == "/staff/login")
            let wrong = try await client.post("/staff/login", headers: plain, body: Self.form([("name", "sato"), ("password", "wrong")]))
            #expect(wrong.status == .unauthorized && Self.text(wrong).contains("ユーザー名またはパスワードが違います"))
            let nobody = try await client.post("/staff/login", headers: plain, body: Self.form([("name", "tanaka"), ("password", Self.password)]))
            #expect(nobody.status == .unauthorized)
            let anonymous = try await client.post("/staff/issues/2026-11/approve", headers: plain, body: Self.form([("list", "kyoei")]))
            #expect(anonymous.status == .forbidden)

            let login = try await client.post("/staff/login", headers: plain, body: Self.form([("name", "sato"), ("password", Self.password)]))
            #expect(login.status == .seeOther)
            let setCookie = try #require(login.headers[.setCookie])
            #expect(setCookie.hasPrefix("kyozon_staff=") && setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
            var headers = plain
            headers[.cookie] = String(setCookie.split(separator: ";")[0])

            #expect(try await client.get("/staff/issues/9999-12", headers: headers).status == .notFound, "a month nobody means, refused")
            let edit = try await client.get("/staff/issues/2026-11", headers: headers)
            #expect(edit.status == .ok && Self.text(edit).contains("未承認"))
            let csrf = try Self.csrf(Self.text(edit))

            // Without its CSRF token a form changes nothing.
            let forged = try await client.post("/staff/issues/2026-11/details", headers: headers, body: Self.form([("lead", "偽の文"), ("list", "kyoei")]))
            #expect(forged.status == .forbidden)
            #expect(try store().existingIssue(for: month)?.lead == nil)

            let saved = try await client.post(
                "/staff/issues/2026-11/details", headers: headers,
                body: Self.form([("csrf", csrf), ("title", ""), ("lead", "今月は冬の催しを中心にお届けします。"), ("list", "kyoei")]))
            #expect(Self.text(saved).contains("号の設定を保存しました"))
            _ = try await client.post("/staff/issues/2026-11/items/\(osaka.id)", headers: headers, body: Self.form([("csrf", csrf), ("action", "exclude")]))
            let correction = Self.text(try await client.get("/staff/issues/2026-11/items/\(aomori.id)", headers: headers))
            #expect(correction.contains("の修正") && correction.contains("value=\"\(aomori.item.title)\""))
            var fields = [("csrf", csrf)]
            for (field, value) in [("title", "青森りんご 冬のプレゼントキャンペーン2026"), ("municipality", aomori.item.municipality ?? ""),
                ("venue", aomori.item.venue ?? ""), ("summary", aomori.item.summary), ("url", aomori.item.url ?? ""), ("contact", aomori.item.contact ?? "")] {
                fields.append((field, value))
            }
            let corrected = try await client.post("/staff/issues/2026-11/items/\(aomori.id)/correct", headers: headers, body: Self.form(fields))
            #expect(Self.text(corrected).contains("修正しました"))
            let report = try await client.post(
                "/staff/issues/2026-11/report", headers: headers,
                body: Self.form([("csrf", csrf), ("title", "取材レポート：小豆島のオリーブ収穫"), ("prefecture", "香川県"), ("summary", "収穫の様子を取材しました。")]))
            #expect(Self.text(report).contains("取材レポート「取材レポート：小豆島のオリーブ収穫」を追加しました"), "\(Self.text(report))")

            let edited = try store().editableItems(in: month)
            #expect(edited.first { $0.id == osaka.id }?.included == false)
            let apple = try #require(edited.first { $0.id == aomori.id })
            #expect(apple.item.title == "青森りんご 冬のプレゼントキャンペーン2026" && apple.original.title == aomori.item.title, "the original is kept")
            #expect(edited.contains { $0.item.category == .report && $0.item.submittedBy == "東京都 KYOZON KYOEI 編集部" })

            let preview = Self.text(try await client.get("/staff/issues/2026-11/preview", headers: headers))
            #expect(preview.contains("<iframe title=\"HTMLメール 375px\"") && preview.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"))
            #expect(preview.contains("青森りんご 冬のプレゼントキャンペーン2026") && !preview.contains("大阪ええもん市（"))
            // The staff pages are valid HTML (the Nu checker).
            let loginPage = Self.text(try await client.get("/staff/login"))
            for (name, page) in [("login", loginPage), ("edit", Self.text(edit)), ("correction", correction), ("preview", preview)] {
                #expect(try HTMLChecker.errors(in: page, name: name) == nil, "\(name)")
            }
            let framed = try await client.get("/staff/issues/2026-11/preview.html", headers: headers)
            #expect(Self.text(framed).contains("<html lang=\"ja\">") && Self.text(framed).contains("小豆島のオリーブ収穫"))

            let test = try await client.post("/staff/issues/2026-11/test", headers: headers, body: Self.form([("csrf", csrf), ("to", "kyoei-team@metro.tokyo.lg.jp")]))
            #expect(Self.text(test).contains("kyoei-team@metro.tokyo.lg.jp に送信しました"), "\(Self.text(test))")
            #expect(try server.messages().map(\.recipients) == [["kyoei-team@metro.tokyo.lg.jp"]])
            #expect(try store().deliveries(month: month).isEmpty, "a test is not a delivery")

            // An approval covers what the preview showed: a change since (someone else's edit) is not approved unseen.
            let shown = try #require(preview.range(of: "name=\"content\" value=\"")).upperBound
            let content = String(preview[shown...].prefix { $0 != "\"" })
            _ = try await client.post("/staff/issues/2026-11/items/\(osaka.id)", headers: headers, body: Self.form([("csrf", csrf), ("action", "include")]))
            let stale = try await client.post(
                "/staff/issues/2026-11/approve", headers: headers, body: Self.form([("csrf", csrf), ("list", "kyoei"), ("content", content)]))
            #expect(Self.text(stale).contains("プレビューのあとに内容が変わりました"))
            #expect(try store().approval(for: month) == nil)
            _ = try await client.post("/staff/issues/2026-11/items/\(osaka.id)", headers: headers, body: Self.form([("csrf", csrf), ("action", "exclude")]))
            let unknownList = try await client.post(
                "/staff/issues/2026-11/approve", headers: headers, body: Self.form([("csrf", csrf), ("list", "nope"), ("content", content)]))
            #expect(unknownList.status == .badRequest)
            let approved = try await client.post(
                "/staff/issues/2026-11/approve", headers: headers, body: Self.form([("csrf", csrf), ("list", "kyoei"), ("content", content)]))
            #expect(Self.text(approved).contains("承認しました") && Self.text(approved).contains("承認済み：sato"))
            let audit = Self.text(try await client.get("/staff/audit", headers: headers))
            for action in ["login.failed", "login", "issue.details", "item.choice", "item.correct", "item.report", "issue.test", "issue.approve"] {
                #expect(audit.contains("<td>\(action)</td>"), "\(action) in the audit log")
            }
            let out = try await client.post("/staff/logout", headers: headers, body: Self.form([("csrf", csrf)]))
            #expect(out.status == .seeOther && out.headers[.location] == "/staff/login")
            let after = try await client.get("/staff/issues/2026-11", headers: headers)
            #expect(after.status == .seeOther, "the session is gone")
        }
        serve.stop()
        let sent = try kyozon("send", "--month", "2026-11")
        #expect(sent.stdout.contains("This run: 3 sent"), "\(sent.stdout)")
        let again = try kyozon("issue", "approve", "--month", "2026-11", "--list", "kyoei", expect: 1)
        #expect(again.stderr.contains("has begun going out"), "a sent issue is not approved again: \(again.stderr)")
        let decoded = try ProcessRunner.run(
            PackagePaths.python, [PackagePaths.path("Tests/Support/mail_check.py"), try #require(try server.messages().last).path]).stdout
        #expect(decoded.contains("青森りんご 冬のプレゼントキャンペーン2026") && decoded.contains("今月は冬の催しを中心にお届けします") && !decoded.contains("大阪ええもん市"))
    }

    @Test func aMemberOfStaffWalksThroughInChromium() throws {
        let (serve, port) = try start()
        let shots = PackagePaths.path(".build/screenshots/staff")
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        let base = "http://127.0.0.1:\(port)"
        let steps: [[String: Any]] = [
            ["go": "\(base)/staff"], ["shot": "01-login.png"],
            ["fill": ["#name": "sato", "#password": "wrong password"]], ["click": "button[type=submit]"], ["shot": "02-login-refused.png"],
            ["fill": ["#name": "sato", "#password": Self.password]], ["click": "button[type=submit]"], ["shot": "03-edit.png"],
            ["fill": ["#lead": "今月は北海道から沖縄まで、冬の催しと特産品をお届けします。"]], ["tick": ["form[action$='/details'] input[value=kyoei]"]],
            ["click": "form[action$='/details'] button"], ["shot": "04-saved.png"],
            ["click": "a[href$='/preview']"], ["shot": "05-preview.png"],
            ["fill": ["#to": "kyoei-team@metro.tokyo.lg.jp"]], ["click": "form[action$='/test'] button"], ["shot": "06-test-sent.png"],
            ["click": "form[action$='/approve'] button"], ["shot": "07-approved.png"],
        ]
        let path = try data.write("walk.json", String(decoding: try JSONSerialization.data(withJSONObject: steps), as: UTF8.self))
        let out = try ProcessRunner.run(PackagePaths.python, [PackagePaths.path("Tests/Support/browse.py"), path, shots, "--width", "1280"])
        #expect(out.status == 0, "\(out.stderr)")
        let pages = try out.jsonObjects(count: steps.filter { $0["shot"] != nil }.count)
        #expect(pages.map { $0["h1"] as? String } == [
            "スタッフログイン", "スタッフログイン", "KYOZON KYOEI 2026年12月号 Vol.1 の編集", "KYOZON KYOEI 2026年12月号 Vol.1 の編集",
            "プレビュー：KYOZON KYOEI 2026年12月号 Vol.1", "プレビュー：KYOZON KYOEI 2026年12月号 Vol.1", "プレビュー：KYOZON KYOEI 2026年12月号 Vol.1",
        ])
        #expect((pages[1]["text"] as? String)?.contains("ユーザー名またはパスワードが違います") == true)
        #expect((pages[5]["text"] as? String)?.contains("kyoei-team@metro.tokyo.lg.jp に送信しました") == true)
        #expect((pages[6]["text"] as? String)?.contains("承認済み：sato") == true)
        for page in pages { #expect(page["width"] as? Int ?? 9999 <= 1280, "\(page["shot"] ?? "") scrolls sideways") }
        serve.stop()
        #expect(try store().approval(for: IssueMonth("2026-11")!)?.lists == ["kyoei"])
        #expect(try kyozon("issue", "show", "--month", "2026-11").stdout.contains("approved by sato"))
    }
}
