import Foundation
import KyozonTestSupport
import Testing

/// Mail coming back, through the built binary: Postfix-shaped delivery reports to the VERP
/// addresses of a real send, a mail to the unsubscribe address, forgeries and junk.
@Suite struct InboundEndToEndTests {
    let data: TemporaryDirectory
    let server: SMTPCaptureServer
    let environment: [String: String]

    init() throws {
        data = try TemporaryDirectory("kyozon-inbound")
        server = try SMTPCaptureServer()
        try data.write("kyozon.toml", "[smtp]\nurl = \"\(server.url)\"\ntls = \"off\"\n")
        environment = [
            "KYOZON_DATA_DIR": data.path, "KYOZON_TEMPLATES": PackagePaths.path("Templates"),
            "KYOZON_NOW": "2026-12-05T09:00:00+09:00", "KYOZON_TOKEN_KEY": "inbound-test-key-of-32-bytes-ok!",
        ]
    }

    @discardableResult
    func kyozon(_ arguments: [String], stdin: String? = nil, expect status: Int32 = 0) throws -> ProcessOutput {
        let output = try ProcessRunner.run(
            ProcessRunner.kyozonBinary, arguments, environment: environment, currentDirectory: PackagePaths.root,
            stdin: stdin.map { Data($0.replacingOccurrences(of: "\n", with: "\r\n").utf8) })
        #expect(output.status == status, "kyozon \(arguments.joined(separator: " ")): \(output.stdout)\(output.stderr)")
        return output
    }

    func fixture(_ name: String, _ values: [String: String]) throws -> String {
        var text = try String(contentsOfFile: PackagePaths.path("Tests/KyozonInboundTests/Fixtures/\(name)"), encoding: .utf8)
        for (key, value) in values { text = text.replacingOccurrences(of: "{{\(key)}}", with: value) }
        return text
    }

    func bounce(verp: String, to recipient: String, reason: String) throws -> String {
        try fixture("postfix-bounce.eml", [
            "VERP": verp, "RCPT": recipient, "MSGID": "<kyozon.2026-11.x.1@kyozon-kyoei.example>", "STATUS": "5.1.1",
            "CODE": "550", "ACTION": "failed", "REASON": reason,
        ])
    }

    @Test func bouncesCountUnsubscribeRequestsActAndJunkIsKept() throws {
        try kyozon(["lists", "sync"])
        try kyozon(["subscribers", "import", try data.write("s.csv", SendIssueEndToEndTests.subscribers)])
        try kyozon(["collect", PackagePaths.path("scripts/samples/submissions-2026-11.json")])
        try kyozon(["issue", "approve", "--month", "2026-11", "--list", "kyoei"])
        try kyozon(["send", "--month", "2026-11"])
        let sato = "sato@tokyo-office.hokkaido.example"
        let verp = try #require(try server.messages().first { $0.recipients == [sato] }?.mailFrom)

        // Three hard bounces (as Postfix writes them) mark the reader bounced; a copy of one counts once.
        let first = try bounce(verp: verp, to: sato, reason: "User unknown in virtual mailbox table")
        #expect(try kyozon(["inbound", "--recipient", verp], stdin: first).stdout.contains("hard bounce counted"))
        #expect(try kyozon(["inbound", "--recipient", verp], stdin: first).stdout.contains("already read; nothing done"))
        try kyozon(["inbound"], stdin: try bounce(verp: verp, to: sato, reason: "Mailbox disabled"))
        #expect(try !kyozon(["subscribers", "list"]).stdout.contains("\(sato)\t佐藤 花子\t北海道 東京事務所\tkyoei(confirmed) [bounced]"))
        let third = try kyozon(["inbound"], stdin: try bounce(verp: verp, to: sato, reason: "No such user"))
        #expect(third.stdout.contains("the subscriber is now bounced"), "\(third.stdout)")
        #expect(try kyozon(["subscribers", "list"]).stdout.contains("\(sato)\t佐藤 花子\t北海道 東京事務所\tkyoei(confirmed) [bounced]"))

        // A forged token ties nothing; it is kept and listed.
        let forged = "bounces+1.AAAAAAAAAAAAAAAAAAAAAA@kyozon-kyoei.example"
        let refused = try kyozon(["inbound", "--recipient", forged], stdin: try bounce(verp: forged, to: sato, reason: "x"), expect: 2)
        #expect(refused.stdout.contains("token does not verify"))

        // A refusal of our content (5.7.1) is kept as a policy report and counts against nobody.
        let takahashi = "takahashi@tokyo-office.aomori.example"
        let takahashiVERP = try #require(try server.messages().first { $0.recipients == [takahashi] }?.mailFrom)
        let policy = try fixture("postfix-bounce.eml", [
            "VERP": takahashiVERP, "RCPT": takahashi, "MSGID": "<kyozon.2026-11.x.2@kyozon-kyoei.example>", "STATUS": "5.7.1",
            "CODE": "554", "ACTION": "failed", "REASON": "Message rejected as spam by content filter",
        ])
        let refusedContent = try kyozon(["inbound"], stdin: policy).stdout
        #expect(refusedContent.contains(": policy: delivery ") && refusedContent.contains("a policy refusal of our content; not counted"), "\(refusedContent)")
        #expect(try kyozon(["inbound", "list", "--kind", "policy"]).stdout.contains("1 mail(s)"))
        #expect(try kyozon(["subscribers", "history", takahashi]).stdout.contains("bounce score 0.0"))

        // A mail to the List-Unsubscribe address unsubscribes its sender from every list.
        let request = try fixture("unsubscribe.eml", ["FROM": takahashi, "TO": "unsubscribe@kyozon-kyoei.example"])
        #expect(try kyozon(["inbound"], stdin: request).stdout.contains("unsubscribed from kyoei, municipal"))
        #expect(try kyozon(["subscribers", "list"]).stdout.contains("\(takahashi)\t高橋 健\t青森県 東京事務所\tkyoei(unsubscribed) municipal(unsubscribed)"))

        // Junk and out-of-office replies are kept, listed, and change nothing.
        let junk = try String(contentsOfFile: PackagePaths.path("Tests/KyozonInboundTests/Fixtures/junk.eml"), encoding: .utf8)
        try kyozon(["inbound"], stdin: junk, expect: 2)
        let listed = try kyozon(["inbound", "list", "--kind", "unrecognised"]).stdout
        #expect(listed.contains("2 mail(s)"), "\(listed)")
        #expect(try kyozon(["inbound", "list"]).stdout.contains("7 mail(s)"))
    }

    @Test func aMaildirIsReadWholeAndOnlyOnce() throws {
        try kyozon(["lists", "sync"])
        try kyozon(["subscribers", "import", try data.write("s.csv", SendIssueEndToEndTests.subscribers)])
        for folder in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(atPath: data.file("Maildir/\(folder)"), withIntermediateDirectories: true)
        }
        _ = try data.write("Maildir/new/1.mail", try fixture("unsubscribe.eml", ["FROM": "ito@city.kamiyama.example", "TO": "unsubscribe+municipal@kyozon-kyoei.example"]))
        _ = try data.write("Maildir/cur/2.mail:2,S", try String(contentsOfFile: PackagePaths.path("Tests/KyozonInboundTests/Fixtures/auto-reply.eml"), encoding: .utf8))
        let out = try kyozon(["inbound", "--maildir", data.file("Maildir")], expect: 2)
        #expect(out.stdout.contains("new/1.mail: unsubscribe: unsubscribe request from ito@city.kamiyama.example for municipal — unsubscribed from municipal"), "\(out.stdout)")
        #expect(out.stdout.contains("cur/2.mail:2,S: unrecognised: an automatic reply to the unsubscribe address"))
        let again = try kyozon(["inbound", "--maildir", data.file("Maildir")], expect: 2)
        #expect(again.stdout.components(separatedBy: "already read; nothing done").count == 3)
        try kyozon(["inbound", "--maildir", data.file("nowhere")], expect: 1)
    }
}
