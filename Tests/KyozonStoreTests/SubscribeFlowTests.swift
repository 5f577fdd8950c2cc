import Foundation
import KyozonDomain
import KyozonTestSupport
import Testing

@testable import KyozonStore

/// Double opt-in in the store: a request leaves subscriptions pending with the form's
/// consent evidence; the mailed link confirms them once; a signed link unsubscribes.
@Suite struct SubscribeFlowTests {
    let folder: TemporaryDirectory
    let store: Store
    let now = Timestamp(rfc3339: "2026-12-01T09:00:00+09:00")!

    init() throws {
        folder = try TemporaryDirectory()
        store = try Store(path: folder.file("kyozon.sqlite"))
        _ = try store.syncLists(
            [
                MailingList(id: "kyoei", name: "都道府県", description: "", allowedDomains: ["*.lg.jp", "pref.*.jp"]),
                MailingList(id: "municipal", name: "市区町村", description: ""),
                MailingList(id: "staff", name: "職員向け", description: "", isPublic: false),
            ], now: now)
    }

    func address(_ text: String) -> EmailAddress { try! EmailAddress(text) }

    func request(_ email: String, _ lists: [String]) throws -> (outcome: SubscribeOutcome, refused: [ListRefusal]) {
        try store.requestSubscription(
            email: address(email), name: "佐藤", organization: "北海道", prefecture: Prefecture.lookup("01"), lists: lists,
            formVersion: "v1", client: "192.0.2.7", now: now)
    }

    @Test func aRequestIsPendingUntilTheLinkIsFollowedOnce() throws {
        let result = try request("sato@pref.hokkaido.lg.jp", ["kyoei", "municipal"])
        guard case .confirmationNeeded(let id, let lists) = result.outcome else {
            Issue.record("\(result)")
            return
        }
        #expect(lists == ["kyoei", "municipal"] && result.refused.isEmpty)
        #expect(try store.recipients(of: "kyoei").isEmpty, "nobody is mailed before confirming")
        let history = try store.history(of: address("sato@pref.hokkaido.lg.jp"))
        #expect(history.subscriptions.map(\.status) == [.pending, .pending])
        #expect(history.subscriptions[0].consentMethod == "form")
        #expect(history.subscriptions[0].consentSource == "subscribe form v1 from 192.0.2.7")

        #expect(try store.confirmSubscriptions(subscriberID: id, tokenSignature: "sig-1", now: now) == ["kyoei", "municipal"])
        #expect(try store.confirmSubscriptions(subscriberID: id, tokenSignature: "sig-1", now: now) == nil, "a link works once")
        #expect(try store.recipients(of: "kyoei").map(\.email.value) == ["sato@pref.hokkaido.lg.jp"])
        let confirmed = try store.history(of: address("sato@pref.hokkaido.lg.jp")).subscriptions[0]
        #expect(confirmed.consentSource == "subscribe form v1 from 192.0.2.7; confirmed by the link mailed to the address")

        // A second request for the same lists needs no mail and says nothing about membership.
        #expect(try request("sato@pref.hokkaido.lg.jp", ["kyoei"]).outcome == .nothingToDo)
    }

    @Test func privateListsAndDomainsOutsideTheAllowListAreRefusedPerList() throws {
        let result = try request("koho@gmail.com", ["kyoei", "municipal", "staff", "nope"])
        #expect(result.refused.map(\.description) == [
            "kyoei: open to addresses at *.lg.jp, pref.*.jp only",
            "staff: no such list is open for subscription",
            "nope: no such list is open for subscription",
        ])
        #expect(result.refused[0].japaneseReason == "次のドメインのアドレスでのみ登録できます：*.lg.jp、pref.*.jp")
        guard case .confirmationNeeded(_, let lists) = result.outcome else {
            Issue.record("municipal admits anyone")
            return
        }
        #expect(lists == ["municipal"])
    }

    @Test func blockedAddressesGetNoMailAndTheSameAnswer() throws {
        _ = try request("x@city.example.lg.jp", ["kyoei"])
        try store.blockSubscriber(address("x@city.example.lg.jp"), reason: "spam trap", by: "t", now: now)
        #expect(try request("x@city.example.lg.jp", ["kyoei"]).outcome == .nothingToDo)
    }

    @Test func aSignedLinkUnsubscribesOnceFromOneListOrAll() throws {
        guard case .confirmationNeeded(let id, _) = try request("sato@pref.hokkaido.lg.jp", ["kyoei", "municipal"]).outcome else {
            Issue.record("no request")
            return
        }
        _ = try store.confirmSubscriptions(subscriberID: id, tokenSignature: "s", now: now)
        #expect(try store.unsubscribe(subscriberID: id, from: ["municipal"], how: "form", now: now) == ["municipal"])
        #expect(try store.unsubscribe(subscriberID: id, from: nil, how: "one-click", now: now) == ["kyoei"])
        #expect(try store.unsubscribe(subscriberID: id, from: nil, how: "one-click", now: now) == [], "idempotent")
        #expect(try store.history(of: address("sato@pref.hokkaido.lg.jp")).subscriptions.map(\.unsubscribeReason) == ["one-click", "form"])
    }
}
