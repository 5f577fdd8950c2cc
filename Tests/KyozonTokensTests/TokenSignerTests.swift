import Foundation
import Testing

@testable import KyozonTokens

@Suite struct TokenSignerTests {
    let signer = TokenSigner(key: Array("0123456789abcdef0123456789abcdef".utf8))

    @Test func aTokenVerifiesForItsPurposeOnly() {
        let token = signer.token(purpose: "unsubscribe", subject: "42")
        #expect(token.hasPrefix("42."))
        #expect(signer.subject(of: token, purpose: "unsubscribe") == "42")
        #expect(signer.subject(of: token, purpose: "confirm") == nil)
    }

    @Test func forgedOrAlteredTokensAreRefused() {
        let token = signer.token(purpose: "unsubscribe", subject: "42")
        let signature = token.split(separator: ".")[1]
        #expect(signer.subject(of: "43.\(signature)", purpose: "unsubscribe") == nil)
        #expect(signer.subject(of: "42.\(signature.dropLast())", purpose: "unsubscribe") == nil)
        #expect(signer.subject(of: "42", purpose: "unsubscribe") == nil)
        let other = TokenSigner(key: Array("another key of thirty-two bytes!".utf8))
        #expect(other.subject(of: token, purpose: "unsubscribe") == nil)
    }

    @Test func tokensAreURLSafe() {
        for n in 0..<200 {
            let token = signer.token(purpose: "unsubscribe", subject: String(n))
            #expect(token.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) })
        }
    }

    @Test func base64URLMatchesFoundationsBase64ForEveryLength() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...40 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let expected = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            let actual = bytes.withUnsafeBytes { TokenSigner.base64URL($0[...]) }
            #expect(actual == expected, "length \(length)")
        }
    }

    @Test func tokensKeepTheirFormSoLinksInPastIssuesStillWork() {
        // HMAC-SHA256 of "kyozon/unsubscribe/42", 16 bytes, base64url (computed with Python's
        // hmac): a change of encoding must not break the links in issues already sent.
        #expect(signer.token(purpose: "unsubscribe", subject: "42") == "42.Au9Ul2gthOwMo9qSUYOqdA")
    }

    @Test func afterARotationOldLinksStillWorkAndNewOnesUseTheNewKey() {
        let old = Array("0123456789abcdef0123456789abcdef".utf8)
        let new = Array("a brand new key of thirty-two b!".utf8)
        let oldLink = TokenSigner(key: old).token(purpose: "unsubscribe", subject: "42")
        let rotated = TokenSigner(key: new, previous: [old])
        #expect(rotated.subject(of: oldLink, purpose: "unsubscribe") == "42", "a link in a past issue")
        let newLink = rotated.token(purpose: "unsubscribe", subject: "42")
        #expect(newLink != oldLink)
        #expect(TokenSigner(key: old).subject(of: newLink, purpose: "unsubscribe") == nil, "signed with the new key")
        #expect(TokenSigner(key: new).subject(of: oldLink, purpose: "unsubscribe") == nil, "without the previous key it fails")
        #expect(rotated.subject(of: oldLink, purpose: "confirm") == nil, "still bound to its purpose")
        #expect(rotated.digests(purpose: "suppress", of: "a@x.jp") == [
            TokenSigner(key: new).digest(purpose: "suppress", of: "a@x.jp"), TokenSigner(key: old).digest(purpose: "suppress", of: "a@x.jp"),
        ])
    }

    @Test func timedTokensExpireAndCannotBeBackdated() throws {
        let now: Int64 = 1_796_000_000
        let token = signer.timedToken(purpose: "confirm", subject: "42", issuedAt: now)
        let week: Int64 = 7 * 86400
        let fresh = try #require(signer.timedSubject(of: token, purpose: "confirm", now: now + week, maxAge: week))
        #expect(fresh.subject == "42" && fresh.issuedAt == now)
        #expect(signer.timedSubject(of: token, purpose: "confirm", now: now + week + 1, maxAge: week) == nil, "expired after 7 days")
        #expect(signer.timedSubject(of: token, purpose: "confirm", now: now - 3600, maxAge: week) == nil, "not from the future")
        let stretched = token.replacingOccurrences(of: "~\(now)", with: "~\(now + week)")
        #expect(signer.timedSubject(of: stretched, purpose: "confirm", now: now + week + 10, maxAge: week) == nil, "the time is signed")
        #expect(signer.timedSubject(of: token, purpose: "unsubscribe", now: now, maxAge: week) == nil)
    }
}
