import Foundation
import KyozonDomain
import KyozonStore
import KyozonTestSupport
import Testing

/// The monthly run as the timer fires it, with time set by KYOZON_NOW: the first of the month
/// (nothing), the send day unapproved (nothing sent, staff reminded), two runs at once after
/// approval (every officer gets one copy, staff one report), the same run fired again
/// (nothing), and a run weeks late (refused, and said why). Real SMTP server, real binary.
@Suite struct MonthlyRunEndToEndTests {
    let data: TemporaryDirectory
    let server: SMTPCaptureServer
    static let staff = "kyoei-team@metro.tokyo.lg.jp"

    init() throws {
        data = try TemporaryDirectory("kyozon-monthly")
        server = try SMTPCaptureServer()
        try data.write(
            "kyozon.toml", "[smtp]\nurl = \"\(server.url)\"\ntls = \"off\"\n\n[staff]\nnotify = [\"\(Self.staff)\"]\n")
    }

    func environment(_ now: String) -> [String: String] {
        [
            "KYOZON_DATA_DIR": data.path, "KYOZON_TEMPLATES": PackagePaths.path("Templates"), "KYOZON_NOW": now,
            "KYOZON_TOKEN_KEY": "monthly-run-test-key-of-32-bytes!",
        ]
    }

    @discardableResult
    func kyozon(_ arguments: String..., now: String, expect status: Int32 = 0) throws -> ProcessOutput {
        let output = try ProcessRunner.run(ProcessRunner.kyozonBinary, arguments, environment: environment(now), currentDirectory: PackagePaths.root)
        #expect(output.status == status, "kyozon \(arguments.joined(separator: " ")) at \(now): \(output.stdout)\(output.stderr)")
        return output
    }

    func subjects(to address: String) throws -> [String] {
        let captured = try server.messages().filter { $0.recipients == [address] }
        guard !captured.isEmpty else { return [] }
        let parsed = try MailCheck.parse(captured.map(\.path))
        return parsed.map { ($0["decoded"] as? [String: String])?["Subject"] ?? "" }
    }

    @Test func sendsOnTheSendDayOnceAndOnlyWhenApproved() throws {
        let setup = "2026-11-30T09:00:00+09:00"
        try kyozon("lists", "sync", now: setup)
        try kyozon("subscribers", "import", try data.write("s.csv", SendIssueEndToEndTests.subscribers), now: setup)
        try kyozon("collect", PackagePaths.path("scripts/samples/submissions-2026-11.json"), now: setup)
        let office = "tokyo-office@pref.hokkaido.example"
        let token = try kyozon("submitters", "add", "--office", "北海道 東京事務所", "--prefecture", "北海道", "--email", office, now: setup)
        #expect(token.stdout.contains("form:   https://kyozon-kyoei.example/submit/"))

        // The first of the month: nothing to do, nothing mailed.
        let first = try kyozon("run-monthly", now: "2026-12-01T09:00:00+09:00")
        #expect(first.stdout.contains("nothing to do today (2026-12-01); the next issue goes out on 2026-12-05"))
        #expect(try server.messageCount() == 0)

        // The send day, not approved: nothing sent, staff reminded.
        let held = try kyozon("run-monthly", now: "2026-12-05T09:00:00+09:00", expect: 2)
        #expect(held.stderr.contains("is not approved, so nothing was sent today"))
        #expect(try server.messages().map(\.recipients) == [[Self.staff]])
        #expect(try subjects(to: Self.staff) == ["【KYOZON KYOEI】承認待ち：KYOZON KYOEI 2026年12月号 Vol.1"])

        // Approved; then the timer and a person fire it at the same moment: it sends once.
        try kyozon("issue", "approve", "--month", "2026-11", "--list", "kyoei", "--list", "municipal", now: "2026-12-05T10:00:00+09:00")
        let runs = try (0..<2).map { _ -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ProcessRunner.kyozonBinary)
            process.arguments = ["run-monthly"]
            process.environment = ProcessInfo.processInfo.environment.merging(environment("2026-12-05T11:00:00+09:00")) { $1 }
            process.currentDirectoryURL = URL(fileURLWithPath: PackagePaths.root)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for run in runs { run.waitUntilExit() }
        #expect(runs.map(\.terminationStatus) == [0, 0])
        let officers = try server.messages().flatMap(\.recipients).filter { $0 != Self.staff }
        #expect(officers.filter { $0 != office }.sorted() == [
            "ito@city.kamiyama.example", "sato@tokyo-office.hokkaido.example", "suzuki@tokyo-office.osaka.example",
            "takahashi@tokyo-office.aomori.example",
        ], "every officer once, however many runs fired")
        let staffMail = try subjects(to: Self.staff)
        #expect(staffMail.filter { $0.hasPrefix("【KYOZON KYOEI】送信報告") } == ["【KYOZON KYOEI】送信報告：KYOZON KYOEI 2026年12月号 Vol.1"])
        let report = try #require(try server.messages().last { $0.recipients == [Self.staff] })
        let reportText = try ProcessRunner.run(PackagePaths.python, [PackagePaths.path("Tests/Support/mail_check.py"), report.path]).stdout
        #expect(reportText.contains("送信済み：4件"), "\(reportText)")

        // The office that has an address hears what became of its items.
        #expect(try subjects(to: office) == ["【KYOZON KYOEI】2026年12月号 掲載結果のお知らせ"])
        let officeMail = try #require(try server.messages().first { $0.recipients == [office] })
        let officeText = try ProcessRunner.run(PackagePaths.python, [PackagePaths.path("Tests/Support/mail_check.py"), officeMail.path]).stdout
        #expect(officeText.contains("北海道どさんこ冬の大物産展"), "\(officeText)")
        let files = try kyozon("reports", "--month", "2026-11", "--out", data.file("reports"), now: "2026-12-05T12:00:00+09:00")
        #expect(files.stdout.contains("report-北海道_東京事務所.txt: 1 published, 0 left out, 0 refused"), "\(files.stdout)")

        // Fired again the next day (a timer catching up): nothing more.
        let again = try kyozon("run-monthly", now: "2026-12-06T09:00:00+09:00")
        #expect(again.stdout.contains("the issue for 2026-11 was sent at"))
        #expect(try server.messageCount() == 7)

        // Weeks late for December's issue (say, a restored backup): refused, and staff told why.
        let late = try kyozon("run-monthly", now: "2027-01-20T09:00:00+09:00", expect: 2)
        #expect(late.stderr.contains("the issue for 2026-12 was due on 2027-01-05, 15 days ago, past issue.late_days (3)"), "\(late.stderr)")
        #expect(try subjects(to: Self.staff).last == "【KYOZON KYOEI】2027年1月号は送信されていません")
        let staffMails = try server.messages().filter { $0.recipients == [Self.staff] }.count
        try kyozon("run-monthly", now: "2027-01-21T09:00:00+09:00", expect: 2)
        #expect(try server.messages().filter { $0.recipients == [Self.staff] }.count == staffMails, "told once, not every morning")
        #expect(try server.messages().flatMap(\.recipients).filter { $0 != Self.staff && $0 != office }.count == 4)
    }

    /// A backup taken while `kyozon serve` has the store open is a complete, consistent copy
    /// that kyozon opens as its store.
    @Test func aBackupWhileTheServerRunsIsConsistent() throws {
        let now = "2026-12-05T09:00:00+09:00"
        try kyozon("lists", "sync", now: now)
        try kyozon("subscribers", "import", try data.write("s.csv", SendIssueEndToEndTests.subscribers), now: now)
        let serve = try BackgroundProcess(
            ProcessRunner.kyozonBinary, ["serve", "--port", "0", "--outbox-every", "1"], environment: environment(now),
            readyPrefix: "kyozon serve: ", errorLog: data.file("serve.log"))
        let copy = data.file("copy.sqlite")
        let backup = try kyozon("backup", copy, now: now)
        #expect(backup.stdout.contains("integrity ok"))
        _ = try kyozon("backup", copy, now: now, expect: 1)
        serve.stop()

        let restored = try TemporaryDirectory("kyozon-restored")
        try FileManager.default.copyItem(atPath: copy, toPath: restored.file("kyozon.sqlite"))
        let list = try ProcessRunner.run(
            ProcessRunner.kyozonBinary, ["subscribers", "list"], environment: ["KYOZON_DATA_DIR": restored.path], currentDirectory: PackagePaths.root)
        #expect(list.status == 0)
        #expect(list.stdout.contains("takahashi@tokyo-office.aomori.example") && list.stdout.contains("ito@city.kamiyama.example"))
    }

    /// A store restored from a backup taken before the send does not send the issue again:
    /// the mark the send left outside the database stops it.
    @Test func aStoreRestoredFromBeforeTheSendDoesNotSendAgain() throws {
        let now = "2026-12-05T09:00:00+09:00"
        try kyozon("lists", "sync", now: now)
        try kyozon("subscribers", "import", try data.write("s.csv", SendIssueEndToEndTests.subscribers), now: now)
        try kyozon("collect", PackagePaths.path("scripts/samples/submissions-2026-11.json"), now: now)
        try kyozon("issue", "approve", "--month", "2026-11", "--list", "kyoei", now: now)
        try kyozon("backup", data.file("before-send.sqlite"), now: now)
        try kyozon("send", "--month", "2026-11", now: now)
        let sent = try server.messageCount()
        #expect(sent == 3)

        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: data.file("kyozon.sqlite" + suffix)) }
        try FileManager.default.copyItem(atPath: data.file("before-send.sqlite"), toPath: data.file("kyozon.sqlite"))
        let again = try kyozon("send", "--month", "2026-11", now: "2026-12-06T09:00:00+09:00", expect: 1)
        #expect(again.stderr.contains("was the store restored from an older backup?"), "\(again.stderr)")
        #expect(try server.messageCount() == sent, "nobody gets it twice")
    }
}
