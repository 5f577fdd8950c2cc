import Foundation
import KyozonCollector
import KyozonConfig
import KyozonDomain
import KyozonHTTP
import KyozonStore

/// Pulls one feed with a conditional GET and stores its entries. A failing feed is reported
/// and does not stop the others; its validators are kept so the next run asks again.
struct FeedCollection {
    let feed: Configuration.Feed
    let collector: Collector
    let store: Store
    let now: Timestamp

    func run() throws -> CollectTally {
        let previous = try store.feedState(url: feed.url)
        let response: HTTPResponse
        do {
            response = try CurlHTTPClient().get(feed.url, etag: previous?.etag, lastModified: previous?.lastModified)
        } catch {
            return try failed("\(error)", previous: previous)
        }
        switch response.status {
        case 304:
            print("\(feed.url): unchanged (304)")
            try store.saveFeedState(url: feed.url, etag: previous?.etag, lastModified: previous?.lastModified, status: "304", now: now)
            return CollectTally()
        case 200:
            break
        default:
            return try failed("HTTP \(response.status)", previous: previous)
        }
        let defaults = FeedReader.Defaults(name: feed.name, prefecture: feed.prefecture, category: feed.category)
        let collected: [CollectedSubmission]
        switch FeedReader.read(Data(response.body), defaults: defaults) {
        case .success(let records):
            collected = collector.collect(records, origin: feed.url)
        case .failure(let failure):
            return try failed(failure.problem.message, previous: previous)
        }
        let saved = try store.saveSubmissions(collected, receivedAt: now)
        try store.saveFeedState(
            url: feed.url, etag: response.headers["etag"], lastModified: response.headers["last-modified"], status: "200",
            now: now)
        CollectOutput.print(collected, saved: saved, origin: feed.url)
        return CollectTally(rejected: collected.filter { !$0.isAccepted }.count)
    }

    private func failed(_ reason: String, previous: FeedState?) throws -> CollectTally {
        warn("feed failed \(feed.url) (\(feed.name)): \(reason); the other sources are collected, and this feed is tried again next run")
        try store.saveFeedState(
            url: feed.url, etag: previous?.etag, lastModified: previous?.lastModified, status: "failed: \(reason)", now: now)
        return CollectTally(failedFeeds: 1)
    }
}
