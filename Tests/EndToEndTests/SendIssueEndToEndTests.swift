import Foundation
import KyozonDomain
import KyozonStore
import KyozonTestSupport
import Testing

/// The whole product as a user runs it: the built `kyozon` binary, a real SQLite file, and
/// a real SMTP server (python3-aiosmtpd) that writes what arrives to a folder; what arrived
/// is read back with Python's standard `email` parser.
@Suite struct SendIssueEndToEndTests {
    let data: TemporaryDirectory
    let server: SMTPCaptureServer

    init() throws {
        data = try TemporaryDirectory("kyozon-e2e")
        server = try SMTPCaptureServer()
        try data.write("kyozon.toml", "[smtp]\nurl = \"\(server.url)\"\ntls = \"off\"\n")
    }

    @discardableResult
    func kyozon(_ arguments: String..., expect status: Int32 = 0) throws -> ProcessOutput {
        let output = try ProcessRunner.run(
            ProcessRunner.kyozonBinary, arguments,
            environment: [
                "KYOZON_DATA_DIR": data.path, "KYOZON_TEMPLATES": PackagePaths.path("Templates"),
                "KYOZON_NOW": "2026-12-05T09:00:00+09:00", "KYOZON_TOKEN_KEY": "end-to-end-test-key-of-32-bytes!!",
            ],
            currentDirectory: PackagePaths.root)
        #expect(output.status == status, "kyozon \(arguments.joined(separator: " ")): \(output.stdout)\(output.stderr)")
        return output
    }

    /// Python's email package (policy=default) on each captured message.
    func parsed(_ messages: [CapturedMessage]) throws -> [[String: Any]] {
        try MailCheck.parse(messages.map(\.path))
    }

    static let subscribers = """
        email,name,organization,prefecture,lists,charset
        sato@tokyo-office.hokkaido.example,佐藤 花子,北海道 東京事務所,北海道,kyoei,
        takahashi@tokyo-office.aomori.example,高橋 健,青森県 東京事務所,02,kyoei;municipal,iso-2022-jp
        suzuki@tokyo-office.osaka.example,鈴木 結衣,大阪府 東京事務所,osaka,kyoei,utf-8
        ito@city.kamiyama.example,伊藤 さくら,神山町 総務課,徳島県,municipal,
        """

    static let badAndOtherMonth = """
        [
          {"title": "十月に出された催し", "category": "event", "prefecture": "13", "starts_on": "2026-11-20",
           "summary": "先月の提出です。", "submitted_at": "2026-10-31T23:59:00+09:00", "submitted_by": "東京都"},
          {"title": "県名の誤り", "category": "event", "prefecture": "Tokio", "starts_on": "2026-12-01",
           "summary": "x", "submitted_at": "2026-11-10T10:00:00+09:00", "submitted_by": "?"}
        ]
        """

    @Test func syncImportCollectComposeSendAndNeverTwice() throws {
        try kyozon("lists", "sync")
        try kyozon("subscribers", "import", try data.write("subscribers.csv", Self.subscribers))
        try kyozon("subscribers", "remove", "suzuki@tokyo-office.osaka.example")
        try kyozon("collect", PackagePaths.path("scripts/samples/submissions-2026-11.json"))
        let rejected = try kyozon("collect", try data.write("more.json", Self.badAndOtherMonth), expect: 2)
        #expect(rejected.stderr.contains("more.json: item 2 (line 4) 「県名の誤り」: field \"prefecture\": \"Tokio\" is not a prefecture"), "\(rejected.stderr)")

        let preview = try kyozon("compose", "--month", "2026-11", "--out", data.file("preview"))
        #expect(preview.stdout.contains("items: 8 accepted in 2026-11 (1 rejected"))
        let html = try String(contentsOfFile: data.file("preview/issue.html"), encoding: .utf8)
        #expect(html.contains("北海道どさんこ冬の大物産展") && !html.contains("十月に出された催し"))

        try kyozon("issue", "approve", "--month", "2026-11", "--list", "kyoei")
        let sent = try kyozon("send", "--month", "2026-11")
        #expect(sent.stdout.contains("This run: 2 sent"), "\(sent.stdout)")

        // One message per confirmed subscriber of the list, and none to anyone else.
        let captured = try server.messages()
        // VERP: each envelope sender names its delivery, so a bounce can be tied to it.
        #expect(captured.allSatisfy { $0.mailFrom.hasPrefix("bounces+") && $0.mailFrom.hasSuffix("@kyozon-kyoei.example") })
        #expect(Set(captured.map(\.mailFrom)).count == captured.count)
        #expect(captured.map(\.recipients).sorted { $0[0] < $1[0] } == [
            ["sato@tokyo-office.hokkaido.example"], ["takahashi@tokyo-office.aomori.example"],
        ])
        let titles = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: PackagePaths.path("scripts/samples/submissions-2026-11.json"))))
            as! [[String: Any]]
        for message in try parsed(captured) {
            #expect(message["content_type"] as? String == "multipart/alternative")
            #expect((message["defects"] as? [Any])?.isEmpty == true)
            #expect((message["longest_line"] as? Int ?? 999) <= 998)
            #expect(message["bare_lf"] as? Int == 0)
            let headers = Dictionary((message["headers"] as! [[String]]).map { ($0[0], $0[1]) }) { a, _ in a }
            let decoded = message["decoded"] as! [String: String]
            // 高橋 asked for ISO-2022-JP (an older mail system); 佐藤 gets the default UTF-8.
            let jis = decoded["To"]?.contains("takahashi@") == true
            let charset = jis ? "iso-2022-jp" : "utf-8"
            #expect(headers["Subject"]?.hasPrefix(jis ? "=?ISO-2022-JP?B?" : "=?UTF-8?B?") == true, "the Subject is RFC 2047-encoded")
            #expect(decoded["To"] == (jis ? "高橋 健 <takahashi@tokyo-office.aomori.example>" : "佐藤 花子 <sato@tokyo-office.hokkaido.example>"))
            #expect(decoded["Subject"] == "KYOZON KYOEI 2026年12月号 Vol.1")
            #expect(decoded["From"] == "東京都 政策企画局 地方連携推進担当 <kyozon-kyoei@kyozon-kyoei.example>")
            #expect(headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
            // Every header a bulk message carries, once each, in this order.
            #expect((message["headers"] as! [[String]]).map { $0[0] } == [
                "From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "List-Id", "List-Unsubscribe",
                "List-Unsubscribe-Post", "Precedence", "X-Auto-Response-Suppress", "Content-Type",
            ])
            #expect(decoded["Date"] == "Sat, 5 Dec 2026 09:00:00 +0900")
            #expect(decoded["MIME-Version"] == "1.0" && decoded["Precedence"] == "bulk")
            #expect(decoded["Message-ID"]?.hasPrefix("<kyozon.2026-11.") == true && decoded["Message-ID"]?.hasSuffix("@kyozon-kyoei.example>") == true)
            #expect(decoded["List-Id"]?.hasSuffix("<kyoei.kyozon-kyoei.example>") == true, "\(decoded["List-Id"] ?? "")")
            let unsubscribe = decoded["List-Unsubscribe"] ?? ""
            #expect(unsubscribe.contains("<https://kyozon-kyoei.example/unsubscribe/") && unsubscribe.contains("<mailto:unsubscribe@kyozon-kyoei.example?subject=unsubscribe>"))
            // Encoded words: each at most 75 characters, each decoding alone to whole characters.
            for (_, value) in headers {
                for word in value.split(whereSeparator: { $0 == " " || $0 == "\r" || $0 == "\n" }) where word.hasPrefix("=?") {
                    #expect(word.count <= 75, "\(word)")
                }
            }
            let parts = message["parts"] as! [[String: Any]]
            #expect(parts.map { $0["type"] as? String } == ["text/plain", "text/html"])
            #expect(parts.allSatisfy { $0["charset"] as? String == charset })
            #expect((message["longest_line"] as? Int ?? 999) <= 78, "lines of at most 76 characters and CRLF")
            for part in parts {
                let text = part["text"] as! String
                // Each reader's own prefecture block: 北海道's for 佐藤, 青森県's for 高橋.
                #expect(text.contains("貴県からの掲載"))
                #expect(text.contains(jis ? "（青森県、1件）" : "（北海道、1件）"))
                for item in titles { #expect(text.contains(item["title"] as! String)) }
                #expect(!text.contains("十月に出された催し") && !text.contains("県名の誤り"))
            }
        }

        // A second send delivers nothing new.
        let again = try kyozon("send", "--month", "2026-11", "--list", "kyoei")
        #expect(again.stdout.contains("This run: 0 sent"))
        #expect(try server.messages().count == 2)
    }

    @Test func aRowLeftSendingByACrashIsUncertainAndNotResent() throws {
        try kyozon("lists", "sync")
        try kyozon("subscribers", "import", try data.write("subscribers.csv", Self.subscribers))
        try kyozon("collect", PackagePaths.path("scripts/samples/submissions-2026-11.json"))

        // A run that crashed right after claiming one row: committed `sending`, result never recorded.
        let store = try Store(path: data.file("kyozon.sqlite"))
        let now = Timestamp(rfc3339: "2026-12-05T08:00:00+09:00")!
        let issue = try store.issue(for: IssueMonth("2026-11")!, now: now)
        try store.enqueueDeliveries(issueID: issue.id, list: "kyoei", now: now)
        let claimed = try store.claimDeliveries(issueID: issue.id, limit: 1, now: now)
        #expect(claimed.count == 1)
        try kyozon("issue", "approve", "--month", "2026-11", "--list", "kyoei")

        let resumed = try kyozon("send", "--month", "2026-11", "--list", "kyoei", expect: 2)
        #expect(resumed.stderr.contains("1 delivery(ies) were being sent when an earlier run stopped: marked uncertain"))
        let recipients = try server.messages().flatMap(\.recipients)
        #expect(recipients.count == 2)
        #expect(!recipients.contains(claimed[0].subscriber.email.value), "the uncertain one is not sent again")
        let listing = try kyozon("deliveries", "--month", "2026-11", "--state", "uncertain")
        #expect(listing.stdout.contains(claimed[0].subscriber.email.value))

        // Staff decide to send it again, on purpose; it carries the Message-ID it would have had.
        let resent = try kyozon("deliveries", "resend", "--month", "2026-11")
        #expect(resent.stdout.contains("1 uncertain delivery(ies) queued again"))
        let messages = try server.messages()
        #expect(messages.count == 3)
        let again = try #require(messages.first { $0.recipients == [claimed[0].subscriber.email.value] })
        let instance = try store.instanceID()
        #expect(String(decoding: again.raw, as: UTF8.self).contains("Message-ID: <kyozon.2026-11.\(instance).\(claimed[0].subscriber.id)@kyozon-kyoei.example>"))
        let none = try kyozon("deliveries", "resend", "--month", "2026-11")
        #expect(none.stdout.contains("no uncertain deliveries for 2026-11"))
    }

    @Test func aTestCopyAndADryRunRecordNothing() throws {
        try kyozon("lists", "sync")
        try kyozon("subscribers", "import", try data.write("subscribers.csv", Self.subscribers))
        try kyozon("collect", PackagePaths.path("scripts/samples/submissions-2026-11.json"))
        let test = try kyozon("send", "--month", "2026-11", "--to", "staff@kyozon-kyoei.example")
        #expect(test.stdout.contains("test copy of 【テスト送信】KYOZON KYOEI 2026年12月号 Vol.1 sent to staff@kyozon-kyoei.example"))
        let dry = try kyozon("send", "--month", "2026-11", "--list", "kyoei", "--list", "municipal", "--dry-run", data.file("dry"))
        #expect(dry.stdout.contains("dry run: 4 message(s) written"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: data.file("dry")).count == 4)
        #expect(try server.messages().map(\.recipients) == [["staff@kyozon-kyoei.example"]])
        let decoded = try parsed(try server.messages())[0]["decoded"] as! [String: String]
        #expect(decoded["Subject"] == "【テスト送信】KYOZON KYOEI 2026年12月号 Vol.1")
        #expect(try kyozon("deliveries").stdout.contains("0 delivery(ies)"), "neither is a delivery")
    }

    @Test func aFailingRelayLosesNothing() throws {
        try kyozon("lists", "sync")
        try kyozon("subscribers", "import", try data.write("subscribers.csv", Self.subscribers))
        try kyozon("collect", PackagePaths.path("scripts/samples/submissions-2026-11.json"))
        try kyozon("issue", "approve", "--month", "2026-11", "--list", "kyoei")
        try data.write("down.toml", "[smtp]\nurl = \"smtp://127.0.0.1:1\"\ntls = \"off\"\nconnect_timeout = 5\n")
        let down = try kyozon("send", "--config", data.file("down.toml"), "--month", "2026-11", "--list", "kyoei", expect: 3)
        #expect(down.stderr.contains("the relay failed"))
        // Nothing is uncertain: every row went back to pending, and the next run sends them all.
        let after = try kyozon("send", "--month", "2026-11", "--list", "kyoei")
        #expect(!after.stderr.contains("uncertain"))
        #expect(after.stdout.contains("This run: 3 sent"))
    }

    @Test func helpReadsWell() throws {
        let help = try kyozon("--help")
        for command in ["lists", "subscribers", "collect", "compose", "send", "deliveries"] {
            #expect(help.stdout.contains("  \(command)"), "\(command) is listed")
        }
        let send = try kyozon("send", "--help")
        #expect(send.stdout.contains("--list <ID>"))
        let missing = try kyozon("send", "--month", "2026-11", expect: 1)
        #expect(missing.stderr.contains("the issue for 2026-11 is not approved"), "\(missing.stderr)")
    }

    /// Only the issue staff approved goes out, to the lists approved, and only as approved: a
    /// correction afterwards shows as a change and needs a new approval. A test copy needs none.
    @Test func onlyTheApprovedIssueIsSentAsApproved() throws {
        try kyozon("lists", "sync")
        try kyozon("subscribers", "import", try data.write("subscribers.csv", Self.subscribers))
        try kyozon("collect", PackagePaths.path("scripts/samples/submissions-2026-11.json"))
        let unapproved = try kyozon("send", "--month", "2026-11", "--list", "kyoei", expect: 1)
        #expect(unapproved.stderr.contains("the issue for 2026-11 is not approved"))
        #expect(try kyozon("issue", "show", "--month", "2026-11").stdout.contains("not approved"))
        try kyozon("send", "--month", "2026-11", "--to", "staff@kyozon-kyoei.example")

        try kyozon("issue", "set", "--month", "2026-11", "--lead", "今月は北海道と青森県から届いた冬の催しを中心にお届けします。")
        let approved = try kyozon("issue", "approve", "--month", "2026-11", "--list", "kyoei")
        #expect(approved.stdout.contains("approved: KYOZON KYOEI 2026年12月号 Vol.1 for kyoei by "))
        let otherList = try kyozon("send", "--month", "2026-11", "--list", "municipal", expect: 1)
        #expect(otherList.stderr.contains("approved for kyoei, not municipal"))

        // A typo corrected after approval: the issue has changed, and is not sent until approved again.
        let items = try kyozon("issue", "items", "--month", "2026-11").stdout
        let line = try #require(items.split(separator: "\n").first { $0.contains("北海道どさんこ冬の大物産展") })
        let id = String(line.prefix { $0.isNumber })
        // A correction is checked as a submission is; a refused one changes nothing, not even the good half.
        let emptied = try kyozon("issue", "item", id, "--correct", "venue=札幌", "--correct", "title=", expect: 1)
        #expect(emptied.stderr.contains("field \"title\": is empty; it is required; nothing was changed"), "\(emptied.stderr)")
        let ftp = try kyozon("issue", "item", id, "--correct", "url=ftp://example.jp/x", expect: 1)
        #expect(ftp.stderr.contains("only http:// and https:// URLs are accepted"), "\(ftp.stderr)")
        #expect(!(try kyozon("issue", "items", "--month", "2026-11").stdout.contains("corrected:")))
        try kyozon("issue", "item", id, "--correct", "title=北海道どさんこ冬の大物産展2026")
        #expect(try kyozon("issue", "show", "--month", "2026-11").stdout.contains("CHANGED since"))
        let changed = try kyozon("send", "--month", "2026-11", expect: 1)
        #expect(changed.stderr.contains("has changed since"), "\(changed.stderr)")
        #expect(try server.messages().count == 1, "only the test copy went out")

        try kyozon("issue", "approve", "--month", "2026-11")
        #expect(try kyozon("issue", "show", "--month", "2026-11").stdout.contains("approved by"))
        #expect(try kyozon("send", "--month", "2026-11").stdout.contains("This run: 3 sent"))
        let issue = try #require(try parsed(try server.messages()).last)
        let text = (issue["parts"] as! [[String: Any]])[0]["text"] as! String
        #expect(text.contains("北海道どさんこ冬の大物産展2026") && text.contains("今月は北海道と青森県から届いた冬の催しを中心に"))
        let items2 = try kyozon("issue", "items", "--month", "2026-11").stdout
        #expect(items2.contains("corrected: title"))
    }
}
