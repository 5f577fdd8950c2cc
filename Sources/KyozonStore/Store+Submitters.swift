import Foundation
import GRDB
import KyozonDomain

/// A submitting office with a token staff issued: what it sends through the form or the API
/// is recorded as from this office.
public struct Submitter: Sendable, Equatable {
    public let id: Int64
    public let office: String
    /// The office's prefecture: the default for its items.
    public let prefecture: Prefecture?
    /// Where its reports after each issue go, when set.
    public let email: EmailAddress?
    public let createdAt: Timestamp
    public let revoked: Bool

    public init(id: Int64, office: String, prefecture: Prefecture?, email: EmailAddress?, createdAt: Timestamp, revoked: Bool = false) {
        self.id = id
        self.office = office
        self.prefecture = prefecture
        self.email = email
        self.createdAt = createdAt
        self.revoked = revoked
    }
}

/// What became of one office's submissions for an issue.
public struct OfficeReport: Sendable {
    public let office: String
    public let email: EmailAddress?
    /// Titles published in the issue.
    public var published: [String] = []
    /// Accepted but not in the issue, with why (left out by staff, an event over before the send day).
    public var leftOut: [(title: String, why: String)] = []
    /// Refused by the collector, with every reason.
    public var rejected: [(source: String, reasons: [String])] = []
}

extension Store {
    /// Records a submitting office; `tokenHash` is a keyed hash of the token it was given
    /// (the token itself is never stored). Returns its id.
    public func addSubmitter(office: String, prefecture: Prefecture?, email: EmailAddress?, tokenHash: String, by: String, now: Timestamp) throws -> Int64 {
        try pool.write { db in
            try db.execute(
                literal: """
                    INSERT INTO submitter (office, prefecture, email, token_hash, created_by, created_at)
                    VALUES (\(office), \(prefecture?.code), \(email?.value), \(tokenHash), \(by), \(now.epochSeconds))
                    """)
            let id = db.lastInsertedRowID
            try Self.audit(db, by, "submitter.add", "\(id) \(office)", now)
            return id
        }
    }

    /// The office whose token hashes to one of `hashes` (current key first), unless revoked.
    public func submitter(tokenHashes hashes: [String]) throws -> Submitter? {
        try pool.read { db in
            try Row.fetchOne(db, literal: "SELECT * FROM submitter WHERE token_hash IN \(hashes) AND revoked_at IS NULL").map(Self.submitter(from:))
        }
    }

    /// Every submitting office, revoked ones included.
    public func submitters() throws -> [Submitter] {
        try pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM submitter ORDER BY id").map(Self.submitter(from:)) }
    }

    /// Revokes an office's token: from now on it is refused. Returns false when there is no such office.
    @discardableResult
    public func revokeSubmitter(id: Int64, by: String, now: Timestamp) throws -> Bool {
        try pool.write { db in
            try db.execute(literal: "UPDATE submitter SET revoked_at = \(now.epochSeconds) WHERE id = \(id) AND revoked_at IS NULL")
            guard db.changesCount > 0 else { return false }
            try Self.audit(db, by, "submitter.revoke", "\(id)", now)
            return true
        }
    }

    static func submitter(from row: Row) -> Submitter {
        Submitter(
            id: row["id"], office: row["office"], prefecture: (row["prefecture"] as Int?).flatMap(Prefecture.init(code:)),
            email: (row["email"] as String?).flatMap { try? EmailAddress($0) }, createdAt: Timestamp(epochSeconds: row["created_at"]),
            revoked: row["revoked_at"] as Int64? != nil)
    }

    /// For each office that submitted in `month`: what the issue published, what it left out
    /// and why, and what was refused and why. Offices with a submitter record carry its address.
    public func officeReports(month: IssueMonth) throws -> [OfficeReport] {
        let editable = try editableItems(in: month)
        return try pool.read { db in
            var reports: [String: OfficeReport] = [:]
            func report(_ office: String) -> OfficeReport {
                reports[office] ?? OfficeReport(office: office, email: nil)
            }
            for entry in editable {
                var r = report(entry.item.submittedBy)
                if entry.included {
                    r.published.append(entry.item.title)
                } else {
                    r.leftOut.append((entry.item.title, entry.choice == "exclude" ? "編集の判断で掲載を見送りました" : "配信日までに終了する催しのため掲載していません"))
                }
                reports[entry.item.submittedBy] = r
            }
            let rejected = try Row.fetchAll(
                db,
                literal: """
                    SELECT submitted_by, source_file, source_position, title, reasons FROM submission
                    WHERE month = \(month.description) AND status = 'rejected' ORDER BY id
                    """)
            for row in rejected {
                let office = (row["submitted_by"] as String?) ?? "(提出元不明)"
                var r = report(office)
                r.rejected.append((Self.location(row).description, Self.decode(row["reasons"]).map(\.description)))
                reports[office] = r
            }
            let addresses = Dictionary(
                try Row.fetchAll(db, sql: "SELECT office, email FROM submitter WHERE email IS NOT NULL AND revoked_at IS NULL").map {
                    ($0["office"] as String, $0["email"] as String)
                }) { first, _ in first }
            return reports.values.sorted { $0.office < $1.office }.map { r in
                OfficeReport(
                    office: r.office, email: addresses[r.office].flatMap { try? EmailAddress($0) }, published: r.published,
                    leftOut: r.leftOut, rejected: r.rejected)
            }
        }
    }
}
