import Foundation
import KyozonCollector
import KyozonDomain
import KyozonTestSupport
import Testing

@testable import KyozonStore

/// Every test runs against a real SQLite file in a fresh temporary directory.
@Suite struct StoreTests {
    let folder: TemporaryDirectory
    let store: Store
    let now = Timestamp(rfc3339: "2026-12-01T09:00:00+09:00")!

    init() throws {
        folder = try TemporaryDirectory()
        store = try Store(path: folder.file("kyozon.sqlite"))
    }

    func address(_ text: String) -> EmailAddress { try! EmailAddress(text) }

    @Test func theDatabaseIsWALWithFullSync() throws {
        let settings = try store.durabilitySettings()
        #expect(settings.journalMode == "wal")
        #expect(settings.synchronous == 2)  // FULL
    }

    @Test func reopeningKeepsDataAndDoesNotRemigrate() throws {
        _ = try store.syncLists([MailingList(id: "kyoei", name: "都道府県", description: "")], now: now)
        let again = try Store(path: folder.file("kyozon.sqlite"))
        #expect(try again.listSummaries().map(\.list.id) == ["kyoei"])
    }

    @Test func listsFollowTheFile() throws {
        let a = MailingList(id: "a", name: "一", description: "")
        let b = MailingList(id: "b", name: "二", description: "")
        var report = try store.syncLists([a, b], now: now)
        #expect(report.added == ["a", "b"])
        report = try store.syncLists([a, b], now: now)
        #expect(report.unchanged == ["a", "b"])
        report = try store.syncLists([MailingList(id: "a", name: "一（改）", description: "")], now: now)
        #expect(report.updated == ["a"])
        #expect(report.archived == ["b"])
        let summaries = try store.listSummaries()
        #expect(summaries.map(\.list.id) == ["a", "b"])
        #expect(summaries.map(\.archived) == [false, true])
        #expect(throws: StoreError.archivedList("b")) { try store.activeList("b") }
        #expect(throws: StoreError.unknownList("c")) { try store.activeList("c") }
    }

    func submissions(_ json: String) -> [CollectedSubmission] {
        Collector().collect(Data(json.utf8), origin: "s.json")
    }

    static func item(_ title: String, at time: String) -> String {
        """
        {"title": "\(title)", "category": "product", "prefecture": "13", "summary": "概要",
         "submitted_at": "\(time)", "submitted_by": "東京都"}
        """
    }

    @Test func collectingTheSameItemsTwiceChangesNothing() throws {
        let batch = submissions("[\(Self.item("一", at: "2026-11-05T10:00:00")), {\"title\": 1}]")
        let first = try store.saveSubmissions(batch, receivedAt: now)
        #expect(first == SubmissionSaveReport(accepted: 1, rejected: 1, unchanged: 0))
        let second = try store.saveSubmissions(batch, receivedAt: now)
        #expect(second == SubmissionSaveReport(accepted: 0, rejected: 0, unchanged: 2))
    }

    @Test func itemsAreSelectedByTheirTokyoSubmissionMonth() throws {
        let json = [
            Self.item("十月末", at: "2026-10-31T23:59:59+09:00"),
            Self.item("十一月初", at: "2026-10-31T15:00:00Z"),
            Self.item("十一月末", at: "2026-11-30T23:59:59"),
            Self.item("十二月", at: "2026-11-30T15:00:00Z"),
        ].joined(separator: ",")
        _ = try store.saveSubmissions(submissions("[\(json)]"), receivedAt: now)
        #expect(try store.acceptedItems(in: IssueMonth("2026-11")!).map(\.title) == ["十一月初", "十一月末"])
        #expect(try store.acceptedItems(in: IssueMonth("2026-10")!).map(\.title) == ["十月末"])
    }

    @Test func rejectsAreKeptWithTheirReasons() throws {
        _ = try store.saveSubmissions(submissions(#"[{"title": "壊れた", "submitted_at": "2026-11-03T10:00:00"}]"#), receivedAt: now)
        let rejects = try store.rejections(in: IssueMonth("2026-11")!)
        #expect(rejects.count == 1)
        #expect(rejects[0].source.title == "壊れた")
        #expect(rejects[0].reasons.map(\.field) == ["category", "prefecture", "summary", "submitted_by"])
    }

    func seedSubscribers() throws {
        _ = try store.syncLists(
            [MailingList(id: "kyoei", name: "都道府県", description: ""), MailingList(id: "municipal", name: "市区町村", description: "")],
            now: now)
        let people = [
            NewSubscriber(email: address("a@x.jp"), name: "甲", organization: "", prefecture: nil, lists: ["kyoei"]),
            NewSubscriber(email: address("b@x.jp"), name: "乙", organization: "", prefecture: nil, lists: ["kyoei", "municipal"]),
            NewSubscriber(email: address("c@x.jp"), name: "丙", organization: "", prefecture: nil, lists: ["municipal"]),
        ]
        let consent = people.map { _ in Consent(method: "import", by: "tester", source: "t.csv") }
        _ = try store.addSubscribers(people, consent: consent, now: now)
    }

    @Test func staffImportsConfirmAndRecordConsent() throws {
        try seedSubscribers()
        let counts = Dictionary(uniqueKeysWithValues: try store.listSummaries().map { ($0.list.id, $0.confirmed) })
        #expect(counts == ["kyoei": 2, "municipal": 2])
        let again = try store.addSubscribers(
            [NewSubscriber(email: address("A@X.JP"), name: "", organization: "", prefecture: nil, lists: ["kyoei", "nope"])],
            consent: [Consent(method: "import", by: "t", source: "t")], now: now)
        #expect(again[0].newSubscriber == false, "the domain is case-insensitive and so is our key")
        #expect(again[0].alreadySubscribed == ["kyoei"])
        #expect(again[0].refused.map(\.list) == ["nope"])
    }

    @Test func anImportNeverResubscribesSomeoneWhoLeft() throws {
        try seedSubscribers()
        #expect(try store.removeSubscriber(address("b@x.jp"), by: "tester", now: now) == ["kyoei", "municipal"])
        let result = try store.addSubscribers(
            [NewSubscriber(email: address("b@x.jp"), name: "乙", organization: "", prefecture: nil, lists: ["kyoei"])],
            consent: [Consent(method: "import", by: "t", source: "t")], now: now)
        #expect(result[0].subscribed.isEmpty)
        #expect(result[0].refused.first?.reason.contains("unsubscribed on 2026-12-01 (removed by tester)") == true)
        let b = try store.subscribers().first { $0.subscriber.email.value == "b@x.jp" }
        #expect(b?.subscriptions.map(\.status) == [.unsubscribed, .unsubscribed], "history kept, not deleted")
        // Staff may subscribe them again, on purpose, as new consent.
        let again = try store.addSubscribers(
            [NewSubscriber(email: address("b@x.jp"), name: "乙", organization: "", prefecture: nil, lists: ["kyoei"])],
            consent: [Consent(method: "staff", by: "t", source: "t")], resubscribe: true, now: now)
        #expect(again[0].subscribed == ["kyoei"])
    }

    @Test func oneDeliveryPerSubscriberPerIssueEvenOnSeveralLists() throws {
        try seedSubscribers()
        let issue = try store.issue(for: IssueMonth("2026-11")!, now: now)
        #expect(issue.volume == 1)
        #expect(try store.enqueueDeliveries(issueID: issue.id, list: "kyoei", now: now) == 2)
        #expect(try store.enqueueDeliveries(issueID: issue.id, list: "municipal", now: now) == 1)
        #expect(try store.enqueueDeliveries(issueID: issue.id, list: "kyoei", now: now) == 0)
        #expect(try store.deliveryCounts(issueID: issue.id) == [.pending: 3])
        #expect(try store.issue(for: IssueMonth("2026-12")!, now: now).volume == 2)
        #expect(try store.issue(for: IssueMonth("2026-11")!, now: now).id == issue.id)
    }

    @Test func claimedRowsAreSendingAndAStaleOneBecomesUncertain() throws {
        try seedSubscribers()
        let issue = try store.issue(for: IssueMonth("2026-11")!, now: now)
        try store.enqueueDeliveries(issueID: issue.id, list: "kyoei", now: now)
        let claimed = try store.claimDeliveries(issueID: issue.id, limit: 1, now: now)
        #expect(claimed.map(\.subscriber.email.value) == ["a@x.jp"])
        #expect(try store.deliveryCounts(issueID: issue.id) == [.sending: 1, .pending: 1])
        // A run that died with the row claimed: the next one must not send it again.
        #expect(try store.markStaleSendingUncertain(issueID: issue.id, now: now) == 1)
        let next = try store.claimDeliveries(issueID: issue.id, limit: 10, now: now)
        #expect(next.map(\.subscriber.email.value) == ["b@x.jp"])
        #expect(try store.deliveries(state: .uncertain).map(\.email) == ["a@x.jp"])
    }

    @Test func aBlockOrAnUnsubscribeAfterTheClaimIsSeenBeforeTheSend() throws {
        try seedSubscribers()
        let issue = try store.issue(for: IssueMonth("2026-11")!, now: now)
        try store.enqueueDeliveries(issueID: issue.id, list: "kyoei", now: now)
        let claimed = try store.claimDeliveries(issueID: issue.id, limit: 2, now: now)
        #expect(try store.notMailable(deliveryIDs: claimed.map(\.id)).isEmpty)
        try store.blockSubscriber(address("a@x.jp"), reason: "asked", by: "t", now: now)
        _ = try store.removeSubscriber(address("b@x.jp"), by: "t", now: now)
        let gone = try store.notMailable(deliveryIDs: claimed.map(\.id))
        #expect(gone == [claimed[0].id: "subscriber is blocked", claimed[1].id: "no longer subscribed"])
    }

    @Test func anOutboxMailLeftSendingIsUncertainNeverResent() throws {
        try store.enqueueMail(kind: "confirm", to: address("a@x.jp"), subject: "確認", body: "本文", now: now)
        try store.enqueueMail(kind: "welcome", to: address("b@x.jp"), subject: "ようこそ", body: "本文", now: now)
        let first = try store.claimOutbox(limit: 1, now: now)
        #expect(first.map(\.recipient.value) == ["a@x.jp"] && first[0].state == "sending" && first[0].attempts == 1)
        // The run dies here; the next one finds the row and does not send it again.
        #expect(try store.markStaleOutboxUncertain(now: now) == 1)
        #expect(try store.claimOutbox(limit: 5, now: now).map(\.recipient.value) == ["b@x.jp"])
        #expect(try store.outbox(state: "uncertain").map(\.recipient.value) == ["a@x.jp"])
    }

    @Test func resultsOnlyApplyToRowsStillSending() throws {
        try seedSubscribers()
        let issue = try store.issue(for: IssueMonth("2026-11")!, now: now)
        try store.enqueueDeliveries(issueID: issue.id, list: "kyoei", now: now)
        let claimed = try store.claimDeliveries(issueID: issue.id, limit: 2, now: now)
        let results = [
            DeliveryResult(id: claimed[0].id, event: .accepted, code: 250, reply: "250 ok"),
            DeliveryResult(id: claimed[1].id, event: .temporaryFailure, code: 451, reply: "451 later", retryAt: Timestamp(epochSeconds: now.epochSeconds + 600)),
        ]
        #expect(try store.recordDeliveryResults(results, now: now) == 2)
        #expect(try store.recordDeliveryResults(results, now: now) == 0, "a second report changes nothing")
        #expect(try store.deliveryCounts(issueID: issue.id) == [.sent: 1, .deferred: 1])
        // Deferred rows wait for their retry time.
        #expect(try store.claimDeliveries(issueID: issue.id, limit: 5, now: now).isEmpty)
        let later = Timestamp(epochSeconds: now.epochSeconds + 601)
        #expect(try store.claimDeliveries(issueID: issue.id, limit: 5, now: later).map(\.id) == [claimed[1].id])
    }

    @Test func hardBouncesMarkASubscriberBouncedAndPolicyRefusalsDoNot() throws {
        try seedSubscribers()
        var policy = BouncePolicy()
        policy.threshold = 2
        for (month, reply) in [("2026-09", "550 5.1.1 no such user"), ("2026-10", "554 5.7.1 spam"), ("2026-11", "550 5.1.1 no such user")] {
            let issue = try store.issue(for: IssueMonth(month)!, now: now)
            try store.enqueueDeliveries(issueID: issue.id, list: "kyoei", now: now)
            let claimed = try store.claimDeliveries(issueID: issue.id, limit: 5, now: now)
            let a = claimed.first { $0.subscriber.email.value == "a@x.jp" }!
            try store.recordDeliveryResults([DeliveryResult(id: a.id, event: .permanentFailure, code: Int(reply.prefix(3)), reply: reply)], now: now, bounces: policy)
        }
        let a = try store.subscribers().first { $0.subscriber.email.value == "a@x.jp" }!
        #expect(a.subscriber.status == .bounced, "two hard bounces; the 5.7.1 refusal did not count")
        // A bounced subscriber is skipped from the next send.
        let next = try store.issue(for: IssueMonth("2026-12")!, now: now)
        #expect(try store.enqueueDeliveries(issueID: next.id, list: "kyoei", now: now) == 1)
    }

    @Test func aPausedSendClaimsNothingAndACancelledOneSkipsWhatWaits() throws {
        try seedSubscribers()
        let issue = try store.issue(for: IssueMonth("2026-11")!, now: now)
        try store.enqueueDeliveries(issueID: issue.id, list: "kyoei", now: now)
        try store.setSendControl(issueID: issue.id, .paused, by: "staff", now: now)
        #expect(try store.claimDeliveries(issueID: issue.id, limit: 5, now: now).isEmpty)
        #expect(try store.deliveryCounts(issueID: issue.id) == [.pending: 2], "a pause changes no row")
        try store.setSendControl(issueID: issue.id, .run, by: "staff", now: now)
        #expect(try store.claimDeliveries(issueID: issue.id, limit: 1, now: now).count == 1)
        #expect(try store.setSendControl(issueID: issue.id, .cancelled, by: "staff", now: now) == 1)
        #expect(try store.deliveryCounts(issueID: issue.id) == [.sending: 1, .skipped: 1], "the row in flight finishes")
        #expect(try store.claimDeliveries(issueID: issue.id, limit: 5, now: now).isEmpty)
    }

    @Test func aClaimLooksPastABatchOfSkippedRows() throws {
        try seedSubscribers()
        var people: [NewSubscriber] = []
        for n in 1...40 {
            people.append(NewSubscriber(email: address("gone\(n)@x.jp"), name: "", organization: "", prefecture: nil, lists: ["kyoei"]))
        }
        people.append(NewSubscriber(email: address("late@x.jp"), name: "", organization: "", prefecture: nil, lists: ["kyoei"]))
        _ = try store.addSubscribers(people, consent: people.map { _ in Consent(method: "import", by: "t", source: "t") }, now: now)
        let issue = try store.issue(for: IssueMonth("2026-11")!, now: now)
        try store.enqueueDeliveries(issueID: issue.id, list: "kyoei", now: now)
        for n in 1...40 { _ = try store.removeSubscriber(address("gone\(n)@x.jp"), by: "t", now: now) }
        try store.recordDeliveryResults(
            try store.claimDeliveries(issueID: issue.id, limit: 2, now: now).map { DeliveryResult(id: $0.id, event: .accepted, code: 250, reply: "250") },
            now: now)
        // 40 rows of people who left, then one still subscribed: one claim gets past them.
        #expect(try store.claimDeliveries(issueID: issue.id, limit: 5, now: now).map(\.subscriber.email.value) == ["late@x.jp"])
        #expect(try store.deliveryCounts(issueID: issue.id) == [.sent: 2, .skipped: 40, .sending: 1])
    }

    @Test func someoneWhoLeavesDuringASendIsSkipped() throws {
        try seedSubscribers()
        let issue = try store.issue(for: IssueMonth("2026-11")!, now: now)
        try store.enqueueDeliveries(issueID: issue.id, list: "kyoei", now: now)
        _ = try store.removeSubscriber(address("a@x.jp"), by: "tester", now: now)
        let claimed = try store.claimDeliveries(issueID: issue.id, limit: 5, now: now)
        #expect(claimed.map(\.subscriber.email.value) == ["b@x.jp"])
        #expect(try store.deliveryCounts(issueID: issue.id) == [.skipped: 1, .sending: 1])
    }
}
