import Foundation
import KyozonTestSupport
import Testing

@testable import KyozonDKIM

/// Signatures checked by a real verifier: Debian's python3-dkim, with the public key given locally.
@Suite struct DKIMSignerTests {
    let keys: TemporaryDirectory
    let signer: DKIMSigner

    init() throws {
        keys = try TemporaryDirectory("kyozon-dkim")
        let made = try ProcessRunner.run(
            "/usr/bin/openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", keys.file("private.pem")])
        #expect(made.status == 0, "\(made.stderr)")
        let der = try ProcessRunner.run("/usr/bin/openssl", ["pkey", "-in", keys.file("private.pem"), "-pubout", "-outform", "DER", "-out", keys.file("public.der")])
        #expect(der.status == 0)
        try keys.write("public.b64", try Data(contentsOf: URL(fileURLWithPath: keys.file("public.der"))).base64EncodedString())
        signer = try DKIMSigner(
            domain: "kyozon-kyoei.example", selector: "kyozon2026",
            privateKeyPEM: try String(contentsOfFile: keys.file("private.pem"), encoding: .utf8))
    }

    static let message = [
        "From: =?UTF-8?B?5p2x5Lqs6YO9?= <kyozon@kyozon-kyoei.example>", "To: <sato@pref.example.lg.jp>",
        "Subject: =?UTF-8?B?S1lPWk9OIEtZT0VJIDIwMjblubQxMuaciOWPtw==?=", "Date: Sat, 5 Dec 2026 09:00:00 +0900",
        "Message-ID: <kyozon.2026-11.abc.7@kyozon-kyoei.example>", "MIME-Version: 1.0",
        "List-Id: KYOZON KYOEI <kyoei.kyozon-kyoei.example>",
        "List-Unsubscribe:\r\n <https://kyozon-kyoei.example/unsubscribe/7.abc>",
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click", "Content-Type: text/plain; charset=UTF-8", "",
        "Body line   with  spaces  ", "", "", "",
    ].joined(separator: "\r\n")

    func verify(_ bytes: [UInt8]) throws -> [String] {
        let out = try ProcessRunner.run(
            PackagePaths.python, [PackagePaths.path("Tests/Support/dkim_check.py"), keys.file("public.b64")], stdin: Data(bytes))
        #expect(out.status == 0, "\(out.stderr)")
        return out.stdout.split(separator: "\n").map(String.init)
    }

    @Test func aSignedMessageVerifiesWithTheOneClickHeadersSigned() throws {
        let signed = try signer.sign(Array(Self.message.utf8), at: Int64(Date().timeIntervalSince1970))
        let text = String(decoding: signed, as: UTF8.self)
        #expect(text.hasPrefix("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;\r\n\td=kyozon-kyoei.example; s=kyozon2026;"))
        let header = text.components(separatedBy: "\r\n\r\n")[0].replacingOccurrences(of: "\r\n\t", with: "")
        #expect(header.contains("h=from:to:subject:date:message-id:mime-version:content-type:list-id:list-unsubscribe:list-unsubscribe-post;"))
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        #expect(try verify(signed).first == "pass")
    }

    @Test func anAlteredMessageFails() throws {
        let signed = String(decoding: try signer.sign(Array(Self.message.utf8), at: Int64(Date().timeIntervalSince1970)), as: UTF8.self)
        for tampered in [
            signed.replacingOccurrences(of: "unsubscribe/7.abc", with: "unsubscribe/8.abc"),
            signed.replacingOccurrences(of: "Body line", with: "Body lime"),
        ] {
            #expect(try verify(Array(tampered.utf8)).first == "fail")
        }
    }

    @Test func relaxedCanonicalizationFollowsTheRFC() {
        #expect(DKIMSigner.relaxedHeader("Subject", " a  \t b \r\n c ") == "subject:a b c")
        #expect(DKIMSigner.relaxedBody("a  b \r\n\r\n\r\n") == "a b\r\n")
        #expect(DKIMSigner.relaxedBody("\r\n\r\n") == "")
    }

    @Test func aWeakOrBrokenKeyIsRefused() {
        #expect(throws: DKIMError.self) { try DKIMSigner(domain: "d", selector: "s", privateKeyPEM: "not a key") }
    }
}
