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

/// Prefectures submit through the form and the JSON API with the token staff issued: what
/// arrives goes through the collector's checks into the store, and the answer says at once
/// what was accepted, or why not. Bad, missing and revoked tokens are refused.
@Suite struct SubmissionTests {
    let folder: TemporaryDirectory
    let store: Store
    let signer = TokenSigner(key: Array("web-test-key-of-thirty-two-bytes".utf8))
    let now = Timestamp(rfc3339: "2026-11-10T09:00:00+09:00")!
    let token = "hokkaido-office-token-0123456789abcdef"
    let officeID: Int64

    init() throws {
        folder = try TemporaryDirectory("kyozon-submit")
        store = try Store(path: folder.file("kyozon.sqlite"))
        officeID = try store.addSubmitter(
            office: "北海道 東京事務所", prefecture: Prefecture(code: 1), email: nil,
            tokenHash: signer.digest(purpose: "submitter", of: token), by: "tester", now: now)
    }

    func app() throws -> some ApplicationProtocol {
        let sender = Sender(name: "東京都", address: try EmailAddress("kyoei@kyozon-kyoei.example"), postalAddress: "新宿", contact: "03")
        let now = self.now
        let router = buildRouter(
            store: store, signer: signer, notices: try NoticeTemplates(directory: PackagePaths.path("Templates")),
            settings: WebSettings(baseURL: "https://kyozon-kyoei.example", sender: sender), clock: { now })
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static let good: [String: String] = [
        "title": "北海道どさんこ冬の大物産展", "category": "event", "starts_on": "2026-12-05", "ends_on": "2026-12-07",
        "venue": "東京交通会館", "summary": "道内各地の海産物が集まります。", "url": "https://www.example.jp/hokkaido",
        "contact": "北海道 東京事務所 03-0000-0001", "submitted_by": "誰か別の人",
    ]

    func body(_ object: Any) throws -> ByteBuffer { ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object)) }

    func json(_ response: TestResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
    }

    @Test func theAPITakesItemsThroughTheCollectorsChecks() async throws {
        try await app().test(.live) { client in
            var headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(token)"]
            var bad = Self.good
            bad["title"] = "県名の誤り"
            bad["prefecture"] = "Tokio"
            let mixed = try await client.execute(uri: "/api/submissions", method: .post, headers: headers, body: try body([Self.good, bad]))
            #expect(mixed.status == .unprocessableContent)
            let answer = try json(mixed)
            #expect(answer["accepted"] as? Int == 1 && answer["rejected"] as? Int == 1 && answer["office"] as? String == "北海道 東京事務所")
            let items = try #require(answer["items"] as? [[String: Any]])
            #expect(items[0]["status"] as? String == "accepted" && items[0]["title"] as? String == "北海道どさんこ冬の大物産展")
            let problems = try #require(items[1]["problems"] as? [[String: String]])
            #expect(problems.contains { $0["field"] == "prefecture" && $0["message"]?.contains("\"Tokio\" is not a prefecture") == true }, "\(problems)")

            // The good one is kept, from the office (whatever it said), in the office's prefecture.
            let stored = try store.acceptedItems(in: IssueMonth("2026-11")!)
            #expect(stored.map(\.title) == ["北海道どさんこ冬の大物産展"])
            #expect(stored[0].submittedBy == "北海道 東京事務所" && stored[0].prefecture.code == 1)
            #expect(try store.rejections(in: IssueMonth("2026-11")!).count == 1)

            var one = Self.good
            one["title"] = "青い池ライトアップ"
            let created = try await client.execute(uri: "/api/submissions", method: .post, headers: headers, body: try body(one))
            #expect(created.status == .created)

            let notJSON = try await client.execute(uri: "/api/submissions", method: .post, headers: headers, body: ByteBuffer(string: "title=x"))
            #expect(notJSON.status == .badRequest)

            for authorization in ["Bearer not-a-token", "Basic aG9ra2FpZG86eA==", ""] {
                headers[.authorization] = authorization
                let refused = try await client.execute(uri: "/api/submissions", method: .post, headers: headers, body: try body(Self.good))
                #expect(refused.status == .unauthorized, "\(authorization)")
                #expect(refused.headers[.wwwAuthenticate] == "Bearer realm=\"kyozon\"")
            }
            try store.revokeSubmitter(id: officeID, by: "tester", now: now)
            headers[.authorization] = "Bearer \(token)"
            let revoked = try await client.execute(uri: "/api/submissions", method: .post, headers: headers, body: try body(Self.good))
            #expect(revoked.status == .unauthorized)
            #expect(try store.acceptedItems(in: IssueMonth("2026-11")!).count == 2, "nothing stored from refused calls")
        }
    }

    @Test func theFormShowsAtOnceWhatWasAcceptedOrWhyNot() async throws {
        try await app().test(.live) { client in
            #expect(try await client.execute(uri: "/submit/wrong-token", method: .get).status == .badRequest)
            let page = try await client.execute(uri: "/submit/\(token)", method: .get)
            let html = String(buffer: page.body)
            #expect(page.status == .ok && html.contains("北海道 東京事務所 からの掲載情報です"))
            #expect(html.contains("<option value=\"北海道\" selected>"), "the office's prefecture is chosen")
            #expect(try HTMLChecker.errors(in: html, name: "submit") == nil)
            let csrf = try #require(WebFlowTests.csrf(page))
            var headers = WebFlowTests.formHeaders
            headers[.cookie] = csrf.cookie
            let path = "/submit/\(token)"

            let noToken = try await client.execute(
                uri: path, method: .post, headers: WebFlowTests.formHeaders, body: WebFlowTests.form([("title", "x"), ("category", "event")]))
            #expect(noToken.status == .forbidden)

            // No summary: refused, said by the field, the values kept.
            let missing = try await client.execute(
                uri: path, method: .post, headers: headers,
                body: WebFlowTests.form([("csrf", csrf.token), ("title", "函館朝市フェア"), ("category", "event"), ("prefecture", "北海道"), ("starts_on", "2026-12-10")]))
            #expect(missing.status == .unprocessableContent)
            let refusedPage = String(buffer: missing.body)
            #expect(refusedPage.contains("受け付けられませんでした") && refusedPage.contains("id=\"summary-error\""))
            #expect(refusedPage.contains("aria-describedby=\"summary-error\"") && refusedPage.contains("value=\"函館朝市フェア\""))

            let sent = try await client.execute(
                uri: path, method: .post, headers: headers,
                body: WebFlowTests.form([
                    ("csrf", csrf.token), ("title", "函館朝市フェア"), ("category", "event"), ("prefecture", "北海道"), ("starts_on", "2026-12-10"),
                    ("summary", "朝市の海産物を販売します。"), ("contact", "北海道 東京事務所"),
                ]))
            #expect(sent.status == .created)
            #expect(String(buffer: sent.body).contains("「函館朝市フェア」を受け付けました"))
            #expect(try store.acceptedItems(in: IssueMonth("2026-11")!).map(\.title) == ["函館朝市フェア"])
        }
    }
}
