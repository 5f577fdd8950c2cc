import Foundation
import KyozonCollector
import KyozonDomain
import KyozonTestSupport
import Testing

@testable import KyozonStore

/// How collected submissions land in a real SQLite store: merging, flags, the report.
@Suite struct CollectionStoreTests {
    let folder: TemporaryDirectory
    let store: Store
    let now = Timestamp(rfc3339: "2026-12-01T09:00:00+09:00")!
    let november = IssueMonth("2026-11")!

    init() throws {
        folder = try TemporaryDirectory()
        store = try Store(path: folder.file("kyozon.sqlite"))
    }

    func item(id: String? = nil, title: String, by: String = "東京都", at time: String, starts: String? = "2026-12-10", category: String = "event", ends: String? = nil) -> String {
        var fields = [
            "\"title\": \"\(title)\"", "\"category\": \"\(category)\"", "\"prefecture\": \"13\"", "\"summary\": \"概要 \(time)\"",
            "\"submitted_at\": \"\(time)\"", "\"submitted_by\": \"\(by)\"",
        ]
        if let id { fields.append("\"id\": \"\(id)\"") }
        if let starts { fields.append("\"starts_on\": \"\(starts)\"") }
        if let ends { fields.append("\"ends_on\": \"\(ends)\"") }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    func save(_ items: [String], origin: String = "s.json") throws -> SubmissionSaveReport {
        try store.saveSubmissions(Collector(sendDay: 5).collect(Data("[\(items.joined(separator: ","))]".utf8), origin: origin), receivedAt: now)
    }

    @Test func theSameIdFromTheSameOfficeIsMergedAndTheLatestStands() throws {
        _ = try save([item(id: "t-1", title: "冬まつり", at: "2026-11-02T10:00:00")], origin: "first.json")
        let report = try save([item(id: "t-1", title: "冬まつり（会場変更）", at: "2026-11-09T10:00:00")], origin: "second.json")
        #expect(report.merged == ["second.json: item 1 (line 1) 「冬まつり（会場変更）」 replaces first.json: item 1 (line 1) 「冬まつり」 (the same item, submitted later)"])
        #expect(try store.acceptedItems(in: november).map(\.title) == ["冬まつり（会場変更）"])
        // The same id from another office is another item.
        _ = try save([item(id: "t-1", title: "別の催し", by: "大阪府", at: "2026-11-03T10:00:00")])
        #expect(try store.acceptedItems(in: november).count == 2)
    }

    @Test func anOlderCopyArrivingLaterIsKeptAside() throws {
        _ = try save([item(title: "冬まつり", at: "2026-11-09T10:00:00")], origin: "new.json")
        let report = try save([item(title: "冬まつり", at: "2026-11-02T10:00:00")], origin: "old.json")
        #expect(report.merged.first?.hasPrefix("new.json: item 1 (line 1) 「冬まつり」 stands") == true)
        #expect(try store.acceptedItems(in: november).map(\.summary) == ["概要 2026-11-09T10:00:00"])
        let report2 = try store.collectionReport(in: november)
        #expect(report2.map(\.kind) == [.superseded])
    }

    @Test func flaggedItemsStayOutOfTheIssueAndShowInTheReport() throws {
        _ = try save([
            item(title: "終わった催し", at: "2026-11-02T10:00:00", starts: "2026-11-20", ends: "2026-11-23"),
            item(title: "これからの催し", at: "2026-11-02T10:00:00", starts: "2026-12-20"),
            "{\"title\": \"壊れた\", \"submitted_at\": \"2026-11-03T10:00:00\"}",
        ])
        #expect(try store.acceptedItems(in: november).map(\.title) == ["これからの催し"])
        let report = try store.collectionReport(in: november)
        #expect(report.map(\.kind) == [.rejected, .flagged])
        #expect(report[1].messages.first?.contains("before the issue goes out on 2026-12-05") == true)
        #expect(report[0].source == "s.json: item 3 (line 1) 「壊れた」")
    }

    @Test func filesAndFeedsAreRemembered() throws {
        #expect(try store.wasCollected(contentHash: "abc") == false)
        try store.recordCollectedFile(contentHash: "abc", path: "a.json", accepted: 1, rejected: 0, now: now)
        #expect(try store.wasCollected(contentHash: "abc"))
        #expect(try store.feedState(url: "http://x/feed") == nil)
        try store.saveFeedState(url: "http://x/feed", etag: "\"e1\"", lastModified: nil, status: "200", now: now)
        try store.saveFeedState(url: "http://x/feed", etag: "\"e2\"", lastModified: "Tue", status: "200", now: now)
        #expect(try store.feedState(url: "http://x/feed") == FeedState(etag: "\"e2\"", lastModified: "Tue", status: "200"))
    }
}
