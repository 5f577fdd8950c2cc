import GRDB
import KyozonDomain

/// Whether an issue's sending may go on.
public enum SendControl: String, Sendable, CaseIterable {
    case run
    /// No new rows are claimed until staff resume.
    case paused
    /// What was still waiting is skipped; a resume does not bring it back.
    case cancelled
}

/// One delivery row, for listing.
public struct DeliveryRow: Sendable {
    public let id: Int64
    public let issueMonth: String
    public let email: String
    public let listID: String
    public let state: DeliveryState
    public let attempts: Int
    public let code: Int?
    public let reply: String?
    public let updatedAt: Timestamp
}

extension Store {
    /// Adds a pending delivery for every confirmed, active subscriber of `list` who has no
    /// row for this issue yet. The unique (issue, subscriber) key makes it idempotent and
    /// gives a subscriber on several lists one copy. Returns how many rows were added.
    @discardableResult
    public func enqueueDeliveries(issueID: Int64, list: String, now: Timestamp) throws -> Int {
        try pool.write { db in
            try db.execute(
                literal: """
                    INSERT OR IGNORE INTO delivery (issue_id, subscriber_id, list_id, email, created_at, updated_at)
                    SELECT \(issueID), r.id, s.list_id, r.email, \(now.epochSeconds), \(now.epochSeconds)
                    \(Self.recipientsOf(list)) ORDER BY r.id
                    """)
            return db.changesCount
        }
    }

    /// Who a send to `list` reaches: the list's confirmed subscribers who are active.
    public func recipients(of list: String) throws -> [Subscriber] {
        try pool.read { db in
            try Row.fetchAll(db, literal: "SELECT r.* \(Self.recipientsOf(list)) ORDER BY r.id").map(Self.subscriber(from:))
        }
    }

    /// The one statement of who receives a list, shared by the queue and the dry run.
    private static func recipientsOf(_ list: String) -> SQL {
        """
        FROM subscription s JOIN subscriber r ON r.id = s.subscriber_id
        WHERE s.list_id = \(list) AND s.status = 'confirmed' AND r.status = 'active'
        """
    }

    /// Rows left in `sending` by a run that died: the server may have taken their message,
    /// so they become `uncertain` and are never sent again by themselves. Call only while
    /// holding the issue's send lock. Returns how many rows changed.
    @discardableResult
    public func markStaleSendingUncertain(issueID: Int64, now: Timestamp) throws -> Int {
        try pool.write { db in
            try db.execute(
                literal: """
                    UPDATE delivery SET state = 'uncertain', updated_at = \(now.epochSeconds),
                        smtp_reply = 'was being sent when an earlier run stopped; the server may have accepted it'
                    WHERE issue_id = \(issueID) AND state = 'sending'
                    """)
            return db.changesCount
        }
    }

    /// Claims up to `limit` deliveries due now (`pending`, or `deferred` whose retry time has come)
    /// in one committed transaction: `-> sending`. Rows whose subscriber has since unsubscribed,
    /// bounced or been blocked become `skipped` instead. Returns the claimed rows: due retries
    /// first, then pending rows, each oldest first.
    public func claimDeliveries(issueID: Int64, limit: Int, now: Timestamp) throws -> [ClaimedDelivery] {
        try exchangeDeliveries(issueID: issueID, recording: [], claiming: limit, now: now)
    }

    /// Commits the results of claimed deliveries in one transaction. Each update is
    /// conditional on the row still being `sending`; returns how many rows changed.
    /// A failure that is a bounce (not a 5.7.x policy refusal) adds to the subscriber's bounce
    /// score in the same transaction; at the policy's threshold they become `bounced`.
    @discardableResult
    public func recordDeliveryResults(_ results: [DeliveryResult], now: Timestamp, bounces: BouncePolicy = BouncePolicy()) throws
        -> Int
    {
        guard !results.isEmpty else { return 0 }
        return try pool.write { db in try Self.record(db, results, now: now, bounces: bounces) }
    }

    /// The mailer's one transaction per group: records `results` (as `recordDeliveryResults`),
    /// then claims up to `limit` more rows (as `claimDeliveries`), with one commit for both.
    public func exchangeDeliveries(
        issueID: Int64, recording results: [DeliveryResult], claiming limit: Int, now: Timestamp,
        bounces: BouncePolicy = BouncePolicy()
    ) throws -> [ClaimedDelivery] {
        guard !results.isEmpty || limit > 0 else { return [] }
        return try pool.write { db in
            try Self.record(db, results, now: now, bounces: bounces)
            guard limit > 0 else { return [] }
            // Staff paused or cancelled the send: claim nothing more (rows in flight finish).
            guard try String.fetchOne(db, literal: "SELECT send_control FROM issue WHERE id = \(issueID)") == "run" else {
                return []
            }
            // Rows skipped here do not fill the batch: look further until some row is claimed
            // or none is due, so a run does not end early after many unsubscribes.
            var claimed: [ClaimedDelivery] = []
            var skippedAny = true
            while claimed.isEmpty && skippedAny {
                skippedAny = false
                // Two queries, each walking the (issue_id, state) index in id order: one with an
                // OR would scan every row of the issue on each claim.
                var rows = try Self.dueRows(db, issueID: issueID, state: "deferred", now: now, limit: limit)
                if rows.count < limit {
                    rows += try Self.dueRows(db, issueID: issueID, state: "pending", now: nil, limit: limit - rows.count)
                }
                for row in rows {
                    if let delivery = try Self.claim(db, row, now: now) {
                        claimed.append(delivery)
                    } else {
                        skippedAny = true
                    }
                }
            }
            return claimed
        }
    }

    private static func dueRows(_ db: Database, issueID: Int64, state: String, now: Timestamp?, limit: Int) throws -> [Row] {
        let due: SQL = now.map { "AND d.retry_at <= \($0.epochSeconds)" } ?? ""
        let statement = try db.cachedStatement(
            literal: """
                SELECT d.id AS delivery_id, d.list_id, d.state AS delivery_state, d.attempts AS delivery_attempts,
                    d.created_at AS queued_at, s.status AS subscription_status, r.*
                FROM delivery d JOIN subscriber r ON r.id = d.subscriber_id
                LEFT JOIN subscription s ON s.subscriber_id = d.subscriber_id AND s.list_id = d.list_id
                WHERE d.issue_id = \(issueID) AND d.state = \(state) \(due)
                ORDER BY d.id LIMIT \(limit)
                """)
        return try Row.fetchAll(statement)
    }

    /// Claims one due row (`-> sending`), or marks it `skipped` when its subscriber may no
    /// longer be mailed (returning nil).
    private static func claim(_ db: Database, _ row: Row, now: Timestamp) throws -> ClaimedDelivery? {
        let id: Int64 = row["delivery_id"]
        let from: String = row["delivery_state"]
        let subscriber = try Self.subscriber(from: row)
        let subscription: String? = row["subscription_status"]
        if subscriber.status != .active || subscription != "confirmed" {
            let why = subscriber.status != .active ? "subscriber is \(subscriber.status.rawValue)" : "no longer subscribed"
            try db.execute(
                literal: """
                    UPDATE delivery SET state = 'skipped', smtp_reply = \(why), updated_at = \(now.epochSeconds)
                    WHERE id = \(id) AND state = \(from)
                    """)
            return nil
        }
        // A prepared statement kept for the connection: this runs once per message.
        try db.cachedStatement(
            sql: """
                UPDATE delivery SET state = 'sending', attempts = attempts + 1, email = ?, updated_at = ?
                WHERE id = ? AND state = ?
                """
        ).execute(arguments: [subscriber.email.value, now.epochSeconds, id, from])
        guard db.changesCount == 1 else { return nil }
        return ClaimedDelivery(
            id: id, subscriber: subscriber, listID: row["list_id"],
            attempts: (row["delivery_attempts"] as Int) + 1, queuedAt: Timestamp(epochSeconds: row["queued_at"]))
    }

    @discardableResult
    private static func record(_ db: Database, _ results: [DeliveryResult], now: Timestamp, bounces: BouncePolicy) throws -> Int {
        var changed = 0
        for result in results where result.event == .permanentFailure {
            guard let kind = BouncePolicy.kind(code: result.code, reply: result.reply) else { continue }
            try Self.countBounce(db, deliveryID: result.id, kind: kind, policy: bounces, now: now)
        }
        for result in results {
            guard let state = DeliveryState.sending.after(result.event) else { continue }
            // A row released because the relay failed was never tried: it does not count as an attempt.
            let attempt = result.event == .released ? -1 : 0
            try db.cachedStatement(
                sql: """
                    UPDATE delivery SET state = ?, attempts = attempts + ?, smtp_code = ?, smtp_reply = ?, retry_at = ?,
                        updated_at = ?
                    WHERE id = ? AND state = 'sending'
                    """
            ).execute(arguments: [
                state.rawValue, attempt, result.code, result.reply, result.retryAt?.epochSeconds, now.epochSeconds,
                result.id,
            ])
            changed += db.changesCount
        }
        return changed
    }

    /// Of these deliveries, those whose subscriber may no longer be mailed (not active, or no
    /// longer confirmed on the row's list), with why. A read: nothing changes.
    public func notMailable(deliveryIDs: [Int64]) throws -> [Int64: String] {
        guard !deliveryIDs.isEmpty else { return [:] }
        return try pool.read { db in
            var result: [Int64: String] = [:]
            let rows = try Row.fetchAll(
                db,
                literal: """
                    SELECT d.id, r.status, s.status AS subscription_status
                    FROM delivery d JOIN subscriber r ON r.id = d.subscriber_id
                    LEFT JOIN subscription s ON s.subscriber_id = d.subscriber_id AND s.list_id = d.list_id
                    WHERE d.id IN \(deliveryIDs) AND (r.status != 'active' OR s.status IS NOT 'confirmed')
                    """)
            for row in rows {
                let status: String = row["status"]
                result[row["id"]] = status != "active" ? "subscriber is \(status)" : "no longer subscribed"
            }
            return result
        }
    }

    /// Puts rows in `state` (normally `uncertain`) back in the queue, on purpose: staff decided
    /// to send them again, knowing some recipients may get a second copy (it carries the same
    /// Message-ID, so mail clients can tell). Returns the rows requeued.
    public func requeue(issueID: Int64, state: DeliveryState, by staff: String, now: Timestamp) throws -> [DeliveryRow] {
        try pool.write { db in
            let ids = try Int64.fetchAll(
                db, literal: "SELECT id FROM delivery WHERE issue_id = \(issueID) AND state = \(state.rawValue) ORDER BY id")
            try db.execute(
                literal: """
                    UPDATE delivery SET state = 'pending', retry_at = NULL, updated_at = \(now.epochSeconds),
                        created_at = \(now.epochSeconds),
                        smtp_reply = \("was \(state.rawValue); queued again on purpose by \(staff)")
                    WHERE issue_id = \(issueID) AND state = \(state.rawValue)
                    """)
            return try ids.compactMap { id in
                try Row.fetchOne(db, literal: "SELECT d.*, i.month FROM delivery d JOIN issue i ON i.id = d.issue_id WHERE d.id = \(id)")
                    .map(Self.deliveryRow)
            }
        }
    }

    private static func countBounce(_ db: Database, deliveryID: Int64, kind: BouncePolicy.Kind, policy: BouncePolicy, now: Timestamp) throws {
        guard
            let subscriberID = try Int64.fetchOne(
                db, literal: "SELECT subscriber_id FROM delivery WHERE id = \(deliveryID) AND state = 'sending'")
        else { return }
        try countBounce(db, subscriberID: subscriberID, kind: kind, policy: policy, now: now)
    }

    /// Adds a bounce to a subscriber's score; at the threshold they become `bounced`.
    static func countBounce(_ db: Database, subscriberID: Int64, kind: BouncePolicy.Kind, policy: BouncePolicy, now: Timestamp) throws {
        guard
            let row = try Row.fetchOne(
                db, literal: "SELECT bounce_score, bounce_updated_at, status FROM subscriber WHERE id = \(subscriberID)")
        else { return }
        let score = policy.score(
            after: kind, current: row["bounce_score"], lastBounce: (row["bounce_updated_at"] as Int64?).map(Timestamp.init(epochSeconds:)),
            now: now)
        try db.execute(
            literal: "UPDATE subscriber SET bounce_score = \(score), bounce_updated_at = \(now.epochSeconds) WHERE id = \(subscriberID)")
        if policy.isBounced(score), row["status"] == "active" {
            try db.execute(literal: "UPDATE subscriber SET status = 'bounced', updated_at = \(now.epochSeconds) WHERE id = \(subscriberID)")
            try db.execute(
                literal: """
                    INSERT INTO subscription_event (subscriber_id, list_id, event, at, detail)
                    VALUES (\(subscriberID), NULL, 'bounced', \(now.epochSeconds), \("bounce score \(score) reached \(policy.threshold)"))
                    """)
        }
    }

    /// Pauses, resumes or cancels the sending of an issue, from any process. A cancel turns
    /// every row still waiting into `skipped`. Returns the rows a cancel skipped.
    @discardableResult
    public func setSendControl(issueID: Int64, _ control: SendControl, by staff: String, now: Timestamp) throws -> Int {
        try pool.write { db in
            try db.execute(literal: "UPDATE issue SET send_control = \(control.rawValue) WHERE id = \(issueID)")
            guard control == .cancelled else { return 0 }
            try db.execute(
                literal: """
                    UPDATE delivery SET state = 'skipped', smtp_reply = \("sending cancelled by \(staff)"),
                        updated_at = \(now.epochSeconds)
                    WHERE issue_id = \(issueID) AND state IN ('pending', 'deferred')
                    """)
            return db.changesCount
        }
    }

    public func sendControl(issueID: Int64) throws -> SendControl {
        try pool.read { db in
            SendControl(rawValue: try String.fetchOne(db, literal: "SELECT send_control FROM issue WHERE id = \(issueID)") ?? "run") ?? .run
        }
    }

    /// When the earliest deferred delivery of an issue may be tried again (nothing while paused).
    public func nextRetry(issueID: Int64) throws -> Timestamp? {
        try pool.read { db in
            guard try String.fetchOne(db, literal: "SELECT send_control FROM issue WHERE id = \(issueID)") == "run" else {
                return nil
            }
            return try Int64.fetchOne(
                db, literal: "SELECT MIN(retry_at) FROM delivery WHERE issue_id = \(issueID) AND state = 'deferred'"
            ).map(Timestamp.init(epochSeconds:))
        }
    }

    /// How many deliveries of an issue are in each state.
    public func deliveryCounts(issueID: Int64) throws -> [DeliveryState: Int] {
        try pool.read { db in
            var counts: [DeliveryState: Int] = [:]
            for row in try Row.fetchAll(
                db, literal: "SELECT state, COUNT(*) AS n FROM delivery WHERE issue_id = \(issueID) GROUP BY state")
            {
                if let state = DeliveryState(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }

    /// Delivery rows, optionally of one issue month and one state, oldest first.
    public func deliveries(month: IssueMonth? = nil, state: DeliveryState? = nil) throws -> [DeliveryRow] {
        try pool.read { db in
            var sql: SQL = """
                SELECT d.*, i.month FROM delivery d JOIN issue i ON i.id = d.issue_id WHERE 1
                """
            if let month { sql += " AND i.month = \(month.description)" }
            if let state { sql += " AND d.state = \(state.rawValue)" }
            sql += " ORDER BY d.id"
            return try Row.fetchAll(db, literal: sql).map(Self.deliveryRow)
        }
    }

    static func deliveryRow(_ row: Row) -> DeliveryRow {
        DeliveryRow(
            id: row["id"], issueMonth: row["month"], email: row["email"], listID: row["list_id"],
            state: DeliveryState(rawValue: row["state"]) ?? .uncertain, attempts: row["attempts"],
            code: row["smtp_code"], reply: row["smtp_reply"], updatedAt: Timestamp(epochSeconds: row["updated_at"]))
    }
}
