import Testing

@testable import KyozonDomain

@Suite struct EmailAddressTests {
    @Test(arguments: ["a@b.jp", "sato.hanako@pref.hokkaido.lg.jp", "x+tag@Example.ORG", "o'brien@ex-ample.jp"])
    func acceptsOrdinaryAddresses(text: String) throws {
        #expect(try EmailAddress(text).value == text)
    }

    /// libcurl passes CR/LF and spaces in MAIL FROM / RCPT TO onto the wire: none may pass.
    @Test(arguments: [
        "", "a", "a@b", "a@@b.jp", "a b@c.jp", "a@b.jp\r\nRCPT TO:<x@y.jp>", "a@b.jp\nx", "<a@b.jp>", "山田@b.jp",
        "a@例え.jp", ".a@b.jp", "a..b@c.jp", "a@-b.jp", "a@b..jp", "a\u{0}@b.jp", "\"a b\"@c.jp",
    ])
    func refusesWhatCouldBreakAnEnvelopeOrHeader(text: String) {
        #expect(throws: EmailAddressError.self) { try EmailAddress(text) }
    }

    @Test func surroundingWhiteSpaceIsTrimmedAway() throws {
        #expect(try EmailAddress(" a@b.jp\n").value == "a@b.jp")
    }

    @Test func theDomainIsCaseInsensitive() throws {
        let address = try EmailAddress("Sato@Pref.Hokkaido.LG.JP")
        #expect(address.normalized == "Sato@pref.hokkaido.lg.jp")
        #expect(address.domain == "pref.hokkaido.lg.jp")
    }

    @Test func errorsSayWhatIsWrong() {
        #expect(throws: EmailAddressError.forbiddenCharacter(" ")) { try EmailAddress("a b@c.jp") }
        #expect(EmailAddressError.forbiddenCharacter("\r").description == "contains U+000D, which is not allowed")
        #expect(EmailAddressError.forbiddenCharacter(" ").description == "contains a space, which is not allowed")
        #expect(EmailAddressError.forbiddenCharacter("山").description == "contains '山', which is not allowed")
    }

    @Test func aTagGoesBeforeTheAtAndOnlySafeTagsPass() throws {
        let base = try EmailAddress("bounces@kyozon.example.lg.jp")
        let tagged = try #require(base.tagged("1312.qdfxLoMb-_x"))
        #expect(tagged.value == "bounces+1312.qdfxLoMb-_x@kyozon.example.lg.jp")
        #expect(try EmailAddress(tagged.value) == tagged, "a tagged address passes the full check too")
        for bad in ["", "a b", "a\r\nRCPT TO:<x@y.jp>", "a@b", ".a", "a.", "a..b", "山", String(repeating: "x", count: 60)] {
            #expect(base.tagged(bad) == nil, "\(bad.debugDescription)")
        }
    }
}
