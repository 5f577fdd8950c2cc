import GRDB
import KyozonDomain

/// What a request from the subscribe form led to. The page answers the same whatever it is,
/// so that nobody learns from it whether an address is subscribed.
public enum SubscribeOutcome: Sendable, Equatable {
    /// Pending subscriptions were recorded: mail the confirmation link to the address.
    case confirmationNeeded(subscriberID: Int64, lists: [String])
    /// Nothing to confirm: already subscribed everywhere asked, or the address may not be
    /// mailed (blocked, bounced, erased). No mail is sent.
    case nothingToDo
}

/// A list the form asked for that cannot be had, with why (shown on the form: it is about
/// the list and the address's domain, never about membership).
public struct ListRefusal: Sendable, Equatable, CustomStringConvertible {
    public let list: String
    /// The domains the list admits, when that is why; empty when the list is not open at all.
    public let allowedDomains: [String]
    public var reason: String {
        allowedDomains.isEmpty ? "no such list is open for subscription" : "open to addresses at \(allowedDomains.joined(separator: ", ")) only"
    }
    /// The reason in Japanese, for the pages.
    public var japaneseReason: String {
        allowedDomains.isEmpty ? "このリストは登録を受け付けていません" : "次のドメインのアドレスでのみ登録できます：" + allowedDomains.joined(separator: "、")
    }
    public var description: String { "\(list): \(reason)" }
}

extension Store {
    /// Records a request from the subscribe form (double opt-in, step one): the address's
    /// subscriptions to the chosen lists become `pending`, with the form's consent evidence
    /// (when, the form's text version, from which client), until the link mailed to the
    /// address is followed. Lists that are private, archived, unknown or whose allow-list
    /// does not admit the address are refused, and nothing is recorded for them.
    public func requestSubscription(
        email: EmailAddress, name: String, organization: String, prefecture: Prefecture?, lists: [String],
        formVersion: String, client: String, now: Timestamp, suppression: (@Sendable (EmailAddress) -> [String])? = nil
    ) throws -> (outcome: SubscribeOutcome, refused: [ListRefusal]) {
        try pool.write { db in
            var refused: [ListRefusal] = []
            var wanted: [String] = []
            for id in lists {
                if let refusal = try Self.refusal(db, list: id, for: email) {
                    refused.append(refusal)
                    continue
                }
                wanted.append(id)
            }
            guard !wanted.isEmpty else { return (.nothingToDo, refused) }
            if let suppression,
                try Int.fetchOne(db, literal: "SELECT 1 FROM suppression WHERE address_hash IN \(suppression(email))") != nil
            {
                return (.nothingToDo, refused)
            }
            let key = email.normalized.lowercased()
            let subscriberID: Int64
            if let existing = try Row.fetchOne(db, literal: "SELECT id, status FROM subscriber WHERE email_key = \(key)") {
                guard existing["status"] == "active" else { return (.nothingToDo, refused) }
                subscriberID = existing["id"]
            } else {
                try db.execute(
                    literal: """
                        INSERT INTO subscriber (email, email_key, name, organization, prefecture, created_at, updated_at)
                        VALUES (\(email.value), \(key), \(name), \(organization), \(prefecture?.code), \(now.epochSeconds), \(now.epochSeconds))
                        """)
                subscriberID = db.lastInsertedRowID
            }
            let consent = Consent(method: "form", by: email.value, source: "subscribe form \(formVersion) from \(client)")
            var pending: [String] = []
            for list in wanted {
                let status = try String.fetchOne(
                    db, literal: "SELECT status FROM subscription WHERE subscriber_id = \(subscriberID) AND list_id = \(list)")
                if status == "confirmed" { continue }
                if status == nil {
                    try db.execute(
                        literal: """
                            INSERT INTO subscription (subscriber_id, list_id, status, consent_method, consent_by, consent_source, consent_at)
                            VALUES (\(subscriberID), \(list), 'pending', 'form', \(consent.by), \(consent.source), \(now.epochSeconds))
                            """)
                } else {
                    try db.execute(
                        literal: """
                            UPDATE subscription SET status = 'pending', consent_method = 'form', consent_by = \(consent.by),
                                consent_source = \(consent.source), consent_at = \(now.epochSeconds), unsubscribed_at = NULL,
                                unsubscribe_reason = NULL
                            WHERE subscriber_id = \(subscriberID) AND list_id = \(list)
                            """)
                }
                try Self.logEvent(db, subscriberID, list, "requested", consent, now)
                pending.append(list)
            }
            return (pending.isEmpty ? .nothingToDo : .confirmationNeeded(subscriberID: subscriberID, lists: pending), refused)
        }
    }

    /// Double opt-in, step two: the address's owner followed the confirmation link. Pending
    /// subscriptions become `confirmed`. The link works once: `tokenSignature` is remembered,
    /// and a second use confirms nothing (returns nil). Returns the lists confirmed.
    public func confirmSubscriptions(subscriberID: Int64, tokenSignature: String, now: Timestamp) throws -> [String]? {
        try pool.write { db in
            guard try Int.fetchOne(db, literal: "SELECT 1 FROM used_token WHERE signature = \(tokenSignature)") == nil else {
                return nil
            }
            try db.execute(
                literal: "INSERT INTO used_token (signature, purpose, used_at) VALUES (\(tokenSignature), 'confirm', \(now.epochSeconds))")
            guard try String.fetchOne(db, literal: "SELECT status FROM subscriber WHERE id = \(subscriberID)") == "active" else {
                return []
            }
            let lists = try String.fetchAll(
                db,
                literal: "SELECT list_id FROM subscription WHERE subscriber_id = \(subscriberID) AND status = 'pending' ORDER BY list_id")
            try db.execute(
                literal: """
                    UPDATE subscription SET status = 'confirmed', consent_at = \(now.epochSeconds),
                        consent_source = consent_source || '; confirmed by the link mailed to the address'
                    WHERE subscriber_id = \(subscriberID) AND status = 'pending'
                    """)
            let consent = Consent(method: "form", by: "the address's owner", source: "confirmation link")
            for list in lists { try Self.logEvent(db, subscriberID, list, "confirmed", consent, now) }
            return lists
        }
    }

    /// Unsubscribes a subscriber, known by the signed link in their mail, from `lists` (nil:
    /// all). Idempotent: a second request changes nothing. Returns the lists left.
    @discardableResult
    public func unsubscribe(subscriberID: Int64, from lists: [String]?, how: String, now: Timestamp) throws -> [String] {
        try pool.write { db in
            let filter: SQL = lists.map { "AND list_id IN \($0)" } ?? ""
            let left = try String.fetchAll(
                db,
                literal: """
                    SELECT list_id FROM subscription WHERE subscriber_id = \(subscriberID) AND status != 'unsubscribed' \(filter)
                    ORDER BY list_id
                    """)
            guard !left.isEmpty else { return [] }
            try db.execute(
                literal: """
                    UPDATE subscription SET status = 'unsubscribed', unsubscribed_at = \(now.epochSeconds), unsubscribe_reason = \(how)
                    WHERE subscriber_id = \(subscriberID) AND status != 'unsubscribed' \(filter)
                    """)
            let consent = Consent(method: how, by: "the subscriber", source: "signed link")
            for list in left { try Self.logEvent(db, subscriberID, list, "unsubscribed", consent, now) }
            return left
        }
    }

    /// The preferences page, reached by the signed link in the subscriber's mail: afterwards
    /// they are subscribed to exactly the lists in `wanted` among those `offered`. Lists newly
    /// chosen are confirmed at once (the link was mailed to the address, which is what a
    /// confirmation would prove), with this page as the consent evidence, if the list is public,
    /// open and admits the address; lists left unticked are left. When any list is refused,
    /// nothing changes; nor for an address that may not be mailed (blocked, bounced). Returns
    /// what changed, or what was refused.
    public func changeSubscriptions(
        subscriberID: Int64, offered: [String], wanted: Set<String>, formVersion: String, client: String, now: Timestamp
    ) throws -> (joined: [String], left: [String], refused: [ListRefusal]) {
        try pool.write { db in
            guard let row = try Row.fetchOne(db, literal: "SELECT * FROM subscriber WHERE id = \(subscriberID)"),
                row["status"] == "active"
            else { return ([], [], []) }
            let email = try EmailAddress(row["email"] as String)
            var joined: [String] = [], left: [String] = [], refused: [ListRefusal] = []
            var statuses: [String: String] = [:]
            for id in offered {
                statuses[id] = try String.fetchOne(
                    db, literal: "SELECT status FROM subscription WHERE subscriber_id = \(subscriberID) AND list_id = \(id)")
            }
            // Refusals first: a form with one refused list changes nothing, and says why.
            for id in offered where wanted.contains(id) && statuses[id] != "confirmed" {
                if let refusal = try Self.refusal(db, list: id, for: email) { refused.append(refusal) }
            }
            guard refused.isEmpty else { return ([], [], refused) }
            let join = Consent(method: "preferences", by: email.value, source: "preferences page \(formVersion) from \(client), by the link mailed to the address")
            let leave = Consent(method: "preferences", by: "the subscriber", source: "signed link")
            for id in offered {
                let status = statuses[id]
                if wanted.contains(id) && status != "confirmed" {
                    try db.execute(
                        literal: """
                            INSERT INTO subscription (subscriber_id, list_id, status, consent_method, consent_by, consent_source, consent_at)
                            VALUES (\(subscriberID), \(id), 'confirmed', \(join.method), \(join.by), \(join.source), \(now.epochSeconds))
                            ON CONFLICT (subscriber_id, list_id) DO UPDATE SET status = 'confirmed', consent_method = excluded.consent_method,
                                consent_by = excluded.consent_by, consent_source = excluded.consent_source, consent_at = excluded.consent_at,
                                unsubscribed_at = NULL, unsubscribe_reason = NULL
                            """)
                    try Self.logEvent(db, subscriberID, id, "subscribed", join, now)
                    joined.append(id)
                } else if !wanted.contains(id) && (status == "confirmed" || status == "pending") {
                    try db.execute(
                        literal: """
                            UPDATE subscription SET status = 'unsubscribed', unsubscribed_at = \(now.epochSeconds), unsubscribe_reason = 'preferences'
                            WHERE subscriber_id = \(subscriberID) AND list_id = \(id)
                            """)
                    try Self.logEvent(db, subscriberID, id, "unsubscribed", leave, now)
                    left.append(id)
                }
            }
            return (joined, left, refused)
        }
    }

    /// Why `email` may not subscribe itself to `list` (not public, archived, unknown, or outside
    /// the allow-list), or nil when it may.
    static func refusal(_ db: Database, list id: String, for email: EmailAddress) throws -> ListRefusal? {
        guard let row = try Row.fetchOne(db, literal: "SELECT * FROM mailing_list WHERE id = \(id) AND archived = 0"),
            Self.list(from: row).isPublic
        else { return ListRefusal(list: id, allowedDomains: []) }
        let list = Self.list(from: row)
        return list.admits(email) ? nil : ListRefusal(list: id, allowedDomains: list.allowedDomains)
    }
}
