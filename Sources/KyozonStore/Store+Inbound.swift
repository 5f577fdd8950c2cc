import Foundation
import GRDB
import KyozonDomain

/// What a mail that came back does to the store.
public enum InboundEffect: Sendable, Equatable {
    /// Nothing but being kept (delayed reports, anything unrecognised).
    case none
    /// A bounce of one delivery: adds to its subscriber's bounce score.
    case bounce(deliveryID: Int64, kind: BouncePolicy.Kind)
    /// A reader's request by mail: unsubscribes the address from one list, or from all.
    case unsubscribe(email: EmailAddress, list: String?)
}

/// One mail that came back, as `kyozon inbound list` shows it.
public struct InboundRow: Sendable {
    public let id: Int64
    public let receivedAt: Timestamp
    public let source: String
    public let kind: String
    public let detail: String
    public let deliveryID: Int64?
    public let subscriberEmail: String?
}

extension Store {
    /// Keeps one incoming mail and applies its effect, in one transaction. The same mail
    /// (same bytes) a second time changes nothing and returns nil; otherwise what was done.
    @discardableResult
    public func recordInbound(
        contentHash: String, source: String, kind: String, detail: String, raw: [UInt8], effect: InboundEffect,
        bounces: BouncePolicy = BouncePolicy(), now: Timestamp
    ) throws -> String? {
        try pool.write { db in
            guard try Int64.fetchOne(db, literal: "SELECT id FROM inbound WHERE content_hash = \(contentHash)") == nil else {
                return nil
            }
            var deliveryID: Int64?
            var subscriberID: Int64?
            var done = "kept"
            switch effect {
            case .none:
                break
            case .bounce(let delivery, let bounceKind):
                guard let subscriber = try Int64.fetchOne(db, literal: "SELECT subscriber_id FROM delivery WHERE id = \(delivery)") else {
                    done = "kept: delivery \(delivery) is not in this store"
                    break
                }
                deliveryID = delivery
                subscriberID = subscriber
                try Self.countBounce(db, subscriberID: subscriber, kind: bounceKind, policy: bounces, now: now)
                let status = try String.fetchOne(db, literal: "SELECT status FROM subscriber WHERE id = \(subscriber)") ?? ""
                done = "\(bounceKind == .hard ? "hard" : "soft") bounce counted" + (status == "bounced" ? "; the subscriber is now bounced" : "")
            case .unsubscribe(let email, let list):
                let key = email.normalized.lowercased()
                guard let subscriber = try Int64.fetchOne(db, literal: "SELECT id FROM subscriber WHERE email_key = \(key)") else {
                    done = "kept: \(email) is not a subscriber"
                    break
                }
                subscriberID = subscriber
                let filter: SQL = list.map { "AND list_id = \($0)" } ?? ""
                let lists = try String.fetchAll(
                    db,
                    literal: """
                        SELECT list_id FROM subscription WHERE subscriber_id = \(subscriber) AND status != 'unsubscribed' \(filter)
                        ORDER BY list_id
                        """)
                try db.execute(
                    literal: """
                        UPDATE subscription SET status = 'unsubscribed', unsubscribed_at = \(now.epochSeconds),
                            unsubscribe_reason = 'asked by mail'
                        WHERE subscriber_id = \(subscriber) AND status != 'unsubscribed' \(filter)
                        """)
                let consent = Consent(method: "mail", by: email.value, source: "mail to the List-Unsubscribe address")
                for list in lists { try Self.logEvent(db, subscriber, list, "unsubscribed", consent, now) }
                done = lists.isEmpty ? "nothing to do: not subscribed" : "unsubscribed from \(lists.joined(separator: ", "))"
            }
            try db.execute(
                literal: """
                    INSERT INTO inbound (content_hash, received_at, source, kind, detail, delivery_id, subscriber_id, raw)
                    VALUES (\(contentHash), \(now.epochSeconds), \(source), \(kind), \(detail + " — " + done), \(deliveryID),
                        \(subscriberID), \(Data(raw)))
                    """)
            return done
        }
    }

    /// Incoming mail kept so far, newest first, optionally of one kind.
    public func inboundMessages(kind: String? = nil) throws -> [InboundRow] {
        try pool.read { db in
            let filter: SQL = kind.map { "WHERE i.kind = \($0)" } ?? ""
            return try Row.fetchAll(
                db,
                literal: """
                    SELECT i.id, i.received_at, i.source, i.kind, i.detail, i.delivery_id, r.email
                    FROM inbound i LEFT JOIN subscriber r ON r.id = i.subscriber_id \(filter)
                    ORDER BY i.received_at DESC, i.id DESC
                    """
            ).map {
                InboundRow(
                    id: $0["id"], receivedAt: Timestamp(epochSeconds: $0["received_at"]), source: $0["source"], kind: $0["kind"],
                    detail: $0["detail"], deliveryID: $0["delivery_id"], subscriberEmail: $0["email"])
            }
        }
    }
}
