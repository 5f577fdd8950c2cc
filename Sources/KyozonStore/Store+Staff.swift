import Foundation
import GRDB
import KyozonDomain

/// Everything the store holds about one subscriber, for staff and for the person themselves.
public struct SubscriberHistory: Sendable {
    public struct Subscription: Sendable {
        public let list: String
        public let status: SubscriptionStatus
        /// How and when consent was given: `import`, `staff`, `form`, with who and from where.
        public let consentMethod: String
        public let consentBy: String?
        public let consentSource: String?
        public let consentAt: Timestamp
        public let unsubscribedAt: Timestamp?
        public let unsubscribeReason: String?
    }

    public struct Event: Sendable {
        public let at: Timestamp
        public let list: String?
        public let event: String
        public let detail: String
    }

    public struct Delivery: Sendable {
        public let issueMonth: String
        public let state: String
        public let reply: String?
        public let updatedAt: Timestamp
    }

    public let subscriber: Subscriber
    public let bounceScore: Double
    public let createdAt: Timestamp
    public let subscriptions: [Subscription]
    public let events: [Event]
    public let deliveries: [Delivery]
    /// Mail that came back about them (bounces, unsubscribe requests), with what was done.
    public let inbound: [String]
}

extension Store {
    /// Blocks an address: it is mailed no more (from the next message, even during a send) and
    /// never subscribed again by an import. Returns false when it was already blocked.
    @discardableResult
    public func blockSubscriber(_ email: EmailAddress, reason: String, by staff: String, now: Timestamp) throws -> Bool {
        try pool.write { db in
            let id = try Self.subscriberID(db, email)
            guard try String.fetchOne(db, literal: "SELECT status FROM subscriber WHERE id = \(id)") != "blocked" else { return false }
            try db.execute(literal: "UPDATE subscriber SET status = 'blocked', updated_at = \(now.epochSeconds) WHERE id = \(id)")
            try db.execute(
                literal: """
                    INSERT INTO subscription_event (subscriber_id, list_id, event, at, detail)
                    VALUES (\(id), NULL, 'blocked', \(now.epochSeconds), \("by \(staff): \(reason)"))
                    """)
            return true
        }
    }

    /// Moves a subscriber to a new address (an officer's new post in April), keeping their
    /// subscriptions, consent and history.
    public func changeAddress(from old: EmailAddress, to new: EmailAddress, by staff: String, now: Timestamp) throws {
        try pool.write { db in
            let id = try Self.subscriberID(db, old)
            let key = new.normalized.lowercased()
            if let other = try Int64.fetchOne(db, literal: "SELECT id FROM subscriber WHERE email_key = \(key)"), other != id {
                throw StoreError.addressTaken(new.value)
            }
            try db.execute(
                literal: "UPDATE subscriber SET email = \(new.value), email_key = \(key), updated_at = \(now.epochSeconds) WHERE id = \(id)")
            try db.execute(
                literal: """
                    INSERT INTO subscription_event (subscriber_id, list_id, event, at, detail)
                    VALUES (\(id), NULL, 'address changed', \(now.epochSeconds), \("by \(staff): \(old.value) -> \(new.value)"))
                    """)
        }
    }

    /// One subscriber's whole record: subscriptions with their consent, events, deliveries, bounces.
    public func history(of email: EmailAddress) throws -> SubscriberHistory {
        try pool.read { db in
            let id = try Self.subscriberID(db, email)
            let row = try Row.fetchOne(db, literal: "SELECT * FROM subscriber WHERE id = \(id)")!
            let subscriptions = try Row.fetchAll(
                db, literal: "SELECT * FROM subscription WHERE subscriber_id = \(id) ORDER BY consent_at, list_id"
            ).map {
                SubscriberHistory.Subscription(
                    list: $0["list_id"], status: SubscriptionStatus(rawValue: $0["status"]) ?? .unsubscribed,
                    consentMethod: $0["consent_method"], consentBy: $0["consent_by"], consentSource: $0["consent_source"],
                    consentAt: Timestamp(epochSeconds: $0["consent_at"]),
                    unsubscribedAt: ($0["unsubscribed_at"] as Int64?).map(Timestamp.init(epochSeconds:)),
                    unsubscribeReason: $0["unsubscribe_reason"])
            }
            let events = try Row.fetchAll(
                db, literal: "SELECT * FROM subscription_event WHERE subscriber_id = \(id) ORDER BY at, id"
            ).map {
                SubscriberHistory.Event(
                    at: Timestamp(epochSeconds: $0["at"]), list: $0["list_id"], event: $0["event"], detail: $0["detail"])
            }
            let deliveries = try Row.fetchAll(
                db,
                literal: """
                    SELECT i.month, d.state, d.smtp_reply, d.updated_at FROM delivery d JOIN issue i ON i.id = d.issue_id
                    WHERE d.subscriber_id = \(id) ORDER BY i.month, d.id
                    """
            ).map {
                SubscriberHistory.Delivery(
                    issueMonth: $0["month"], state: $0["state"], reply: $0["smtp_reply"], updatedAt: Timestamp(epochSeconds: $0["updated_at"]))
            }
            let inbound = try String.fetchAll(
                db, literal: "SELECT kind || ': ' || detail FROM inbound WHERE subscriber_id = \(id) ORDER BY received_at, id")
            return SubscriberHistory(
                subscriber: try Self.subscriber(from: row), bounceScore: row["bounce_score"],
                createdAt: Timestamp(epochSeconds: row["created_at"]), subscriptions: subscriptions, events: events,
                deliveries: deliveries, inbound: inbound)
        }
    }

    /// Erases a subscriber at their request: name, organisation, prefecture and address are
    /// replaced, the address kept only as `addressHash` (a keyed hash) in the suppression
    /// table so that it is never mailed or imported again, and their delivery rows, events and
    /// returned mail are kept without it. Returns the placeholder address now on the row.
    @discardableResult
    public func eraseSubscriber(_ email: EmailAddress, addressHash: String, by staff: String, now: Timestamp) throws -> String {
        try pool.write { db in
            let id = try Self.subscriberID(db, email)
            let placeholder = "erased.\(id)@erased.invalid"
            // The address as stored (the request may spell it in other case), and as asked.
            let stored = try String.fetchOne(db, literal: "SELECT email FROM subscriber WHERE id = \(id)") ?? email.value
            let spellings = Array(Set([stored, email.value]))
            try db.execute(
                literal: """
                    UPDATE subscriber SET email = \(placeholder), email_key = \(placeholder), name = '', organization = '',
                        prefecture = NULL, status = 'blocked', updated_at = \(now.epochSeconds)
                    WHERE id = \(id)
                    """)
            for address in spellings {
                try db.execute(
                    literal: """
                        UPDATE subscription SET status = 'unsubscribed', unsubscribed_at = COALESCE(unsubscribed_at, \(now.epochSeconds)),
                            unsubscribe_reason = COALESCE(unsubscribe_reason, 'erased at the subscriber''s request'),
                            consent_by = CASE WHEN lower(consent_by) = lower(\(address)) THEN 'the subscriber' ELSE consent_by END
                        WHERE subscriber_id = \(id)
                        """)
                // The address may sit in servers' replies, in the details of events, and in the outbox.
                try db.execute(
                    literal: """
                        UPDATE delivery SET email = \(placeholder), smtp_reply = REPLACE(smtp_reply, \(address), \(placeholder))
                        WHERE subscriber_id = \(id)
                        """)
                try db.execute(
                    literal: "UPDATE subscription_event SET detail = REPLACE(detail, \(address), \(placeholder)) WHERE subscriber_id = \(id)")
                try db.execute(
                    literal: """
                        UPDATE inbound SET raw = X'', detail = REPLACE(detail, \(address), \(placeholder)) WHERE subscriber_id = \(id)
                        """)
                // Mails to them (confirmation, welcome: with their name and links) keep only that they were sent.
                try db.execute(
                    literal: """
                        UPDATE outbox SET recipient = \(placeholder), body = '', subject = '(erased)',
                            reply = CASE WHEN state IN ('pending', 'deferred') THEN 'not sent: erased at the subscriber''s request' ELSE reply END,
                            state = CASE WHEN state IN ('pending', 'deferred') THEN 'failed' ELSE state END
                        WHERE lower(recipient) = lower(\(address))
                        """)
            }
            try db.execute(
                literal: """
                    INSERT OR IGNORE INTO suppression (address_hash, reason, at)
                    VALUES (\(addressHash), 'erased at the subscriber''s request', \(now.epochSeconds))
                    """)
            try db.execute(
                literal: """
                    INSERT INTO subscription_event (subscriber_id, list_id, event, at, detail)
                    VALUES (\(id), NULL, 'erased', \(now.epochSeconds), \("by \(staff)"))
                    """)
            return placeholder
        }
    }

    static func subscriberID(_ db: Database, _ email: EmailAddress) throws -> Int64 {
        let key = email.normalized.lowercased()
        guard let id = try Int64.fetchOne(db, literal: "SELECT id FROM subscriber WHERE email_key = \(key)") else {
            throw StoreError.unknownSubscriber(email.value)
        }
        return id
    }
}
