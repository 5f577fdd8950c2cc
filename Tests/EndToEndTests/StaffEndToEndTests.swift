import Foundation
import KyozonDomain
import KyozonStore
import KyozonTestSupport
import Testing

/// Staff looking after the subscriber store with the built binary: export and import as Excel
/// does (CP932), block, move an officer to a new address, show a history, erase on request.
@Suite struct StaffEndToEndTests {
    let data: TemporaryDirectory

    init() throws {
        data = try TemporaryDirectory("kyozon-staff")
    }

    @discardableResult
    func kyozon(_ arguments: String..., in folder: String? = nil, expect status: Int32 = 0) throws -> ProcessOutput {
        let output = try ProcessRunner.run(
            ProcessRunner.kyozonBinary, arguments,
            environment: [
                "KYOZON_DATA_DIR": folder ?? data.path, "KYOZON_NOW": "2026-12-05T09:00:00+09:00",
                "KYOZON_TOKEN_KEY": "staff-test-key-of-thirty-two-b!!",
            ],
            currentDirectory: PackagePaths.root)
        #expect(output.status == status, "kyozon \(arguments.joined(separator: " ")): \(output.stdout)\(output.stderr)")
        return output
    }

    @Test func exportImportBlockMoveShowAndErase() throws {
        try kyozon("lists", "sync")
        try kyozon("subscribers", "import", try data.write("s.csv", SendIssueEndToEndTests.subscribers))

        // An export in CP932 (Excel's "CSV") imports into another store as it was.
        let export = try kyozon("subscribers", "export", data.file("out.csv"), "--encoding", "cp932")
        #expect(export.stdout.contains("out.csv: 4 subscriber(s), cp932"))
        let other = try TemporaryDirectory("kyozon-staff-other")
        try kyozon("lists", "sync", in: other.path)
        let imported = try kyozon("subscribers", "import", data.file("out.csv"), in: other.path)
        #expect(imported.stdout.contains("(CP932): 4 good row(s), 0 bad row(s) skipped"), "\(imported.stdout)")
        #expect(try kyozon("subscribers", "list", in: other.path).stdout == (try kyozon("subscribers", "list").stdout))

        // Staff may add an address outside a list's allow-list: subscribed, with a warning.
        let outside = try kyozon("subscribers", "import", try data.write("outside.csv", "email,name,organization,prefecture,lists\nkoho@gmail.com,広報,,,kyoei\n"))
        #expect(outside.stderr.contains("outside.csv:2: koho@gmail.com is outside the allow-list of kyoei (metro.tokyo.lg.jp, *.lg.jp, pref.*.jp, *.example)"), "\(outside.stderr)")
        #expect(outside.stdout.contains("1 new subscriber(s); 1 subscription(s) added"))

        // Blocked: listed as such, and never imported again.
        #expect(try kyozon("subscribers", "block", "suzuki@tokyo-office.osaka.example", "--reason", "asked by phone").stdout
            .contains("blocked"))
        #expect(try kyozon("subscribers", "list").stdout.contains("suzuki@tokyo-office.osaka.example\t鈴木 結衣\t大阪府 東京事務所\tkyoei(confirmed) [blocked]"))

        // April: an officer moves; lists, consent and history go with them.
        try kyozon("subscribers", "change-address", "sato@tokyo-office.hokkaido.example", "sato.h@pref.hokkaido.example")
        try kyozon("subscribers", "history", "sato@tokyo-office.hokkaido.example", expect: 1)
        let history = try kyozon("subscribers", "history", "sato.h@pref.hokkaido.example", "--json").stdout
        let json = try #require(try JSONSerialization.jsonObject(with: Data(history.utf8)) as? [String: Any])
        #expect(json["email"] as? String == "sato.h@pref.hokkaido.example" && json["name"] as? String == "佐藤 花子")
        let subscription = try #require((json["subscriptions"] as? [[String: Any]])?.first)
        #expect(subscription["list"] as? String == "kyoei" && subscription["status"] as? String == "confirmed")
        #expect(subscription["consent_method"] as? String == "import")
        #expect((subscription["consent_source"] as? String)?.hasSuffix("s.csv line 2") == true)
        let events = (json["events"] as? [[String: Any]] ?? []).compactMap { $0["event"] as? String }
        #expect(events.suffix(1) == ["address changed"])
        try kyozon("subscribers", "change-address", "sato.h@pref.hokkaido.example", "takahashi@tokyo-office.aomori.example", expect: 1)

        // Erased at their request: no personal data left, and the address never comes back.
        // A mail still waiting for them, with their name; and the request spelt in other case.
        _ = try Store(path: data.file("kyozon.sqlite")).enqueueMail(
            kind: "welcome", to: try EmailAddress("takahashi@tokyo-office.aomori.example"), subject: "ようこそ", body: "高橋 健 様\n",
            now: Timestamp(rfc3339: "2026-12-05T09:00:00+09:00")!)
        let erased = try kyozon("subscribers", "erase", "Takahashi@Tokyo-Office.Aomori.example").stdout
        #expect(erased.contains("erased (now erased."))
        let list = try kyozon("subscribers", "list").stdout
        #expect(!list.contains("takahashi") && !list.contains("高橋"))
        let again = try kyozon("subscribers", "import", try data.write("again.csv", SendIssueEndToEndTests.subscribers), expect: 2)
        #expect(again.stderr.contains("takahashi@tokyo-office.aomori.example kyoei: the address was erased at its owner's request"), "\(again.stderr)")
        let database = try Data(contentsOf: URL(fileURLWithPath: data.file("kyozon.sqlite")))
            + ((try? Data(contentsOf: URL(fileURLWithPath: data.file("kyozon.sqlite-wal")))) ?? Data())
        #expect(database.range(of: Data("takahashi@tokyo-office.aomori.example".utf8)) == nil, "not even in the database file")
        #expect(database.range(of: Data("高橋 健".utf8)) == nil, "nor their name in a mail that waited for them")
        #expect(try kyozon("outbox", "list").stdout.contains("failed     welcome  erased."), "and that mail is never sent")
    }

    @Test func aHundredThousandRowsImportWithTheBadOnesReported() throws {
        try kyozon("lists", "sync")
        var csv = "email,name,organization,prefecture,lists\r\n"
        for n in 1...100_000 {
            // Every 10,000th row is bad: the rows around it must still be imported.
            let email = n % 10_000 == 0 ? "broken-\(n)" : "officer\(n)@pref\(n % 47 + 1).example.lg.jp"
            csv += "\(email),職員 \(n),東京事務所 第\(n % 9 + 1)課,\(n % 47 + 1),\(n % 3 == 0 ? "kyoei;municipal" : "kyoei")\r\n"
        }
        let file = data.file("big.csv")
        try #require(csv.data(using: .shiftJIS)).write(to: URL(fileURLWithPath: file))
        let out = try kyozon("subscribers", "import", file, expect: 2)
        #expect(out.stdout.contains("(CP932): 99990 good row(s), 10 bad row(s) skipped"), "\(out.stdout)")
        #expect(out.stdout.contains("99990 new subscriber(s)"))
        #expect(out.stderr.contains("big.csv:10001: email \"broken-10000\""), "reported by physical line")
        let lists = try kyozon("lists", "list").stdout
        #expect(lists.contains("99990"), "\(lists)")
    }
}
