import Foundation
import KyozonDomain
import KyozonStore
import KyozonTestSupport
import Testing

/// Mails that are not issues go through the outbox: written by whoever needs one (later the
/// web server, without waiting on SMTP), sent by `kyozon outbox send` through libcurl to a
/// real SMTP server, each once.
@Suite struct OutboxEndToEndTests {
    @Test func queuedMailsAreSentOnceAndRecorded() throws {
        let data = try TemporaryDirectory("kyozon-outbox")
        let server = try SMTPCaptureServer()
        try data.write("kyozon.toml", "[smtp]\nurl = \"\(server.url)\"\ntls = \"off\"\n")
        let store = try Store(path: data.file("kyozon.sqlite"))
        let now = Timestamp(rfc3339: "2026-12-05T09:00:00+09:00")!
        let body = "KYOZON KYOEI への登録を受け付けました。\n次のリンクから確認してください（7日間有効）。\nhttps://kyozon-kyoei.example/confirm/abc\n"
        try store.enqueueMail(kind: "confirm", to: try EmailAddress("sato@pref.example.lg.jp"), subject: "【KYOZON KYOEI】登録の確認", body: body, now: now)
        try store.enqueueMail(kind: "welcome", to: try EmailAddress("rcpt-550@x.jp"), subject: "ようこそ", body: "ようこそ\n", now: now)
        func kyozon(_ arguments: String..., expect status: Int32) throws -> ProcessOutput {
            let out = try ProcessRunner.run(
                ProcessRunner.kyozonBinary, arguments, environment: ["KYOZON_DATA_DIR": data.path, "KYOZON_NOW": "2026-12-05T09:00:00+09:00"])
            #expect(out.status == status, "\(out.stdout)\(out.stderr)")
            return out
        }
        #expect(try kyozon("outbox", "send", expect: 2).stdout.contains("Outbox: 1 sent, 0 deferred, 1 failed, 0 uncertain"))
        #expect(try kyozon("outbox", "send", expect: 0).stdout.contains("Outbox: 0 sent"), "nothing twice")
        let captured = try server.messages()
        #expect(captured.map(\.recipients) == [["sato@pref.example.lg.jp"]])
        let out = try ProcessRunner.run(PackagePaths.python, [PackagePaths.path("Tests/Support/mail_check.py"), captured[0].path])
        let message = try #require((try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]])?.first)
        let decoded = try #require(message["decoded"] as? [String: String])
        #expect(decoded["Subject"] == "【KYOZON KYOEI】登録の確認")
        #expect(decoded["Auto-Submitted"] == "auto-generated")
        #expect((message["parts"] as? [[String: Any]])?.first?["text"] as? String == body.replacingOccurrences(of: "\n", with: "\r\n")
            || (message["parts"] as? [[String: Any]])?.first?["text"] as? String == body)
        let listed = try kyozon("outbox", "list", expect: 0).stdout
        #expect(listed.contains("failed     welcome  rcpt-550@x.jp  ようこそ  550"), "\(listed)")
    }
}
