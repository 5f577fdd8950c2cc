import Foundation
import Hummingbird
import KyozonCollector
import KyozonComposer
import KyozonDomain
import KyozonStore
import KyozonTokens
import NIOCore

/// What the pages need to know besides the store.
public struct WebSettings: Sendable {
    /// Where readers reach kyozon, such as `https://kyozon-kyoei.metro.tokyo.lg.jp`: links in mails start with it.
    public var baseURL: String
    public var sender: Sender
    /// The version of the subscribe form's text, kept with each consent.
    public var formVersion = "v1"
    /// Requests one client may make to the forms in `window` seconds.
    public var clientLimit = 20
    /// Subscribe requests for one mail address in `window` seconds (more are answered the same, and not mailed).
    public var addressLimit = 3
    public var window: Double = 3600
    /// How long a confirmation link works.
    public var confirmDays = 7
    /// The send day, for the collector's check of events over before it.
    public var sendDay = 5
    /// Form posts and API calls one submitting office may make in `window` seconds (its own
    /// budget, apart from the readers' forms).
    public var submissionLimit = 300
    /// Proxies whose `X-Forwarded-For` names the client (the office's reverse proxy).
    public var trustedProxies: Set<String> = ["127.0.0.1", "::1"]

    public init(baseURL: String, sender: Sender) {
        self.baseURL = baseURL
        self.sender = sender
    }
}

/// kyozon's pages for readers, as a Hummingbird router.
///
/// ```swift
/// let router = buildRouter(store: store, signer: signer, notices: notices, settings: settings, clock: { .now })
/// let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 8080)))
/// try await app.runService()
/// ```
/// Nothing changes on a GET (mail gateways' link scanners open every link): each change is a
/// POST from a form carrying a CSRF token, or the RFC 8058 one-click POST, which its URL token
/// alone authorises. Answers never tell whether an address is subscribed; mail goes through
/// the outbox, so no request waits on SMTP.
public func buildRouter(
    store: Store, signer: TokenSigner, notices: NoticeTemplates, settings: WebSettings, clock: @escaping @Sendable () -> Timestamp
) -> Router<WebContext> {
    let pages = Pages(store: store, signer: signer, notices: notices, settings: settings, clock: clock)
    let router = Router(context: WebContext.self)
    router.add(middleware: ClientAddressMiddleware(trusted: settings.trustedProxies))
    router.get("/") { _, _ in Response(status: .seeOther, headers: [.location: "/subscribe"]) }
    router.get("/subscribe") { request, _ in try pages.subscribeForm(request) }
    router.post("/subscribe") { request, context in try await pages.subscribe(request, context) }
    router.get("/confirm/:token") { request, context in try pages.confirmPage(request, token: context.parameters.get("token") ?? "") }
    router.post("/confirm/:token") { request, context in
        try await pages.confirm(request, token: context.parameters.get("token") ?? "", context)
    }
    router.get("/unsubscribe/:token") { request, context in
        try pages.unsubscribePage(request, token: context.parameters.get("token") ?? "")
    }
    router.post("/unsubscribe/:token") { request, context in
        try await pages.unsubscribe(request, token: context.parameters.get("token") ?? "", context)
    }
    router.post("/api/submissions") { request, context in try await pages.apiSubmissions(request, context) }
    router.get("/submit/:token") { request, context in try pages.submitForm(request, token: context.parameters.get("token") ?? "") }
    router.post("/submit/:token") { request, context in
        try await pages.submit(request, token: context.parameters.get("token") ?? "", context)
    }
    router.get("/issues") { _, _ in try pages.backNumbers() }
    router.get("/issues/:month") { _, context in try pages.webEdition(context.parameters.get("month") ?? "") }
    router.get("/preferences/:token") { request, context in
        try pages.preferencesPage(request, token: context.parameters.get("token") ?? "")
    }
    router.post("/preferences/:token") { request, context in
        try await pages.changePreferences(request, token: context.parameters.get("token") ?? "", context)
    }
    return router
}

/// The handlers behind the routes.
struct Pages: Sendable {
    let store: Store
    let signer: TokenSigner
    let notices: NoticeTemplates
    let settings: WebSettings
    let clock: @Sendable () -> Timestamp
    let clients: WindowLimiter
    let addresses: WindowLimiter
    let offices: WindowLimiter

    init(store: Store, signer: TokenSigner, notices: NoticeTemplates, settings: WebSettings, clock: @escaping @Sendable () -> Timestamp) {
        self.store = store
        self.signer = signer
        self.notices = notices
        self.settings = settings
        self.clock = clock
        self.clients = WindowLimiter(limit: settings.clientLimit, window: settings.window)
        self.addresses = WindowLimiter(limit: settings.addressLimit, window: settings.window)
        self.offices = WindowLimiter(limit: settings.submissionLimit, window: settings.window)
    }

    static let csrfCookie = "kyozon_csrf"

    // MARK: subscribe

    func subscribeForm(_ request: Request) throws -> Response {
        let (nonce, cookie) = csrfNonce(request)
        return html(Page.subscribe(lists: try publicLists(), csrf: csrfToken(nonce)), cookie: cookie)
    }

    func subscribe(_ request: Request, _ context: WebContext) async throws -> Response {
        let form = try await body(request)
        let (nonce, cookie) = csrfNonce(request)
        let lists = try publicLists()
        let values = ["email": form["email"], "name": form["name"], "organization": form["organization"], "prefecture": form["prefecture"]]
        let chosen = Set(form.all("list"))
        func again(_ errors: [String: String], status: HTTPResponse.Status) -> Response {
            html(Page.subscribe(lists: lists, csrf: csrfToken(nonce), values: values, chosen: chosen, errors: errors), status: status, cookie: cookie)
        }
        guard validCSRF(form["csrf"], request) else {
            return again(["email": "フォームの有効期限が切れました。お手数ですが、もう一度送信してください。"], status: .forbidden)
        }
        guard clients.allow(context.client, now: Double(clock().epochSeconds)) else { return tooMany() }
        let email: EmailAddress
        do { email = try EmailAddress(form["email"]) } catch {
            return again(["email": "メールアドレスの形式が正しくありません（例：sato@pref.example.lg.jp）。"], status: .badRequest)
        }
        let wanted = lists.map(\.id).filter { chosen.contains($0) }
        guard !wanted.isEmpty else { return again(["lists": "配信リストを1つ以上選んでください。"], status: .badRequest) }
        let name = String(form["name"].prefix(100)), organization = String(form["organization"].prefix(100))
        let now = clock()
        var refused: [ListRefusal] = []
        if addresses.allow(email.normalized.lowercased(), now: Double(now.epochSeconds)) {
            let result = try store.requestSubscription(
                email: email, name: name, organization: organization, prefecture: Prefecture.lookup(form["prefecture"]),
                lists: wanted, formVersion: settings.formVersion, client: context.client, now: now,
                suppression: { address in signer.digests(purpose: "suppress", of: address.normalized.lowercased()) })
            refused = result.refused
            if case .confirmationNeeded(let id, let pending) = result.outcome {
                let token = signer.timedToken(purpose: "confirm", subject: String(id), issuedAt: now.epochSeconds)
                let mail = notices.render(
                    .confirm,
                    NoticeValues(
                        lists: lists.filter { pending.contains($0.id) }.map { ($0.name, $0.description) },
                        link: "\(settings.baseURL)/confirm/\(token)", days: settings.confirmDays, sender: settings.sender))
                try store.enqueueMail(kind: "confirm", to: email, subject: mail.subject, body: mail.body, now: now)
            }
        }
        if refused.count == wanted.count {
            // Only about the lists and the address's domain: nothing about membership.
            let names = Dictionary(lists.map { ($0.id, $0.name) }) { first, _ in first }
            return again(["lists": refused.map { "\(names[$0.list] ?? $0.list)：\($0.japaneseReason)" }.joined(separator: "／")], status: .badRequest)
        }
        return html(Page.message(title: "確認メールをお送りしました", [
            "\(email.value) 宛てに、登録を確定するためのメールをお送りしました。メール内のリンクを\(settings.confirmDays)日以内に開いて、登録を確定してください。",
            "すでに登録済みの場合や、このアドレスへの配信ができない場合は、メールは届きません。",
        ]), cookie: cookie)
    }

    // MARK: confirm

    func confirmPage(_ request: Request, token: String, alert: String? = nil) throws -> Response {
        guard confirmSubject(token) != nil else { return invalidLink() }
        let (nonce, cookie) = csrfNonce(request)
        return html(
            Page.confirmButton(
                title: "登録の確定", text: "次のボタンを押すと、KYOZON KYOEI の配信登録が確定します。",
                action: "/confirm/\(token)", csrf: csrfToken(nonce), button: "登録を確定する", alert: alert),
            status: alert == nil ? .ok : .forbidden, cookie: cookie)
    }

    /// What a form whose CSRF token did not match is answered with (an old page, cookies off).
    static let expiredForm = "フォームの有効期限が切れたため、受け付けられませんでした。お手数ですが、もう一度操作してください（ブラウザの Cookie を有効にしてください）。"

    func confirm(_ request: Request, token: String, _ context: WebContext) async throws -> Response {
        let form = try await body(request)
        guard validCSRF(form["csrf"], request) else { return try confirmPage(request, token: token, alert: Self.expiredForm) }
        guard let id = confirmSubject(token) else { return invalidLink() }
        let now = clock()
        guard let lists = try store.confirmSubscriptions(subscriberID: id, tokenSignature: token, now: now) else {
            return html(Page.message(title: "登録の確定", ["このリンクはすでに使われています。登録は確定済みです。"]))
        }
        if !lists.isEmpty, let summary = try store.subscriber(id: id) {
            let all = try store.listSummaries().map(\.list)
            let mail = notices.render(
                .welcome,
                NoticeValues(
                    lists: all.filter { lists.contains($0.id) }.map { ($0.name, $0.description) },
                    unsubscribeURL: "\(settings.baseURL)/unsubscribe/\(signer.token(purpose: "unsubscribe", subject: String(id)))",
                    sender: settings.sender))
            try store.enqueueMail(kind: "welcome", to: summary.subscriber.email, subject: mail.subject, body: mail.body, now: now)
        }
        return html(Page.message(title: "登録が完了しました", ["KYOZON KYOEI の配信登録が完了しました。次号からお届けします。"]))
    }

    // MARK: unsubscribe

    func unsubscribePage(_ request: Request, token: String, alert: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let link = unsubscribeSubject(token), let summary = try store.subscriber(id: link.subscriber) else { return invalidLink() }
        let active = Set(summary.subscriptions.filter { $0.status != .unsubscribed }.map(\.list))
        let lists = try store.listSummaries().map(\.list).filter { active.contains($0.id) }
        // The lists the issue went to are ticked; a link from no issue ticks them all.
        let ticked = try link.issue.map { Set(try store.issueLists(issueID: $0)) }.flatMap { $0.isEmpty ? nil : $0 } ?? active
        let (nonce, cookie) = csrfNonce(request)
        return html(
            Page.unsubscribe(
                lists: lists, ticked: ticked, action: "/unsubscribe/\(token)", preferences: "/preferences/\(token)", csrf: csrfToken(nonce),
                alert: alert),
            status: status, cookie: cookie)
    }

    func unsubscribe(_ request: Request, token: String, _ context: WebContext) async throws -> Response {
        let form = try await body(request)
        guard let link = unsubscribeSubject(token) else { return invalidLink() }
        // RFC 8058: authorised by the URL's token alone, no cookie or CSRF token, idempotent,
        // answered directly (a redirect would be followed by some senders' clients, not all).
        // It leaves every list the issue went to (one copy stood for all of them).
        if form.isOneClick {
            let lists = try link.issue.map { try store.issueLists(issueID: $0) }.flatMap { $0.isEmpty ? nil : $0 }
            try store.unsubscribe(subscriberID: link.subscriber, from: lists, how: "one-click", now: clock())
            return html(Page.message(title: "配信を停止しました", ["KYOZON KYOEI の配信を停止しました。"]))
        }
        guard validCSRF(form["csrf"], request) else {
            return try unsubscribePage(request, token: token, alert: Self.expiredForm, status: .forbidden)
        }
        let chosen = form.all("list")
        guard !chosen.isEmpty else {
            return try unsubscribePage(request, token: token, alert: "配信を停止するリストを1つ以上選んでください。", status: .badRequest)
        }
        let left = try store.unsubscribe(subscriberID: link.subscriber, from: chosen, how: "form", now: clock())
        let names = try store.listSummaries().map(\.list).filter { left.contains($0.id) }.map(\.name)
        return html(Page.message(
            title: "配信を停止しました",
            names.isEmpty ? ["選んだリストの配信は、すでに停止しています。"] : ["次のリストの配信を停止しました：" + names.joined(separator: "、")]))
    }

    // MARK: preferences

    /// The lists the preferences page offers: the open public ones and any the subscriber is on.
    func offeredLists(_ summary: SubscriberSummary) throws -> (lists: [MailingList], active: Set<String>) {
        let active = Set(summary.subscriptions.filter { $0.status != .unsubscribed }.map(\.list))
        let lists = try store.listSummaries().filter { !$0.archived && ($0.list.isPublic || active.contains($0.list.id)) }.map(\.list)
        return (lists, active)
    }

    func preferencesPage(_ request: Request, token: String, errors: [String] = []) throws -> Response {
        guard let link = unsubscribeSubject(token), let summary = try store.subscriber(id: link.subscriber),
            summary.subscriber.status == .active
        else { return invalidLink() }
        let (lists, active) = try offeredLists(summary)
        let (nonce, cookie) = csrfNonce(request)
        return html(
            Page.preferences(
                lists: lists, active: active, address: summary.subscriber.email.value, action: "/preferences/\(token)",
                csrf: csrfToken(nonce), errors: errors),
            status: errors.isEmpty ? .ok : .badRequest, cookie: cookie)
    }

    func changePreferences(_ request: Request, token: String, _ context: WebContext) async throws -> Response {
        let form = try await body(request)
        guard let link = unsubscribeSubject(token), let summary = try store.subscriber(id: link.subscriber),
            summary.subscriber.status == .active
        else { return invalidLink() }
        guard validCSRF(form["csrf"], request) else { return try preferencesPage(request, token: token, errors: [Self.expiredForm]) }
        guard clients.allow(context.client, now: Double(clock().epochSeconds)) else { return tooMany() }
        let (lists, _) = try offeredLists(summary)
        let result = try store.changeSubscriptions(
            subscriberID: link.subscriber, offered: lists.map(\.id), wanted: Set(form.all("list")), formVersion: settings.formVersion,
            client: context.client, now: clock())
        let names = Dictionary(lists.map { ($0.id, $0.name) }) { first, _ in first }
        if !result.refused.isEmpty {
            return try preferencesPage(request, token: token, errors: result.refused.map { "\(names[$0.list] ?? $0.list)：\($0.japaneseReason)" })
        }
        var lines: [String] = []
        if !result.joined.isEmpty { lines.append("配信を始めるリスト：" + result.joined.map { names[$0] ?? $0 }.joined(separator: "、")) }
        if !result.left.isEmpty { lines.append("配信を停止したリスト：" + result.left.map { names[$0] ?? $0 }.joined(separator: "、")) }
        if lines.isEmpty { lines.append("変更はありませんでした。") }
        return html(Page.message(title: "配信リストを変更しました", lines))
    }

    // MARK: submissions from prefectures

    func submitter(_ token: String) throws -> Submitter? {
        guard !token.isEmpty, token.count <= 200 else { return nil }
        return try store.submitter(tokenHashes: signer.digests(purpose: "submitter", of: token))
    }

    /// `POST /api/submissions` with `Authorization: Bearer TOKEN` and a JSON item or array of
    /// items (the fields of submission files): 201 when all were accepted, 422 when some were
    /// refused (the others are kept), with each item's fate; 401 for a missing or bad token.
    func apiSubmissions(_ request: Request, _ context: WebContext) async throws -> Response {
        let authorization = request.headers[.authorization] ?? ""
        guard authorization.hasPrefix("Bearer "), let office = try submitter(String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        else {
            return json(["error": "a submitter token is needed: Authorization: Bearer TOKEN (issued by the KYOZON KYOEI team)"], status: .unauthorized,
                extra: [.wwwAuthenticate: "Bearer realm=\"kyozon\""])
        }
        guard offices.allow(String(office.id), now: Double(clock().epochSeconds)) else {
            return json(["error": "too many requests from this office; try again later"], status: .tooManyRequests)
        }
        let buffer = try await request.body.collect(upTo: 1 << 20)
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))
        } catch {
            return json(["error": "the body is not JSON: send one item as an object, or several as an array of objects"], status: .badRequest)
        }
        let objects = (parsed as? [Any]) ?? [parsed]
        guard !objects.isEmpty, objects.count <= 200 else {
            return json(["error": "send from 1 to 200 items at once"], status: .badRequest)
        }
        let outcomes = try SubmissionIntake(store: store, sendDay: settings.sendDay).take(objects, from: office, channel: "api", now: clock())
        let items: [[String: Any]] = outcomes.map { outcome in
            var item: [String: Any] = ["item": outcome.position, "status": outcome.accepted ? "accepted" : "rejected"]
            if let title = outcome.title { item["title"] = title }
            item[outcome.accepted ? "warnings" : "problems"] = outcome.problems.map { ["field": $0.field, "message": $0.message] }
            if !outcome.flags.isEmpty { item["flags"] = outcome.flags }
            return item
        }
        let refused = outcomes.filter { !$0.accepted }.count
        return json(
            ["office": office.office, "accepted": outcomes.count - refused, "rejected": refused, "items": items],
            status: refused == 0 ? .created : .unprocessableContent)
    }

    func submitForm(_ request: Request, token: String) throws -> Response {
        guard let office = try submitter(token) else { return invalidLink() }
        let (nonce, cookie) = csrfNonce(request)
        return html(Page.submission(office: office, action: "/submit/\(token)", csrf: csrfToken(nonce)), cookie: cookie)
    }

    func submit(_ request: Request, token: String, _ context: WebContext) async throws -> Response {
        guard let office = try submitter(token) else { return invalidLink() }
        let form = try await body(request)
        let (nonce, cookie) = csrfNonce(request)
        var values: [String: String] = [:]
        for field in Page.submissionFields { values[field] = form[field].trimmingCharacters(in: .whitespacesAndNewlines) }
        guard validCSRF(form["csrf"], request) else {
            return html(
                Page.submission(office: office, action: "/submit/\(token)", csrf: csrfToken(nonce), values: values,
                    problems: [FieldProblem(field: "(item)", message: "フォームの有効期限が切れました。もう一度送信してください。")]),
                status: .forbidden, cookie: cookie)
        }
        guard offices.allow(String(office.id), now: Double(clock().epochSeconds)) else { return tooMany() }
        // Empty fields are left out, as a file would leave them out.
        let item = values.filter { !$0.value.isEmpty }
        let outcome = try SubmissionIntake(store: store, sendDay: settings.sendDay).take([item], from: office, channel: "form", now: clock())[0]
        if outcome.accepted {
            return html(
                Page.submitted(office: office, title: outcome.title ?? "", warnings: outcome.problems, flags: outcome.flags, again: "/submit/\(token)"),
                status: .created, cookie: cookie)
        }
        return html(
            Page.submission(office: office, action: "/submit/\(token)", csrf: csrfToken(nonce), values: values, problems: outcome.problems),
            status: .unprocessableContent, cookie: cookie)
    }

    func json(_ object: [String: Any], status: HTTPResponse.Status, extra: HTTPFields = [:]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        for field in extra { headers.append(field) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: the web edition

    /// The back numbers: every sent issue, newest first.
    func backNumbers() throws -> Response {
        let issues = try store.publishedIssues().map { (month: $0.month.description, volume: $0.volume, subject: $0.subject, sent: $0.sentAt) }
        return html(Page.backNumbers(issues))
    }

    /// A sent issue as a page, exactly as approved (the same content as the mail).
    func webEdition(_ text: String) throws -> Response {
        guard let month = IssueMonth(text), let issue = try store.publishedIssue(for: month) else {
            return html(Page.message(title: "ページが見つかりません", ["この号は見つかりません。バックナンバーの一覧からお探しください。"]), status: .notFound)
        }
        var response = html(issue.html)
        // Public and unchanging once sent: caches may keep it.
        response.headers[.cacheControl] = "public, max-age=3600"
        return response
    }

    // MARK: helpers

    func publicLists() throws -> [MailingList] {
        try store.listSummaries().filter { !$0.archived && $0.list.isPublic }.map(\.list)
    }

    func confirmSubject(_ token: String) -> Int64? {
        let days = Int64(settings.confirmDays) * 86400
        return signer.timedSubject(of: token, purpose: "confirm", now: clock().epochSeconds, maxAge: days).flatMap { Int64($0.subject) }
    }

    /// The subscriber an unsubscribe link names and, for links in an issue, the issue
    /// (`ID-ISSUE`); links from before issues were named (`ID`) name none.
    func unsubscribeSubject(_ token: String) -> (subscriber: Int64, issue: Int64?)? {
        guard let subject = signer.subject(of: token, purpose: "unsubscribe") else { return nil }
        let parts = subject.split(separator: "-", omittingEmptySubsequences: false)
        guard let id = Int64(parts[0]) else { return nil }
        switch parts.count {
        case 1: return (id, nil)
        case 2: return Int64(parts[1]).map { (id, $0) }
        default: return nil
        }
    }

    func body(_ request: Request) async throws -> FormBody {
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        return FormBody(String(buffer: buffer), contentType: request.headers[.contentType])
    }

    /// The browser's CSRF nonce (a random value in an HttpOnly, SameSite cookie), made when it
    /// has none; the form carries it signed, so a page elsewhere can neither read nor forge it.
    func csrfNonce(_ request: Request) -> (String, Cookie?) {
        if let value = request.cookies[Self.csrfCookie]?.value, value.count == 22, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            return (value, nil)
        }
        let nonce = TokenSigner.randomToken(bytes: 16)
        let cookie = Cookie(
            name: Self.csrfCookie, value: nonce, path: "/", secure: settings.baseURL.hasPrefix("https:"), httpOnly: true,
            sameSite: .strict)
        return (nonce, cookie)
    }

    func csrfToken(_ nonce: String) -> String { signer.token(purpose: "csrf", subject: nonce) }

    func validCSRF(_ token: String, _ request: Request) -> Bool {
        guard let nonce = request.cookies[Self.csrfCookie]?.value, !nonce.isEmpty else { return false }
        return signer.subject(of: token, purpose: "csrf") == nonce
    }

    func invalidLink() -> Response {
        html(
            Page.message(title: "リンクが無効です", [
                "このリンクは無効か、有効期限が切れています。お手数ですが、配信登録のページからもう一度お申し込みください。",
            ]), status: .badRequest)
    }

    func tooMany() -> Response {
        html(Page.message(title: "しばらくお待ちください", ["短い間に多くのお申し込みがありました。時間をおいてからもう一度お試しください。"]), status: .tooManyRequests)
    }

    func html(_ text: String, status: HTTPResponse.Status = .ok, cookie: Cookie? = nil) -> Response {
        var response = Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                // Tokens travel in URLs: never pass them on as a Referer.
                .init("Referrer-Policy")!: "no-referrer",
                .init("Content-Security-Policy")!: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
        if let cookie { response.setCookie(cookie) }
        return response
    }
}
