import Foundation
import Hummingbird
import HummingbirdAuth
import HummingbirdBcrypt
import KyozonCollector
import KyozonDomain
import KyozonStore
import KyozonTokens
import NIOCore
import NIOPosix

/// What the staff pages are given.
public struct StaffSettings: Sendable {
    /// Staff logins: name → bcrypt hash (from kyozon.toml's [staff.accounts]).
    public var accounts: [String: String]
    /// Cookies marked Secure (the staff pages are reached over HTTPS).
    public var secureCookies = false
    /// Failed logins one client may make in `window` seconds before being refused for a while.
    public var loginLimit = 10
    public var window: Double = 900
    /// The send day, for the collector's checks on the team's own reports.
    public var sendDay = 5
    /// Proxies whose `X-Forwarded-For` names the client.
    public var trustedProxies: Set<String> = ["127.0.0.1", "::1"]
    /// The office recorded as the submitter of the team's own 取材レポート.
    public var newsroom = "東京都 KYOZON KYOEI 編集部"

    public init(accounts: [String: String]) {
        self.accounts = accounts
    }
}

/// The staff pages, as a Hummingbird router to serve on their own listener (loopback by
/// default): login (bcrypt, sessions), editing an issue's items, title, lead and lists, the
/// team's own 取材レポート, the preview as it will arrive, test sends, approval, and the audit
/// log. Every change is a POST carrying the session's CSRF token, and is written to the audit
/// log with the member of staff's name.
public func buildStaffRouter(
    store: Store, backend: any StaffBackend, settings: StaffSettings, clock: @escaping @Sendable () -> Timestamp
) -> Router<StaffContext> {
    let pages = StaffPages(store: store, backend: backend, settings: settings, clock: clock)
    let router = Router(context: StaffContext.self)
    router.add(middleware: ClientAddressMiddleware(trusted: settings.trustedProxies))
    let cookie = SessionCookieParameters(name: "kyozon_staff", path: "/staff", secure: settings.secureCookies, sameSite: .strict)
    router.add(
        middleware: SessionMiddleware(
            storage: MemoryPersistDriver(),
            configuration: .init(sessionCookieParameters: cookie, defaultSessionExpiration: .seconds(8 * 3600))))
    router.add(middleware: StaffGate())
    router.get("/staff/login") { _, _ in StaffPages.html(StaffPage.login()) }
    router.post("/staff/login") { request, context in try await pages.login(request, context) }
    router.post("/staff/logout") { request, context in try await pages.logout(request, context) }
    router.get("/staff") { _, context in try pages.home(context) }
    router.get("/staff/audit") { _, context in try pages.audit(context) }
    router.get("/staff/issues/:month") { _, context in try pages.edit(try StaffPages.month(context), context) }
    router.post("/staff/issues/:month/details") { request, context in try await pages.details(request, try StaffPages.month(context), context) }
    router.post("/staff/issues/:month/items/:id") { request, context in try await pages.choose(request, try StaffPages.month(context), context) }
    router.get("/staff/issues/:month/items/:id") { _, context in try pages.correctionForm(try StaffPages.month(context), context) }
    router.post("/staff/issues/:month/items/:id/correct") { request, context in
        try await pages.correct(request, try StaffPages.month(context), context)
    }
    router.post("/staff/issues/:month/report") { request, context in try await pages.addReport(request, try StaffPages.month(context), context) }
    router.get("/staff/issues/:month/preview") { _, context in try pages.preview(try StaffPages.month(context), context) }
    router.get("/staff/issues/:month/preview.html") { _, context in try pages.previewHTML(try StaffPages.month(context)) }
    router.post("/staff/issues/:month/test") { request, context in try await pages.test(request, try StaffPages.month(context), context) }
    router.post("/staff/issues/:month/approve") { request, context in try await pages.approve(request, try StaffPages.month(context), context) }
    return router
}

/// Lets through the login page, and otherwise only a logged-in member of staff: a GET
/// without a session goes to the login page, a POST without one, or without the session's
/// CSRF token, is refused (403) and changes nothing.
struct StaffGate: RouterMiddleware {
    typealias Context = StaffContext

    func handle(_ request: Request, context: StaffContext, next: (Request, StaffContext) async throws -> Response) async throws -> Response {
        if request.uri.path == "/staff/login" { return try await next(request, context) }
        guard let session = context.sessions.session else {
            if request.method == .get { return Response(status: .seeOther, headers: [.location: "/staff/login"]) }
            return StaffPages.html(StaffPage.message("ログインが必要です", ["ログインし直してから、もう一度操作してください。"], back: "/staff/login"), status: .forbidden)
        }
        guard request.method == .post else { return try await next(request, context) }
        var request = request
        let form = FormBody(String(buffer: try await request.collectBody(upTo: 256 * 1024)), contentType: request.headers[.contentType])
        guard form["csrf"] == session.csrf else {
            return StaffPages.html(
                StaffPage.message("操作を受け付けませんでした", ["フォームの有効期限が切れたか、別のページからの送信です。ページを開き直してから、もう一度操作してください。"], back: "/staff"),
                status: .forbidden)
        }
        return try await next(request, context)
    }
}

/// The handlers behind the staff routes.
struct StaffPages: Sendable {
    let store: Store
    let backend: any StaffBackend
    let settings: StaffSettings
    let clock: @Sendable () -> Timestamp
    let failures: WindowLimiter

    init(store: Store, backend: any StaffBackend, settings: StaffSettings, clock: @escaping @Sendable () -> Timestamp) {
        self.store = store
        self.backend = backend
        self.settings = settings
        self.clock = clock
        failures = WindowLimiter(limit: settings.loginLimit, window: settings.window)
    }

    /// A hash to verify against when the name is unknown, so that the answer takes as long
    /// whether the name exists or not.
    static let dummyHash = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5rOaSfGmLnmmbG/6sZXpEVNzEKtmQxq"

    static func month(_ context: StaffContext) throws -> IssueMonth {
        guard let text = context.parameters.get("month"), let month = IssueMonth(text) else {
            throw HTTPError(.notFound, message: "no such issue: write the month as YYYY-MM")
        }
        return month
    }

    func staff(_ context: StaffContext) -> StaffSession { context.sessions.session! }

    func form(_ request: Request) async throws -> FormBody {
        var request = request
        return FormBody(String(buffer: try await request.collectBody(upTo: 256 * 1024)), contentType: request.headers[.contentType])
    }

    // MARK: login

    func login(_ request: Request, _ context: StaffContext) async throws -> Response {
        let form = try await form(request)
        let now = clock()
        // Refused without looking at the password once a client has failed too often.
        // The failures that led here are in the audit log; refused tries are not written, so that
        // nobody can fill the log by trying on.
        guard failures.count(context.client, now: Double(now.epochSeconds)) < settings.loginLimit else {
            return Self.html(StaffPage.login(error: "ログインの失敗が続いたため、しばらく受け付けません。時間をおいてお試しください。"), status: .tooManyRequests)
        }
        let name = form["name"], password = form["password"]
        let hash = settings.accounts[name] ?? Self.dummyHash
        // bcrypt is slow on purpose: off the event loop.
        let verified = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
        guard verified, settings.accounts[name] != nil, !password.isEmpty else {
            _ = failures.allow(context.client, now: Double(now.epochSeconds))
            try store.audit(actor: name.isEmpty ? "(no name)" : name, action: "login.failed", detail: "from \(context.client)", now: now)
            return Self.html(StaffPage.login(error: "ユーザー名またはパスワードが違います。"), status: .unauthorized)
        }
        context.sessions.createSession(StaffSession(name: name, csrf: TokenSigner.randomToken(bytes: 24)))
        try store.audit(actor: name, action: "login", detail: "from \(context.client)", now: now)
        return Response(status: .seeOther, headers: [.location: "/staff"])
    }

    func logout(_ request: Request, _ context: StaffContext) async throws -> Response {
        try store.audit(actor: staff(context).name, action: "logout", detail: "", now: clock())
        context.sessions.clearSession()
        return Response(status: .seeOther, headers: [.location: "/staff/login"])
    }

    func home(_ context: StaffContext) throws -> Response {
        Response(status: .seeOther, headers: [.location: "/staff/issues/\(clock().issueMonth.previous)"])
    }

    func audit(_ context: StaffContext) throws -> Response {
        Self.html(StaffPage.audit(try store.auditLog(limit: 300), staff: staff(context)))
    }

    // MARK: editing

    func edit(_ month: IssueMonth, _ context: StaffContext, notice: String? = nil) throws -> Response {
        let issue = try store.existingIssue(for: month)
        let status = try backend.status(month: month)
        let lists = try store.listSummaries().filter { !$0.archived }.map(\.list)
        return Self.html(
            StaffPage.edit(
                month: month, subject: status.subject, approval: status.approval, approved: status.approved, title: issue?.title ?? "",
                lead: issue?.lead ?? "", lists: lists, chosen: Set(status.lists), items: try store.editableItems(in: month),
                staff: staff(context), notice: notice))
    }

    func details(_ request: Request, _ month: IssueMonth, _ context: StaffContext) async throws -> Response {
        let form = try await form(request)
        let lists = try knownLists(form.all("list"))
        try store.setIssueDetails(
            month: month, title: form["title"].trimmingCharacters(in: .whitespacesAndNewlines),
            lead: form["lead"].replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines), lists: lists,
            by: staff(context).name, now: clock())
        return try edit(month, context, notice: "号の設定を保存しました。")
    }

    func choose(_ request: Request, _ month: IssueMonth, _ context: StaffContext) async throws -> Response {
        let form = try await form(request)
        guard let id = context.parameters.get("id").flatMap(Int64.init),
            let item = try store.editableItems(in: month).first(where: { $0.id == id })
        else { throw HTTPError(.notFound, message: "no such item in this issue") }
        let position = Int(form["position"].trimmingCharacters(in: .whitespaces)).flatMap { $0 > 0 ? $0 : nil }
        let choice: String? =
            switch form["action"] {
            case "exclude": "exclude"
            case "keep": "keep"
            case "include": nil
            default: item.choice
            }
        try store.setItemChoice(submissionID: id, choice: choice, position: form["action"] == "place" ? position : item.position, by: staff(context).name, now: clock())
        return try edit(month, context, notice: "「\(item.item.title)」を変更しました。")
    }

    func correctionForm(_ month: IssueMonth, _ context: StaffContext) throws -> Response {
        guard let id = context.parameters.get("id").flatMap(Int64.init),
            let item = try store.editableItems(in: month).first(where: { $0.id == id })
        else { throw HTTPError(.notFound, message: "no such item in this issue") }
        return Self.html(StaffPage.correction(month: month, item: item, staff: staff(context)))
    }

    func correct(_ request: Request, _ month: IssueMonth, _ context: StaffContext) async throws -> Response {
        let form = try await form(request)
        guard let id = context.parameters.get("id").flatMap(Int64.init),
            let item = try store.editableItems(in: month).first(where: { $0.id == id })
        else { throw HTTPError(.notFound, message: "no such item in this issue") }
        // Checked as a submission's fields are, all or nothing (Store.correctItem).
        let corrections = CorrectableField.allCases.map { ($0, form[$0.rawValue].replacingOccurrences(of: "\r\n", with: "\n")) }
        do {
            try store.correctItem(submissionID: id, corrections, by: staff(context).name, now: clock())
        } catch let error as StoreError {
            return Self.html(StaffPage.correction(month: month, item: item, staff: staff(context), problems: ["修正できません：\(error)"]), status: .badRequest)
        }
        return try edit(month, context, notice: "「\(form["title"])」を修正しました（提出された文面は保存されています）。")
    }

    /// The team's own 取材レポート, through the collector's checks like any submission, dated
    /// within the issue's month.
    func addReport(_ request: Request, _ month: IssueMonth, _ context: StaffContext) async throws -> Response {
        let form = try await form(request)
        let now = clock()
        let endOfMonth = Timestamp(epochSeconds: TokyoTime.startOfDay(CalendarDate(year: month.next.year, month: month.next.month, day: 1)!) - 1)
        let stamp = now.issueMonth == month ? now : min(endOfMonth, now)
        var fields: [String: Any] = ["category": "report", "submitted_at": stamp.description]
        for key in ["title", "prefecture", "municipality", "venue", "summary", "url", "contact", "starts_on", "ends_on"] {
            let value = form[key].replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            if !value.isEmpty { fields[key] = value }
        }
        let newsroom = Submitter(id: 0, office: settings.newsroom, prefecture: Prefecture(code: 13), email: nil, createdAt: now)
        let outcome = try SubmissionIntake(store: store, sendDay: settings.sendDay).take([fields], from: newsroom, channel: "staff \(staff(context).name)", now: now)[0]
        try store.audit(actor: staff(context).name, action: "item.report", detail: "\(month): 「\(outcome.title ?? "")」 \(outcome.accepted ? "accepted" : "refused")", now: now)
        guard outcome.accepted else {
            return try edit(month, context, notice: "取材レポートを受け付けませんでした：" + outcome.problems.map(\.description).joined(separator: "／"))
        }
        return try edit(month, context, notice: "取材レポート「\(outcome.title ?? "")」を追加しました。")
    }

    // MARK: preview, test, approval

    func preview(_ month: IssueMonth, _ context: StaffContext, notice: String? = nil) throws -> Response {
        let preview = try backend.preview(month: month)
        let lists = try store.listSummaries().filter { !$0.archived }.map(\.list)
        return Self.html(StaffPage.preview(month: month, preview: preview, lists: lists, staff: staff(context), notice: notice))
    }

    func previewHTML(_ month: IssueMonth) throws -> Response {
        Self.html(try backend.sampleHTML(month: month))
    }

    func test(_ request: Request, _ month: IssueMonth, _ context: StaffContext) async throws -> Response {
        let form = try await form(request)
        let words = form["to"].split(whereSeparator: { $0 == "," || $0 == "\n" || $0 == "\r" || $0 == " " || $0 == "、" }).map(String.init)
        var addresses: [EmailAddress] = []
        var bad: [String] = []
        for word in words {
            if let address = try? EmailAddress(word) { addresses.append(address) } else { bad.append(word) }
        }
        guard bad.isEmpty, !addresses.isEmpty, addresses.count <= 10 else {
            let why = bad.isEmpty ? "送信先を1件から10件まで入力してください。" : "メールアドレスの形式が正しくありません：" + bad.joined(separator: "、")
            return try preview(month, context, notice: why)
        }
        let name = staff(context).name
        let backend = self.backend, recipients = addresses
        // SMTP through libcurl blocks: off the event loop.
        let results = try await NIOThreadPool.singleton.runIfActive { try backend.sendTest(month: month, to: recipients, by: name) }
        try store.audit(actor: name, action: "issue.test", detail: "\(month) to \(addresses.map(\.value).joined(separator: ", "))", now: clock())
        return try preview(month, context, notice: "テスト送信：" + results.joined(separator: "／"))
    }

    func approve(_ request: Request, _ month: IssueMonth, _ context: StaffContext) async throws -> Response {
        let form = try await form(request)
        let lists = try knownLists(form.all("list"))
        guard !lists.isEmpty else { return try preview(month, context, notice: "配信先のリストを1つ以上選んでから承認してください。") }
        // The approval refuses an empty issue itself (its hash never matches an approved one).
        guard try !store.issueItems(in: month).isEmpty else { return try preview(month, context, notice: "掲載する情報がないため承認できません。") }
        do {
            guard let hash = try backend.approve(month: month, lists: lists, previewed: form["content"], by: staff(context).name) else {
                return try preview(month, context, notice: "プレビューのあとに内容が変わりました（ほかの担当者の編集など）。表示し直した内容を確認してから、もう一度承認してください。")
            }
            return try preview(month, context, notice: "承認しました（\(hash.prefix(16))）。この内容のまま配信されます。")
        } catch let error as StoreError {
            return try preview(month, context, notice: "承認できません：\(error)")
        }
    }

    /// The list ids a form names, refused with a clear error when one is not a list.
    func knownLists(_ ids: [String]) throws -> [String] {
        let known = Set(try store.listSummaries().filter { !$0.archived }.map(\.list.id))
        if let unknown = ids.first(where: { !known.contains($0) }) {
            throw HTTPError(.badRequest, message: "no list \"\(unknown)\": choose among the lists shown")
        }
        return ids
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                .init("Referrer-Policy")!: "no-referrer",
                .init("Content-Security-Policy")!: "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; form-action 'self'; frame-ancestors 'self'",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
