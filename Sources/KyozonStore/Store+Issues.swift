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

    /// Records that the issue goes to these lists (added to any recorded before): a one-click
    /// unsubscribe from the issue leaves all of them.
    public func addIssueLists(issueID: Int64, _ lists: [String]) throws {
        try pool.write { db in
            for list in lists {
                try db.execute(literal: "INSERT OR IGNORE INTO issue_list (issue_id, list_id) VALUES (\(issueID), \(list))")
            }
        }
    }

    /// The lists an issue was sent to, by id.
    public func issueLists(issueID: Int64) throws -> [String] {
        try pool.read { db in
            try String.fetchAll(db, literal: "SELECT list_id FROM issue_list WHERE issue_id = \(issueID) ORDER BY list_id")
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
