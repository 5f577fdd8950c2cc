import GRDB
import KyozonDomain

/// An issue as the store keeps it: one per Tokyo month, numbered in sequence.
public struct StoredIssue: Sendable, Equatable {
    public let id: Int64
    public let month: IssueMonth
    /// The Vol. number printed on the masthead.
    public let volume: Int
    public let title: String?
    public let lead: String?
    public let status: String
}

extension Store {
    /// The issue for a month, created as a draft with the next volume number if it does not exist yet.
    public func issue(for month: IssueMonth, now: Timestamp) throws -> StoredIssue {
        try pool.write { db in
            if let existing = try Self.fetchIssue(db, month) { return existing }
            let volume = (try Int.fetchOne(db, sql: "SELECT MAX(volume) FROM issue") ?? 0) + 1
            try db.execute(
                literal: """
                    INSERT INTO issue (month, volume, created_at) VALUES (\(month.description), \(volume), \(now.epochSeconds))
                    """)
            return try Self.fetchIssue(db, month)!
        }
    }

    /// The issue for a month, if one was created.
    public func existingIssue(for month: IssueMonth) throws -> StoredIssue? {
        try pool.read { db in try Self.fetchIssue(db, month) }
    }

    /// The volume number the issue for `month` has or would get, without creating it.
    public func volumeNumber(for month: IssueMonth) throws -> Int {
        try pool.read { db in
            if let existing = try Self.fetchIssue(db, month) { return existing.volume }
            return (try Int.fetchOne(db, sql: "SELECT MAX(volume) FROM issue") ?? 0) + 1
        }
    }

    private static func fetchIssue(_ db: Database, _ month: IssueMonth) throws -> StoredIssue? {
        guard let row = try Row.fetchOne(db, literal: "SELECT * FROM issue WHERE month = \(month.description)") else {
            return nil
        }
        return StoredIssue(
            id: row["id"], month: month, volume: row["volume"], title: row["title"], lead: row["lead"],
            status: row["status"])
    }
}
