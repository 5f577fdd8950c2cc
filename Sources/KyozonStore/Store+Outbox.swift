import GRDB
import KyozonDomain

/// A mail that is not an issue (a confirmation, a welcome, a report), waiting in the outbox.
public struct OutboxMail: Sendable, Equatable {
    public let id: Int64
    public let kind: String
    public let recipient: EmailAddress
    public let subject: String
    /// Plain text, LF line ends.
    public let body: String
    public let state: String
    public let attempts: Int
    public let reply: String?
    public let createdAt: Timestamp
}

extension Store {
    /// Puts a mail in the outbox; `kyozon outbox send` (or the server's drain) sends it.
    /// A web request only writes this row: it never waits on SMTP.
    @discardableResult
    public func enqueueMail(kind: String, to recipient: EmailAddress, subject: String, body: String, now: Timestamp) throws -> Int64 {
        try pool.write { db in
            try db.execute(
                literal: """
                    INSERT INTO outbox (kind, recipient, subject, body, created_at, updated_at)
                    VALUES (\(kind), \(recipient.value), \(subject), \(body), \(now.epochSeconds), \(now.epochSeconds))
                    """)
            return db.lastInsertedRowID
        }
    }

    /// Claims up to `limit` mails that are due (`-> sending`), committed before any is sent.
    /// Rows a dead run left `sending` become `uncertain` first: never sent again by themselves.
    public func claimOutbox(limit: Int, now: Timestamp) throws -> [OutboxMail] {
        try pool.write { db in
            let rows = try Row.fetchAll(
                db,
                literal: """
                    SELECT * FROM outbox
                    WHERE state = 'pending' OR (state = 'deferred' AND retry_at <= \(now.epochSeconds))
                    ORDER BY id LIMIT \(limit)
                    """)
            var mails: [OutboxMail] = []
            for row in rows {
                try db.execute(
                    literal: """
                        UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = \(now.epochSeconds)
                        WHERE id = \(row["id"] as Int64) AND state = \(row["state"] as String)
                        """)
                guard db.changesCount == 1, let mail = try Self.outboxMail(row, state: "sending") else { continue }
                mails.append(mail)
            }
            return mails
        }
    }

    /// Marks outbox rows left `sending` by a run that died `uncertain`; returns how many.
    @discardableResult
    public func markStaleOutboxUncertain(now: Timestamp) throws -> Int {
        try pool.write { db in
            try db.execute(
                literal: """
                    UPDATE outbox SET state = 'uncertain', updated_at = \(now.epochSeconds),
                        reply = 'was being sent when an earlier run stopped; the server may have accepted it'
                    WHERE state = 'sending'
                    """)
            return db.changesCount
        }
    }

    /// Records what the relay said about claimed outbox mails, in one transaction.
    public func recordOutbox(_ results: [(id: Int64, state: String, reply: String, retryAt: Timestamp?)], now: Timestamp) throws {
        try pool.write { db in
            for result in results {
                try db.execute(
                    literal: """
                        UPDATE outbox SET state = \(result.state), reply = \(result.reply), retry_at = \(result.retryAt?.epochSeconds),
                            updated_at = \(now.epochSeconds)
                        WHERE id = \(result.id) AND state = 'sending'
                        """)
            }
        }
    }

    /// The outbox, newest first, optionally in one state.
    public func outbox(state: String? = nil) throws -> [OutboxMail] {
        try pool.read { db in
            let filter: SQL = state.map { "WHERE state = \($0)" } ?? ""
            return try Row.fetchAll(db, literal: "SELECT * FROM outbox \(filter) ORDER BY id DESC").compactMap {
                try Self.outboxMail($0, state: nil)
            }
        }
    }

    private static func outboxMail(_ row: Row, state: String?) throws -> OutboxMail? {
        guard let recipient = try? EmailAddress(row["recipient"] as String) else { return nil }
        return OutboxMail(
            id: row["id"], kind: row["kind"], recipient: recipient, subject: row["subject"], body: row["body"],
            state: state ?? row["state"], attempts: (row["attempts"] as Int) + (state == "sending" ? 1 : 0), reply: row["reply"],
            createdAt: Timestamp(epochSeconds: row["created_at"]))
    }
}
