import GRDB
import KyozonDomain

/// What `syncLists` changed.
public struct ListSyncReport: Sendable, Equatable {
    public var added: [String] = []
    public var updated: [String] = []
    public var unchanged: [String] = []
    /// Lists no longer in the file: kept for their history, no longer offered or sent to.
    public var archived: [String] = []
}

/// A list with how many subscribers it has in each state.
public struct ListSummary: Sendable, Equatable {
    public let list: MailingList
    public let archived: Bool
    /// Confirmed subscriptions of active subscribers: who a send reaches.
    public let confirmed: Int
    public let pending: Int
    public let unsubscribed: Int
}

extension Store {
    /// Makes the store's lists match the file: new lists added, changed ones updated,
    /// missing ones archived (their subscriptions and history are kept).
    public func syncLists(_ lists: [MailingList], now: Timestamp) throws -> ListSyncReport {
        try pool.write { db in
            var report = ListSyncReport()
            for list in lists {
                let existing = try Row.fetchOne(db, literal: "SELECT * FROM mailing_list WHERE id = \(list.id)")
                let allowed = list.allowedDomains.joined(separator: " ")
                if let existing {
                    if Self.list(from: existing) == list, existing["archived"] == false {
                        report.unchanged.append(list.id)
                        continue
                    }
                    try db.execute(
                        literal: """
                            UPDATE mailing_list SET name = \(list.name), description = \(list.description),
                                public = \(list.isPublic), allowed_domains = \(allowed), archived = 0, updated_at = \(now.epochSeconds)
                            WHERE id = \(list.id)
                            """)
                    report.updated.append(list.id)
                } else {
                    try db.execute(
                        literal: """
                            INSERT INTO mailing_list (id, name, description, public, allowed_domains, created_at, updated_at)
                            VALUES (\(list.id), \(list.name), \(list.description), \(list.isPublic), \(allowed), \(now.epochSeconds),
                                \(now.epochSeconds))
                            """)
                    report.added.append(list.id)
                }
            }
            let ids = lists.map(\.id)
            let stale = try String.fetchAll(
                db, literal: "SELECT id FROM mailing_list WHERE archived = 0 AND id NOT IN \(ids) ORDER BY id")
            for id in stale {
                try db.execute(
                    literal: "UPDATE mailing_list SET archived = 1, updated_at = \(now.epochSeconds) WHERE id = \(id)")
            }
            report.archived = stale
            return report
        }
    }

    /// Every list, archived ones last, with subscriber counts.
    public func listSummaries() throws -> [ListSummary] {
        try pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT l.id, l.name, l.description, l.archived, l.public, l.allowed_domains,
                        (SELECT COUNT(*) FROM subscription s JOIN subscriber r ON r.id = s.subscriber_id
                         WHERE s.list_id = l.id AND s.status = 'confirmed' AND r.status = 'active') AS confirmed,
                        (SELECT COUNT(*) FROM subscription s WHERE s.list_id = l.id AND s.status = 'pending') AS pending,
                        (SELECT COUNT(*) FROM subscription s WHERE s.list_id = l.id AND s.status = 'unsubscribed')
                            AS unsubscribed
                    FROM mailing_list l ORDER BY l.archived, l.id
                    """)
            return rows.map { row in
                ListSummary(
                    list: Self.list(from: row),
                    archived: row["archived"], confirmed: row["confirmed"], pending: row["pending"],
                    unsubscribed: row["unsubscribed"])
            }
        }
    }

    /// A list by id, archived or not (to finish sending through a list removed meanwhile).
    public func list(_ id: String) throws -> MailingList {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, literal: "SELECT * FROM mailing_list WHERE id = \(id)")
            else { throw StoreError.unknownList(id) }
            return Self.list(from: row)
        }
    }

    /// A list that is in the file (not archived), or an error that says how to find one.
    public func activeList(_ id: String) throws -> MailingList {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, literal: "SELECT * FROM mailing_list WHERE id = \(id)")
            else { throw StoreError.unknownList(id) }
            if row["archived"] == true { throw StoreError.archivedList(id) }
            return Self.list(from: row)
        }
    }

    /// A list as stored (the allow-list kept space-separated).
    static func list(from row: Row) -> MailingList {
        MailingList(
            id: row["id"], name: row["name"], description: row["description"], isPublic: row["public"] ?? true,
            allowedDomains: (row["allowed_domains"] as String? ?? "").split(separator: " ").map(String.init))
    }
}
