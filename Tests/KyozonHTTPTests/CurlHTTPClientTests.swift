import Foundation
import KyozonTestSupport
import Testing

@testable import KyozonHTTP

/// libcurl against a real HTTP server (Python's http.server) started by the test.
@Suite struct CurlHTTPClientTests {
    @Test func aConditionalGetOfAnUnchangedFeedIsA304() throws {
        let server = try FeedServer()
        try server.folder.write("feed.xml", "<rss/>")
        let client = CurlHTTPClient(timeoutSeconds: 10)
        let first = try client.get(server.url("feed.xml"))
        #expect(first.status == 200)
        #expect(first.body == Array("<rss/>".utf8))
        let etag = try #require(first.headers["etag"])
        #expect(first.headers["last-modified"] != nil)
        let second = try client.get(server.url("feed.xml"), etag: etag, lastModified: first.headers["last-modified"])
        #expect(second.status == 304)
        #expect(second.body.isEmpty)
        let seen = try server.requests()
        #expect(seen.map { $0["status"] as? Int } == [200, 304])
        #expect(seen[1]["if_none_match"] as? String == etag, "the server saw the validator")
    }

    @Test func errorsComeBackAsStatusOrFailure() throws {
        let server = try FeedServer()
        #expect(try CurlHTTPClient().get(server.url("fail/x")).status == 500)
        #expect(try CurlHTTPClient().get(server.url("missing.xml")).status == 404)
        #expect(throws: HTTPFailure.self) { try CurlHTTPClient(timeoutSeconds: 5).get("http://127.0.0.1:1/feed.xml") }
        #expect(throws: HTTPFailure.self) { try CurlHTTPClient().get("file:///etc/passwd") }
    }

    @Test func aBodyOverTheLimitIsRefused() throws {
        let server = try FeedServer()
        try server.folder.write("big.xml", String(repeating: "x", count: 5000))
        #expect(throws: HTTPFailure.self) { try CurlHTTPClient(maxBytes: 1000).get(server.url("big.xml")) }
    }
}
