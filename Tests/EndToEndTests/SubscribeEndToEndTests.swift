import Foundation
import HTTPTypes
import HummingbirdTesting
import KyozonDomain
import KyozonStore
import KyozonTestSupport
import NIOCore
import Testing

/// Subscribing as an officer does it, through the built binary: `kyozon serve` on a loopback
/// port, its confirmation and welcome mails sent by serve itself through libcurl to a real
/// SMTP server (python3-aiosmtpd), the links in them followed, confirmation by POST, the
/// issue sent by `kyozon send`, its one-click unsubscribe, and the next issue skipping the
/// address. Every GET of every link in every mail changes nothing.
@Suite struct SubscribeEndToEndTests {
    let data: TemporaryDirectory
    let server: SMTPCaptureServer
    static let base = "https://kyozon-kyoei.example"
    static let officer = "yamada@pref.example.lg.jp"

    init() throws {
        data = try TemporaryDirectory("kyozon-subscribe-e2e")
        server = try SMTPCaptureServer()
        try data.write("kyozon.toml", "[smtp]\nurl = \"\(server.url)\"\ntls = \"off\"\n")
    }

    func environment(now: String) -> [String: String] {
        [
            "KYOZON_DATA_DIR": data.path, "KYOZON_TEMPLATES": PackagePaths.path("Templates"), "KYOZON_NOW": now,
            "KYOZON_TOKEN_KEY": "end-to-end-test-key-of-32-bytes!!",
        ]
    }

    @discardableResult
    func kyozon(_ arguments: String..., now: String = "2026-12-05T09:00:00+09:00", expect status: Int32 = 0) throws -> ProcessOutput {
        let output = try ProcessRunner.run(
            ProcessRunner.kyozonBinary, arguments, environment: environment(now: now), currentDirectory: PackagePaths.root)
        #expect(output.status == status, "kyozon \(arguments.joined(separator: " ")): \(output.stdout)\(output.stderr)")
        return output
    }

    /// Each captured mail parsed by Python's email package: decoded headers and the text part.
    func mails() throws -> [(headers: [String: String], text: String, to: [String])] {
        let captured = try server.messages()
        guard !captured.isEmpty else { return [] }
        let parsed = try MailCheck.parse(captured.map(\.path))
        return zip(parsed, captured).map { message, mail in
            let parts = message["parts"] as? [[String: Any]] ?? []
            return (message["decoded"] as? [String: String] ?? [:], parts.first?["text"] as? String ?? "", mail.recipients)
        }
    }

    /// Waits (bounded: 60 s) until `count` mails have arrived: serve sends its outbox on its own timer.
    func waitForMails(_ count: Int) async throws {
        for _ in 0..<600 where try server.messageCount() < count { try await Task.sleep(for: .milliseconds(100)) }
        #expect(try server.messageCount() == count)
    }

    /// kyozon's own links in a text (those under the base URL), as paths on the test server.
    static func ownLinks(_ text: String) -> [String] {
        text.split(whereSeparator: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," }).compactMap { word in
            word.hasPrefix(base + "/") ? String(word.dropFirst(base.count)) : nil
        }
    }

    /// Everything a GET could change: subscribers, their subscriptions, the outbox.
    func state() throws -> String {
        let store = try Store(path: data.file("kyozon.sqlite"))
        let people = try store.subscribers().map { "\($0.subscriber.email) \($0.subscriber.status) \($0.subscriptions.map { "\($0.0)=\($0.1)" })" }
        return (people + ["outbox \(try store.outbox().count)"]).joined(separator: "\n")
    }

    static func form(_ pairs: [(String, String)]) -> ByteBuffer {
        ByteBuffer(string: pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
    }

    static func csrf(_ response: TestClient.Response) throws -> (cookie: String, token: String) {
        let html = String(buffer: response.body ?? ByteBuffer())
        let cookie = try #require(response.headers[.setCookie]).split(separator: ";")[0]
        let start = try #require(html.range(of: "name=\"csrf\" value=\"")).upperBound
        return (String(cookie), String(html[start...].prefix { $0 != "\"" }))
    }

    @Test func subscribeConfirmLeaveInOneClickAndTheNextIssueSkipsTheAddress() async throws {
        try kyozon("lists", "sync")
        try kyozon("subscribers", "import", try data.write("subscribers.csv", "email,name,organization,prefecture,lists,charset\nsato@tokyo-office.hokkaido.example,佐藤 花子,北海道 東京事務所,北海道,kyoei,\n"))
        try kyozon("collect", PackagePaths.path("scripts/samples/submissions-2026-11.json"))

        let serve = try BackgroundProcess(
            ProcessRunner.kyozonBinary, ["serve", "--port", "0", "--outbox-every", "1"], environment: environment(now: "2026-12-05T09:00:00+09:00"),
            readyPrefix: "kyozon serve: ", errorLog: data.file("serve.log"))
        let address = try #require(serve.readyLine.range(of: "http://127.0.0.1:"))
        let port = try #require(Int(serve.readyLine[address.upperBound...].prefix { $0.isNumber }))
        let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            // Subscribe to both public lists: one confirmation mail for both.
            let page = try await client.get("/subscribe")
            #expect(page.status == .ok)
            let csrf = try Self.csrf(page)
            var headers = form
            headers[.cookie] = csrf.cookie
            let asked = try await client.post(
                "/subscribe", headers: headers,
                body: Self.form([("csrf", csrf.token), ("email", Self.officer), ("name", "山田 太郎"), ("prefecture", "13"), ("list", "kyoei"), ("list", "municipal")]))
            #expect(asked.status == .ok)
            #expect(String(buffer: asked.body ?? ByteBuffer()).contains("確認メールをお送りしました"))
            try await waitForMails(1)
            let confirmation = try #require(try mails().first)
            #expect(confirmation.to == [Self.officer])
            #expect(confirmation.headers["Subject"]?.contains("登録") == true, "\(confirmation.headers)")
            let confirmLink = try #require(Self.ownLinks(confirmation.text).first { $0.hasPrefix("/confirm/") }, "\(confirmation.text)")

            // A link scanner opening the link changes nothing; the officer's POST confirms.
            let before = try state()
            #expect(before.contains("kyoei=pending") && before.contains("municipal=pending"), "\(before)")
            let button = try await client.get(confirmLink)
            #expect(button.status == .ok)
            #expect(try state() == before)
            let buttonCSRF = try Self.csrf(button)
            headers[.cookie] = buttonCSRF.cookie
            let confirmed = try await client.post(confirmLink, headers: headers, body: Self.form([("csrf", buttonCSRF.token)]))
            #expect(String(buffer: confirmed.body ?? ByteBuffer()).contains("登録が完了しました"))
            #expect(try state().contains("kyoei=confirmed"))

            // The welcome mail names both lists and how to leave.
            try await waitForMails(2)
            let welcome = try mails()[1]
            #expect(welcome.text.contains("KYOZON KYOEI（都道府県職員向け）") && welcome.text.contains("KYOZON KYOEI（市区町村職員向け）"))
            let welcomeLinks = Self.ownLinks(welcome.text)
            #expect(welcomeLinks.contains { $0.hasPrefix("/unsubscribe/") }, "\(welcome.text)")

            // Every link in every mail so far, opened: nothing changes.
            let settled = try state()
            for link in Self.ownLinks(confirmation.text) + welcomeLinks {
                #expect(try await client.get(link).status == .ok, "\(link)")
            }
            #expect(try state() == settled)
        }

        // The issue goes to the list 山田 and 佐藤 are on; its one-click leaves the issue's lists.
        try kyozon("issue", "approve", "--month", "2026-11", "--list", "kyoei")
        let sent = try kyozon("send", "--month", "2026-11")
        #expect(sent.stdout.contains("This run: 2 sent"), "\(sent.stdout)")
        let issue = try #require(try mails().first { $0.to == [Self.officer] && $0.headers["Subject"]?.contains("Vol.1") == true })
        let header = try #require(issue.headers["List-Unsubscribe"])
        let oneClick = try #require(Self.ownLinks(header).first)
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            let settled = try state()
            for link in Self.ownLinks(issue.text) + [oneClick] { #expect(try await client.get(link).status == .ok, "\(link)") }
            #expect(try state() == settled, "opening the issue's links changes nothing")

            // The web edition: linked from the mail, the same content, nobody's personal details.
            #expect(issue.text.contains(Self.base + "/issues/2026-11"))
            let archive = String(buffer: try await client.get("/issues").body ?? ByteBuffer())
            #expect(archive.contains("<a href=\"/issues/2026-11\">KYOZON KYOEI 2026年12月号 Vol.1</a>"), "\(archive)")
            let page = try await client.get("/issues/2026-11")
            #expect(page.status == .ok)
            let edition = String(buffer: page.body ?? ByteBuffer())
            #expect(edition.contains("<html lang=\"ja\">") && edition.contains("北海道どさんこ冬の大物産展"))
            #expect(edition.contains("のウェブ版です") && edition.contains(Self.base + "/subscribe"))
            #expect(!edition.contains("山田") && !edition.contains("/unsubscribe/") && !edition.contains("貴県からの掲載"))
            #expect(try await client.get("/issues/2026-10").status == .notFound)
            // RFC 8058: no cookie, no CSRF token, answered without a redirect; twice is the same.
            for _ in 0..<2 {
                let left = try await client.post(oneClick, headers: form, body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
                #expect(left.status == .ok)
                #expect(left.headers[.location] == nil)
            }
        }
        let after = try state()
        #expect(after.contains("\(Self.officer) active [\"kyoei=unsubscribed\", \"municipal=confirmed\"]"), "\(after)")
        serve.stop()

        // The next month's issue, to both lists: 山田 still gets it for municipal…
        try kyozon("collect", try data.write("december.json", Self.december), now: "2027-01-02T09:00:00+09:00")
        let beforeNext = try server.messageCount()
        try kyozon("issue", "approve", "--month", "2026-12", "--list", "kyoei", now: "2027-01-04T09:00:00+09:00")
        try kyozon("send", "--month", "2026-12", now: "2027-01-05T09:00:00+09:00")
        let next = try mails().dropFirst(beforeNext)
        #expect(next.map(\.to) == [["sato@tokyo-office.hokkaido.example"]], "no mail to an address that left, in the next send")
    }

    static let december = """
        [{"title": "冬の交流フェア", "category": "event", "prefecture": "13", "starts_on": "2027-01-20",
          "venue": "都庁", "summary": "十二月に寄せられた催しです。", "url": "https://www.example.jp/fair",
          "contact": "東京都 03-0000-0000", "submitted_at": "2026-12-10T10:00:00+09:00", "submitted_by": "東京都"}]
        """
}
