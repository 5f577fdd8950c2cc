import GRDB
import KyozonDomain

/// What the store remembers of a feed, for conditional GET.
public struct FeedState: Sendable, Equatable {
    public let etag: String?
    public let lastModified: String?
    public let status: String
}

extension Store {
    /// Whether a file with this content (SHA-256) was collected before: an unchanged file is
    /// not read again, an edited one is.
    public func wasCollected(contentHash: String) throws -> Bool {
        try pool.read { db in
            try Int.fetchOne(db, literal: "SELECT 1 FROM collected_file WHERE content_hash = \(contentHash)") != nil
        }
    }

    /// Remembers that a file's content was collected.
    public func recordCollectedFile(contentHash: String, path: String, accepted: Int, rejected: Int, now: Timestamp) throws {
        try pool.write { db in
            try db.execute(
                literal: """
                    INSERT OR REPLACE INTO collected_file (content_hash, path, collected_at, accepted, rejected)
                    VALUES (\(contentHash), \(path), \(now.epochSeconds), \(accepted), \(rejected))
                    """)
        }
    }

    public func feedState(url: String) throws -> FeedState? {
        try pool.read { db in
            try Row.fetchOne(db, literal: "SELECT etag, last_modified, status FROM feed_state WHERE url = \(url)").map {
                FeedState(etag: $0["etag"], lastModified: $0["last_modified"], status: $0["status"])
            }
        }
    }

    /// Records the validators of the last good response (kept as they were when the feed failed).
    public func saveFeedState(url: String, etag: String?, lastModified: String?, status: String, now: Timestamp) throws {
        try pool.write { db in
            try db.execute(
                literal: """
                    INSERT INTO feed_state (url, etag, last_modified, checked_at, status)
                    VALUES (\(url), \(etag), \(lastModified), \(now.epochSeconds), \(status))
                    ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
                        checked_at = excluded.checked_at, status = excluded.status
                    """)
        }
    }
}
