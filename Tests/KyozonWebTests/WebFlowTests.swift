import Foundation
import Hummingbird
import HummingbirdTesting
import KyozonComposer
import KyozonDomain
import KyozonStore
import KyozonTestSupport
import KyozonTokens
import Testing

@testable import KyozonWeb

/// The pages over real HTTP (Hummingbird's live test server on a loopback port): subscribe,
/// the confirmation mail in the outbox, confirm by POST, one-click unsubscribe; GETs change
/// nothing; forged, expired, replayed and cross-purpose tokens are refused.
@Suite struct WebFlowTests {
    let folder: TemporaryDirectory
    let store: Store
    let signer = TokenSigner(key: Array("web-test-key-of-thirty-two-bytes".utf8))
    let start = Timestamp(rfc3339: "2026-12-01T09:00:00+09:00")!
    let clock: TestClock

    final class TestClock: @unchecked Sendable {
        var now: Timestamp
        init(_ now: Timestamp) { self.now = now }
    }

    init() throws {
        folder = try TemporaryDirectory("kyozon-web")
        store = try Store(path: folder.file("kyozon.sqlite"))
        clock = TestClock(start)
        _ = try store.syncLists(
            [
                MailingList(id: "kyoei", name: "KYOZON KYOEI（都道府県職員向け）", description: "毎月", allowedDomains: ["*.lg.jp"]),
                MailingList(id: "municipal", name: "KYOZON KYOEI（市区町村職員向け）", description: "毎月"),
                MailingList(id: "staff", name: "職員", description: "", isPublic: false),
            ], now: start)
    }

    func app() throws -> some ApplicationProtocol {
        let sender = Sender(name: "東京都", address: try EmailAddress("kyoei@kyozon-kyoei.example"), postalAddress: "新宿", contact: "03")
        let clock = self.clock
        let router = buildRouter(
            store: store, signer: signer, notices: try NoticeTemplates(directory: PackagePaths.path("Templates")),
            settings: WebSettings(baseURL: "https://kyozon-kyoei.example", sender: sender), clock: { clock.now })
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    /// The CSRF cookie and the form's token from a page.
    static func csrf(_ response: TestResponse) -> (cookie: String, token: String)? {
        guard let setCookie = response.headers[.setCookie], let token = field("csrf", in: String(buffer: response.body)) else { return nil }
        return (String(setCookie.split(separator: ";")[0]), token)
    }

    static func field(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return String(rest[..<rest.firstIndex(of: "\"")!])
    }

    static func form(_ pairs: [(String, String)]) -> ByteBuffer {
        ByteBuffer(string: pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&"))
    }

    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test func subscribeConfirmAndLeaveInOneClick() async throws {
        try await app().test(.live) { client in
            let page = try await client.execute(uri: "/subscribe", method: .get)
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("<html lang=\"ja\">") && html.contains("<label for=\"email\">"))
            #expect(html.contains("KYOZON KYOEI（都道府県職員向け）") && !html.contains("職員</span>"), "private lists are not offered")
            let csrf = try #require(Self.csrf(page))
            var headers = Self.formHeaders
            headers[.cookie] = csrf.cookie

            let sent = try await client.execute(
                uri: "/subscribe", method: .post, headers: headers,
                body: Self.form([("csrf", csrf.token), ("email", "sato@pref.hokkaido.lg.jp"), ("name", "佐藤 花子"), ("list", "kyoei"), ("list", "municipal")]))
            #expect(sent.status == .ok)
            #expect(String(buffer: sent.body).contains("確認メールをお送りしました"))
            #expect(try store.recipients(of: "kyoei").isEmpty, "nothing confirmed yet")

            // The confirmation mail waits in the outbox with its link.
            let mail = try #require(try store.outbox().first)
            #expect(mail.kind == "confirm" && mail.recipient.value == "sato@pref.hokkaido.lg.jp")
            #expect(mail.body.contains("KYOZON KYOEI（都道府県職員向け）") && mail.body.contains("KYOZON KYOEI（市区町村職員向け）"))
            let link = try #require(mail.body.split(separator: "\n").first { $0.hasPrefix("https://kyozon-kyoei.example/confirm/") })
            let path = String(link.dropFirst("https://kyozon-kyoei.example".count))

            // Following the link (as a gateway's scanner would) changes nothing.
            #expect(try await client.execute(uri: path, method: .get).status == .ok)
            #expect(try store.recipients(of: "kyoei").isEmpty)
            // The reader's browser, with its cookie, gets the page and presses the button.
            let confirmPage = try await client.execute(uri: path, method: .get, headers: [.cookie: csrf.cookie])
            #expect(confirmPage.status == .ok && String(buffer: confirmPage.body).contains("登録を確定する"))
            #expect(try store.recipients(of: "kyoei").isEmpty)
            let confirmCSRF = try #require(Self.field("csrf", in: String(buffer: confirmPage.body)))

            // Confirmed by POST; the welcome mail is queued; the link works once.
            let confirmed = try await client.execute(uri: path, method: .post, headers: headers, body: Self.form([("csrf", confirmCSRF)]))
            #expect(String(buffer: confirmed.body).contains("登録が完了しました"), "\(String(buffer: confirmed.body))")
            #expect(try store.recipients(of: "kyoei").map(\.email.value) == ["sato@pref.hokkaido.lg.jp"])
            #expect(try store.outbox().map(\.kind) == ["welcome", "confirm"])
            let replay = try await client.execute(uri: path, method: .post, headers: headers, body: Self.form([("csrf", confirmCSRF)]))
            #expect(String(buffer: replay.body).contains("このリンクはすでに使われています"))

            // One-click (RFC 8058): the URL's token alone, no cookie, no CSRF, no redirect, idempotent.
            let id = try #require(try store.recipients(of: "kyoei").first?.id)
            let unsubscribe = "/unsubscribe/" + signer.token(purpose: "unsubscribe", subject: String(id))
            let scanned = try await client.execute(uri: unsubscribe, method: .get)
            #expect(scanned.status == .ok && String(buffer: scanned.body).contains("配信を停止するリスト"))
            #expect(try store.recipients(of: "kyoei").count == 1, "a GET changes nothing")
            for _ in 0..<2 {
                let oneClick = try await client.execute(
                    uri: unsubscribe, method: .post, headers: Self.formHeaders, body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
                #expect(oneClick.status == .ok && oneClick.headers[.location] == nil)
            }
            #expect(try store.recipients(of: "kyoei").isEmpty && store.recipients(of: "municipal").isEmpty)
        }
    }

    @Test func formsWithoutTheirCSRFTokenAndBadTokensAreRefused() async throws {
        try await app().test(.live) { client in
            let noToken = try await client.execute(
                uri: "/subscribe", method: .post, headers: Self.formHeaders,
                body: Self.form([("email", "sato@pref.hokkaido.lg.jp"), ("list", "kyoei")]))
            #expect(noToken.status == .forbidden)
            #expect(try store.outbox().isEmpty)

            // A subscriber 1 exists, so that a refused link is refused for its token, not for want of a subscriber.
            _ = try store.addSubscribers(
                [NewSubscriber(email: try EmailAddress("ito@city.kamiyama.lg.jp"), name: "伊藤", organization: "", prefecture: nil, lists: ["municipal"])],
                consent: [Consent(method: "import", by: "t", source: "t")], now: start)
            let id = try #require(try store.recipients(of: "municipal").first?.id)
            #expect(id == 1)
            #expect(try await client.execute(uri: "/unsubscribe/" + signer.token(purpose: "unsubscribe", subject: "1"), method: .get).status == .ok)
            let now = start.epochSeconds
            // A button pressed without the page's CSRF cookie is refused, and says so.
            let confirmLink = "/confirm/" + signer.timedToken(purpose: "confirm", subject: String(id), issuedAt: now)
            let noCookie = try await client.execute(uri: confirmLink, method: .post, headers: Self.formHeaders, body: Self.form([("csrf", "x")]))
            #expect(noCookie.status == .forbidden && String(buffer: noCookie.body).contains("フォームの有効期限が切れたため"))
            let forged = "/confirm/1~\(now).AAAAAAAAAAAAAAAAAAAAAA"
            let expired = "/confirm/" + signer.timedToken(purpose: "confirm", subject: String(id), issuedAt: now - 8 * 86400)
            let crossPurpose = "/confirm/" + signer.token(purpose: "unsubscribe", subject: "1~\(now)")
            let otherKey = "/confirm/" + TokenSigner(key: Array("another key of thirty-two bytes!".utf8)).timedToken(purpose: "confirm", subject: "1", issuedAt: now)
            for path in [forged, expired, crossPurpose, otherKey, "/unsubscribe/1.AAAAAAAAAAAAAAAAAAAAAA", "/unsubscribe/" + signer.token(purpose: "confirm", subject: "1")] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .badRequest, "\(path)")
                #expect(String(buffer: response.body).contains("リンクが無効です"))
            }
        }
    }

    @Test func anUnsubscribeLinkFromBeforeAKeyRotationStillWorks() async throws {
        _ = try store.addSubscribers(
            [NewSubscriber(email: try EmailAddress("ito@city.kamiyama.lg.jp"), name: "伊藤", organization: "", prefecture: nil, lists: ["municipal"])],
            consent: [Consent(method: "import", by: "t", source: "t")], now: start)
        let id = try #require(try store.recipients(of: "municipal").first?.id)
        let oldLink = "/unsubscribe/" + TokenSigner(key: Array("the key used before the rotation".utf8)).token(purpose: "unsubscribe", subject: String(id))
        let sender = Sender(name: "東京都", address: try EmailAddress("kyoei@kyozon-kyoei.example"), postalAddress: "新宿", contact: "03")
        let rotated = TokenSigner(key: Array("web-test-key-of-thirty-two-bytes".utf8), previous: [Array("the key used before the rotation".utf8)])
        let clock = self.clock
        let router = buildRouter(
            store: store, signer: rotated, notices: try NoticeTemplates(directory: PackagePaths.path("Templates")),
            settings: WebSettings(baseURL: "https://kyozon-kyoei.example", sender: sender), clock: { clock.now })
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { client in
            let response = try await client.execute(
                uri: oldLink, method: .post, headers: Self.formHeaders, body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
            #expect(response.status == .ok)
        }
        #expect(try store.recipients(of: "municipal").isEmpty)
    }

    @Test func tooManyRequestsFromOneClientAreSlowedDown() async throws {
        try await app().test(.live) { client in
            let page = try await client.execute(uri: "/subscribe", method: .get)
            let csrf = try #require(Self.csrf(page))
            var headers = Self.formHeaders
            headers[.cookie] = csrf.cookie
            var statuses: [HTTPResponse.Status] = []
            for n in 0..<22 {
                let response = try await client.execute(
                    uri: "/subscribe", method: .post, headers: headers,
                    body: Self.form([("csrf", csrf.token), ("email", "u\(n)@city.example.lg.jp"), ("list", "municipal")]))
                statuses.append(response.status)
            }
            #expect(statuses.prefix(20).allSatisfy { $0 == .ok })
            #expect(statuses.suffix(2) == [.tooManyRequests, .tooManyRequests])

            // Behind the office's proxy (a trusted loopback peer), each reader has a budget of their own…
            var forwarded = headers
            forwarded[.init("X-Forwarded-For")!] = "203.0.113.7"
            let behindProxy = try await client.execute(
                uri: "/subscribe", method: .post, headers: forwarded, body: Self.form([("csrf", csrf.token), ("email", "p@city.example.lg.jp"), ("list", "municipal")]))
            #expect(behindProxy.status == .ok)
            #expect(try store.outbox().contains { $0.recipient.value == "p@city.example.lg.jp" })
        }
        // …and a client that is not a trusted proxy cannot claim another address.
        #expect(ClientAddressMiddleware<WebContext>.client(peer: "198.51.100.1", forwardedFor: ["203.0.113.7"], trusted: ["127.0.0.1"]) == "198.51.100.1")
        #expect(ClientAddressMiddleware<WebContext>.client(peer: "127.0.0.1", forwardedFor: ["203.0.113.7, 10.0.0.2", "10.0.0.3"], trusted: ["127.0.0.1", "10.0.0.3"]) == "10.0.0.2")
        #expect(ClientAddressMiddleware<WebContext>.client(peer: "127.0.0.1", forwardedFor: [], trusted: ["127.0.0.1"]) == "127.0.0.1")
        let consent = try store.history(of: try EmailAddress("p@city.example.lg.jp")).subscriptions.first?.consentSource ?? ""
        #expect(consent.contains("from 203.0.113.7"), "the consent names the reader, not the proxy: \(consent)")
    }

    /// The preferences page, from the link in the mail: tick to join (at once: the link proves
    /// the address), untick to leave; lists the address may not join are refused by name; a GET
    /// changes nothing. A link from an issue unsubscribes, in one click, from that issue's lists only.
    @Test func listsAreChangedOnThePreferencesPageAndOneClickLeavesTheIssuesLists() async throws {
        _ = try store.addSubscribers(
            [NewSubscriber(email: try EmailAddress("kato@city.example.jp"), name: "加藤", organization: "", prefecture: nil, lists: ["municipal", "staff"])],
            consent: [Consent(method: "import", by: "t", source: "t")], now: start)
        let id = try #require(try store.recipients(of: "municipal").first?.id)
        let link = "/preferences/" + signer.token(purpose: "unsubscribe", subject: String(id))
        @Sendable func lists() throws -> [String] {
            try store.subscriber(id: id)!.subscriptions.filter { $0.status == .confirmed }.map(\.list)
        }
        try await app().test(.live) { client in
            let page = try await client.execute(uri: link, method: .get)
            let html = String(buffer: page.body)
            #expect(page.status == .ok && html.contains("配信リストの変更") && html.contains("kato@city.example.jp"))
            // Offered: the public lists and the private one the subscriber is on, theirs ticked.
            #expect(html.contains("value=\"municipal\" checked") && html.contains("value=\"staff\" checked") && html.contains("value=\"kyoei\">"))
            #expect(try lists() == ["municipal", "staff"], "a GET changes nothing")
            let csrf = try #require(Self.csrf(page))
            var headers = Self.formHeaders
            headers[.cookie] = csrf.cookie
            // The readers' pages are valid HTML (the Nu checker).
            let subscribe = String(buffer: try await client.execute(uri: "/subscribe", method: .get).body)
            let unsubscribe = String(buffer: try await client.execute(uri: link.replacingOccurrences(of: "/preferences/", with: "/unsubscribe/"), method: .get).body)
            for (name, text) in [("subscribe", subscribe), ("preferences", html), ("unsubscribe", unsubscribe)] {
                #expect(try HTMLChecker.errors(in: text, name: name) == nil, "\(name)")
            }

            // kyoei admits *.lg.jp only: refused by name, and nothing else changes.
            let refused = try await client.execute(
                uri: link, method: .post, headers: headers, body: Self.form([("csrf", csrf.token), ("list", "kyoei"), ("list", "staff")]))
            #expect(refused.status == .badRequest && String(buffer: refused.body).contains("KYOZON KYOEI（都道府県職員向け）：次のドメインのアドレスでのみ登録できます：*.lg.jp"))
            #expect(try lists() == ["municipal", "staff"])

            // Without its CSRF token, the form only shows the page again.
            _ = try await client.execute(uri: link, method: .post, headers: Self.formHeaders, body: Self.form([("list", "staff")]))
            #expect(try lists() == ["municipal", "staff"])

            let changed = try await client.execute(uri: link, method: .post, headers: headers, body: Self.form([("csrf", csrf.token), ("list", "staff")]))
            #expect(String(buffer: changed.body).contains("配信を停止したリスト：KYOZON KYOEI（市区町村職員向け）"))
            #expect(try lists() == ["staff"])
            let joined = try await client.execute(
                uri: link, method: .post, headers: headers, body: Self.form([("csrf", csrf.token), ("list", "staff"), ("list", "municipal")]))
            #expect(String(buffer: joined.body).contains("配信を始めるリスト：KYOZON KYOEI（市区町村職員向け）"))
            #expect(try lists() == ["municipal", "staff"])
            let history = try store.history(of: try EmailAddress("kato@city.example.jp"))
            #expect(history.events.contains { $0.event == "subscribed" && $0.detail.contains("preferences page v1") })

            // An issue that went to municipal only: its one-click leaves municipal, not staff.
            let issue = try store.issue(for: IssueMonth(year: 2026, month: 11)!, now: start)
            try store.addIssueLists(issueID: issue.id, ["municipal"])
            let fromIssue = "/unsubscribe/" + signer.token(purpose: "unsubscribe", subject: "\(id)-\(issue.id)")
            let unsubscribePage = String(buffer: try await client.execute(uri: fromIssue, method: .get).body)
            #expect(unsubscribePage.contains("value=\"municipal\" checked") && unsubscribePage.contains("value=\"staff\">"))
            #expect(unsubscribePage.contains("href=\"/preferences/"))
            // As RFC 8058 says receivers SHOULD post it: multipart/form-data.
            let boundary = "----kyozon-test-boundary"
            let oneClick = try await client.execute(
                uri: fromIssue, method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                body: ByteBuffer(string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--\(boundary)--\r\n"))
            #expect(oneClick.status == .ok && String(buffer: oneClick.body).contains("配信を停止しました"))
            #expect(try lists() == ["staff"])
        }
    }
}
