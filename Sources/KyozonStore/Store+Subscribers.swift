import GRDB
import KyozonDomain

/// A subscriber to add, with the lists they are to receive.
public struct NewSubscriber: Sendable {
    public let email: EmailAddress
    public let name: String
    public let organization: String
    public let prefecture: Prefecture?
    public let lists: [String]
    /// The character set of their copies; nil keeps what an existing subscriber has (UTF-8 for a new one).
    public let charset: MailCharset?

    public init(
        email: EmailAddress, name: String, organization: String, prefecture: Prefecture?, lists: [String],
        charset: MailCharset? = nil
    ) {
        self.charset = charset
        self.email = email
        self.name = name
        self.organization = organization
        self.prefecture = prefecture
        self.lists = lists
    }
}

/// How a subscriber's consent was obtained: kept with each subscription as evidence.
public struct Consent: Sendable {
    /// `import` (staff imported a file), `staff` (staff added one address), later `form`.
    public let method: String
    /// Who did it: the staff member's login name.
    public let by: String
    /// What it came from: `subscribers.csv line 4`, a form version.
    public let source: String

    public init(method: String, by: String, source: String) {
        self.method = method
        self.by = by
        self.source = source
    }
}

/// What adding one subscriber did, list by list.
public struct SubscribeResult: Sendable, Equatable {
    public var newSubscriber = false
    public var subscribed: [String] = []
    public var alreadySubscribed: [String] = []
    /// Lists not subscribed, with why (unsubscribed before, blocked, bounced, unknown list).
    public var refused: [Refusal] = []

    public struct Refusal: Sendable, Equatable, CustomStringConvertible {
        public let list: String
        public let reason: String
        public var description: String { "\(list): \(reason)" }
    }
}

/// A subscriber with their subscriptions.
public struct SubscriberSummary: Sendable {
    public let subscriber: Subscriber
    public let subscriptions: [(list: String, status: SubscriptionStatus)]
}

extension Store {
    /// Adds subscribers confirmed by staff, all in one transaction. Never re-subscribes an
    /// address that unsubscribed from a list, or one that is blocked or bounced: those are
    /// reported in `refused`.
    ///
    /// `resubscribe` lets staff subscribe again, on purpose, an address that had unsubscribed
    /// (recorded as new consent); blocked and bounced addresses are never subscribed again here.
    ///
    /// `suppression` gives the keyed hashes of an address (under the current and earlier keys):
    /// one that was erased (its hash kept in the suppression table) is never subscribed again.
    public func addSubscribers(
        _ people: [NewSubscriber], consent: [Consent], resubscribe: Bool = false, now: Timestamp,
        suppression: (@Sendable (EmailAddress) -> [String])? = nil
    ) throws -> [SubscribeResult] {
        precondition(people.count == consent.count)
        return try pool.write { db in
            let lists = Set(try String.fetchAll(db, sql: "SELECT id FROM mailing_list WHERE archived = 0"))
            return try zip(people, consent).map { person, consent in
                if let suppression,
                    try Int.fetchOne(db, literal: "SELECT 1 FROM suppression WHERE address_hash IN \(suppression(person.email))") != nil
                {
                    var result = SubscribeResult()
                    result.refused = person.lists.map { .init(list: $0, reason: "the address was erased at its owner's request; it is never mailed again") }
                    return result
                }
                return try Self.add(person, consent: consent, knownLists: lists, resubscribe: resubscribe, now: now, db)
            }
        }
    }

    private static func add(
        _ person: NewSubscriber, consent: Consent, knownLists: Set<String>, resubscribe: Bool, now: Timestamp,
        _ db: Database
    ) throws -> SubscribeResult {
        var result = SubscribeResult()
        let key = person.email.normalized.lowercased()
        let existing = try Row.fetchOne(db.cachedStatement(literal: "SELECT id, status FROM subscriber WHERE email_key = \(key)"))
        if let existing, existing["status"] != "active" {
            let status: String = existing["status"]
            let why = status == "blocked" ? "staff blocked the address" : "mail to the address bounced"
            result.refused = person.lists.map {
                .init(list: $0, reason: "\(why) (\(status)); it is not subscribed again")
            }
            return result
        }
        let unknown = person.lists.filter { !knownLists.contains($0) }
        result.refused += unknown.map { .init(list: $0, reason: "no such list; see `kyozon lists list`") }
        let wanted = person.lists.filter { knownLists.contains($0) }
        guard !wanted.isEmpty else { return result }

        let subscriberID: Int64
        if let existing {
            subscriberID = existing["id"]
            if let charset = person.charset {
                try db.execute(literal: "UPDATE subscriber SET charset = \(charset.rawValue) WHERE id = \(subscriberID)")
            }
        } else {
            try db.cachedStatement(literal: """
                    INSERT INTO subscriber (email, email_key, name, organization, prefecture, charset, created_at, updated_at)
                    VALUES (\(person.email.value), \(key), \(person.name), \(person.organization),
                        \(person.prefecture?.code), \((person.charset ?? .utf8).rawValue), \(now.epochSeconds), \(now.epochSeconds))
                    """).execute()
            subscriberID = db.lastInsertedRowID
            result.newSubscriber = true
        }
        for list in wanted {
            let row = try Row.fetchOne(db.cachedStatement(literal: """
                    SELECT status, unsubscribed_at, unsubscribe_reason FROM subscription
                    WHERE subscriber_id = \(subscriberID) AND list_id = \(list)
                    """))
            switch row?["status"] as String? {
            case "confirmed":
                result.alreadySubscribed.append(list)
            case "unsubscribed" where resubscribe:
                try db.cachedStatement(literal: """
                        UPDATE subscription SET status = 'confirmed', consent_method = \(consent.method),
                            consent_by = \(consent.by), consent_source = \(consent.source), consent_at = \(now.epochSeconds),
                            unsubscribed_at = NULL, unsubscribe_reason = NULL
                        WHERE subscriber_id = \(subscriberID) AND list_id = \(list)
                        """).execute()
                try logEvent(db, subscriberID, list, "resubscribed", consent, now)
                result.subscribed.append(list)
            case "unsubscribed":
                let when = Timestamp(epochSeconds: row?["unsubscribed_at"] ?? 0)
                let why: String = row?["unsubscribe_reason"] ?? ""
                result.refused.append(
                    .init(
                        list: list,
                        reason: "unsubscribed on \(TokyoTime.date(atEpochSeconds: when.epochSeconds))"
                            + (why.isEmpty ? "" : " (\(why))") + "; not subscribed again (staff may, on purpose: kyozon subscribers add --resubscribe)"))
            case "pending":
                try db.cachedStatement(literal: """
                        UPDATE subscription SET status = 'confirmed', consent_method = \(consent.method),
                            consent_by = \(consent.by), consent_source = \(consent.source), consent_at = \(now.epochSeconds)
                        WHERE subscriber_id = \(subscriberID) AND list_id = \(list)
                        """).execute()
                try logEvent(db, subscriberID, list, "confirmed", consent, now)
                result.subscribed.append(list)
            default:
                try db.cachedStatement(literal: """
                        INSERT INTO subscription
                            (subscriber_id, list_id, status, consent_method, consent_by, consent_source, consent_at)
                        VALUES (\(subscriberID), \(list), 'confirmed', \(consent.method), \(consent.by),
                            \(consent.source), \(now.epochSeconds))
                        """).execute()
                try logEvent(db, subscriberID, list, "subscribed", consent, now)
                result.subscribed.append(list)
            }
        }
        return result
    }

    static func logEvent(
        _ db: Database, _ subscriberID: Int64, _ list: String?, _ event: String, _ consent: Consent, _ now: Timestamp
    ) throws {
        try db.cachedStatement(literal: """
                INSERT INTO subscription_event (subscriber_id, list_id, event, at, detail)
                VALUES (\(subscriberID), \(list), \(event), \(now.epochSeconds),
                    \("\(consent.method) by \(consent.by): \(consent.source)"))
                """).execute()
    }

    /// Unsubscribes an address from every list, keeping the subscriber and their history.
    /// Returns the lists it left.
    public func removeSubscriber(_ email: EmailAddress, by staff: String, now: Timestamp) throws -> [String] {
        try pool.write { db in
            let key = email.normalized.lowercased()
            guard let id = try Int64.fetchOne(db, literal: "SELECT id FROM subscriber WHERE email_key = \(key)") else {
                throw StoreError.unknownSubscriber(email.value)
            }
            let lists = try String.fetchAll(
                db,
                literal: """
                    SELECT list_id FROM subscription WHERE subscriber_id = \(id) AND status != 'unsubscribed'
                    ORDER BY list_id
                    """)
            let reason = "removed by \(staff)"
            try db.execute(
                literal: """
                    UPDATE subscription SET status = 'unsubscribed', unsubscribed_at = \(now.epochSeconds),
                        unsubscribe_reason = \(reason)
                    WHERE subscriber_id = \(id) AND status != 'unsubscribed'
                    """)
            let consent = Consent(method: "staff", by: staff, source: "kyozon subscribers remove")
            for list in lists { try Self.logEvent(db, id, list, "unsubscribed", consent, now) }
            try db.execute(literal: "UPDATE subscriber SET updated_at = \(now.epochSeconds) WHERE id = \(id)")
            return lists
        }
    }

    /// Subscribers with their subscriptions, optionally only those with a subscription to `list`.
    public func subscribers(onList list: String? = nil) throws -> [SubscriberSummary] {
        try pool.read { db in
            let rows: [Row]
            if let list {
                rows = try Row.fetchAll(
                    db,
                    literal: """
                        SELECT r.* FROM subscriber r JOIN subscription s ON s.subscriber_id = r.id
                        WHERE s.list_id = \(list) ORDER BY r.email_key
                        """)
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM subscriber ORDER BY email_key")
            }
            return try rows.map { row in
                let id: Int64 = row["id"]
                let subscriptions = try Row.fetchAll(
                    db, literal: "SELECT list_id, status FROM subscription WHERE subscriber_id = \(id) ORDER BY list_id"
                ).map { ($0["list_id"] as String, SubscriptionStatus(rawValue: $0["status"]) ?? .unsubscribed) }
                return SubscriberSummary(subscriber: try Self.subscriber(from: row), subscriptions: subscriptions)
            }
        }
    }

    /// One subscriber by row id (as the signed links name them), with their subscriptions.
    public func subscriber(id: Int64) throws -> SubscriberSummary? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, literal: "SELECT * FROM subscriber WHERE id = \(id)") else { return nil }
            let subscriptions = try Row.fetchAll(
                db, literal: "SELECT list_id, status FROM subscription WHERE subscriber_id = \(id) ORDER BY list_id"
            ).map { ($0["list_id"] as String, SubscriptionStatus(rawValue: $0["status"]) ?? .unsubscribed) }
            return SubscriberSummary(subscriber: try Self.subscriber(from: row), subscriptions: subscriptions)
        }
    }

    static func subscriber(from row: Row) throws -> Subscriber {
        Subscriber(
            id: row["id"], email: try EmailAddress(row["email"] as String), name: row["name"],
            organization: row["organization"], prefecture: (row["prefecture"] as Int?).flatMap(Prefecture.init(code:)),
            status: Subscriber.Status(rawValue: row["status"]) ?? .blocked,
            charset: MailCharset(rawValue: row["charset"] ?? "utf-8") ?? .utf8)
    }
}
