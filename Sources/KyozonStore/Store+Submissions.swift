import Foundation
import GRDB
import KyozonCollector
import KyozonDomain

/// What saving a batch of collected submissions changed.
public struct SubmissionSaveReport: Sendable, Equatable {
    /// Accepted items stored for the first time.
    public var accepted = 0
    /// Rejected items stored for the first time, with their reasons.
    public var rejected = 0
    /// Items already in the store (collected before): nothing changed.
    public var unchanged = 0
    /// Duplicates merged (same submitter and id, or same title, prefecture and start date):
    /// one line each saying which submission now stands.
    public var merged: [String] = []

    public init(accepted: Int = 0, rejected: Int = 0, unchanged: Int = 0, merged: [String] = []) {
        self.accepted = accepted
        self.rejected = rejected
        self.unchanged = unchanged
        self.merged = merged
    }
}

/// A submission kept out of the issue or needing a look, as `collect --report` lists it.
public struct ReportEntry: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case rejected
        /// Accepted but left out of the issue (an event over before the send day).
        case flagged
        /// Replaced by a later submission of the same item.
        case superseded
        /// Accepted, with text changed or worth a look.
        case warning
    }

    public let kind: Kind
    /// Where it came from: `file.csv:12 「title」`.
    public let source: String
    public let messages: [String]
}

extension Store {
    /// Stores every collected submission, accepted or rejected, once: an item seen before
    /// (same fingerprint) is left as it is, so collecting the same file twice changes nothing.
    /// An accepted item that duplicates another (same submitter and id, or same title,
    /// prefecture and start date) is merged: the one submitted last stands.
    public func saveSubmissions(_ submissions: [CollectedSubmission], receivedAt now: Timestamp) throws
        -> SubmissionSaveReport
    {
        try pool.write { db in
            var report = SubmissionSaveReport()
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            for submission in submissions {
                let month = (submission.submittedAt ?? now).issueMonth.description
                let warnings = String(decoding: try encoder.encode(submission.warnings), as: UTF8.self)
                let position = submission.source.position?.encoded
                switch submission.outcome {
                case .accepted(let item):
                    let flags = String(decoding: try encoder.encode(submission.flags.sorted { $0.rawValue < $1.rawValue }), as: UTF8.self)
                    try db.execute(
                        literal: """
                            INSERT OR IGNORE INTO submission
                                (fingerprint, source_file, source_position, status, month, submitted_at, received_at,
                                 external_id, submitted_by, title, category, prefecture, municipality, starts_on,
                                 ends_on, venue, summary, url, contact, warnings, flags, raw)
                            VALUES (\(submission.fingerprint), \(submission.source.origin), \(position),
                                'accepted', \(month), \(item.submittedAt.epochSeconds), \(now.epochSeconds),
                                \(item.externalID), \(item.submittedBy), \(item.title), \(item.category.rawValue),
                                \(item.prefecture.code), \(item.municipality), \(item.startsOn?.description),
                                \(item.endsOn?.description), \(item.venue), \(item.summary), \(item.url),
                                \(item.contact), \(warnings), \(flags), \(submission.raw))
                            """)
                    guard db.changesCount > 0 else {
                        report.unchanged += 1
                        continue
                    }
                    report.accepted += 1
                    report.merged += try Self.mergeDuplicates(of: db.lastInsertedRowID, item, db)
                case .rejected(let problems):
                    let reasons = String(decoding: try encoder.encode(problems), as: UTF8.self)
                    try db.execute(
                        literal: """
                            INSERT OR IGNORE INTO submission
                                (fingerprint, source_file, source_position, status, month, submitted_at, received_at,
                                 title, reasons, warnings, raw)
                            VALUES (\(submission.fingerprint), \(submission.source.origin), \(position),
                                'rejected', \(month), \(submission.submittedAt?.epochSeconds), \(now.epochSeconds),
                                \(submission.source.title), \(reasons), \(warnings), \(submission.raw))
                            """)
                    if db.changesCount > 0 { report.rejected += 1 } else { report.unchanged += 1 }
                }
            }
            return report
        }
    }

    /// Finds standing accepted items that are the same as the new one and keeps only the one
    /// submitted last (on a tie, the one received last). Returns a line per merge.
    private static func mergeDuplicates(of id: Int64, _ item: Item, _ db: Database) throws -> [String] {
        // Two indexed lookups joined by UNION: one query with OR would scan every standing item.
        let rows = try Row.fetchAll(
            db,
            literal: """
                SELECT id, submitted_at, source_file, source_position, title FROM submission
                WHERE status = 'accepted' AND superseded_by IS NULL AND id != \(id)
                    AND external_id = \(item.externalID) AND submitted_by = \(item.submittedBy)
                UNION
                SELECT id, submitted_at, source_file, source_position, title FROM submission
                WHERE status = 'accepted' AND superseded_by IS NULL AND id != \(id)
                    AND title = \(item.title) AND prefecture = \(item.prefecture.code)
                    AND starts_on IS \(item.startsOn?.description)
                ORDER BY id
                """)
        var messages: [String] = []
        let newSource = try sourceDescription(db, id)
        for row in rows {
            let otherID: Int64 = row["id"]
            let otherSource = location(row).description
            if item.submittedAt.epochSeconds >= (row["submitted_at"] as Int64) {
                try db.execute(literal: "UPDATE submission SET superseded_by = \(id) WHERE id = \(otherID)")
                messages.append("\(newSource) replaces \(otherSource) (the same item, submitted later)")
            } else {
                try db.execute(literal: "UPDATE submission SET superseded_by = \(otherID) WHERE id = \(id)")
                messages.append("\(otherSource) stands; \(newSource) is the same item submitted earlier and is kept aside")
                break
            }
        }
        return messages
    }

    private static func sourceDescription(_ db: Database, _ id: Int64) throws -> String {
        guard let row = try Row.fetchOne(db, literal: "SELECT source_file, source_position, title FROM submission WHERE id = \(id)")
        else { return "#\(id)" }
        return location(row).description
    }

    static func location(_ row: Row) -> SourceLocation {
        SourceLocation(
            origin: row["source_file"], position: (row["source_position"] as String?).flatMap(SourceLocation.Position.init(encoded:)),
            title: row["title"])
    }

    /// The items of a Tokyo month that go into its issue: accepted, not superseded, not flagged;
    /// in submission order.
    public func acceptedItems(in month: IssueMonth) throws -> [Item] {
        try pool.read { db in
            let rows = try Row.fetchAll(
                db,
                literal: """
                    SELECT * FROM submission
                    WHERE month = \(month.description) AND status = 'accepted' AND superseded_by IS NULL AND flags = '[]'
                    ORDER BY submitted_at, id
                    """)
            return rows.compactMap(Self.item(from:))
        }
    }

    /// The rejected submissions of a Tokyo month, with their reasons.
    public func rejections(in month: IssueMonth) throws -> [StoredRejection] {
        try pool.read { db in
            let rows = try Row.fetchAll(
                db,
                literal: """
                    SELECT source_file, source_position, title, reasons FROM submission
                    WHERE month = \(month.description) AND status = 'rejected' ORDER BY id
                    """)
            return rows.map { row in
                StoredRejection(source: Self.location(row), month: month, reasons: Self.decode(row["reasons"]))
            }
        }
    }

    /// Everything about a month's submissions that a person should see: rejects with reasons,
    /// flagged items, superseded duplicates, and warnings on accepted items.
    public func collectionReport(in month: IssueMonth) throws -> [ReportEntry] {
        try pool.read { db in
            let rows = try Row.fetchAll(
                db,
                literal: """
                    SELECT id, status, source_file, source_position, title, reasons, warnings, flags, superseded_by
                    FROM submission WHERE month = \(month.description)
                        AND (status = 'rejected' OR superseded_by IS NOT NULL OR flags != '[]' OR warnings != '[]')
                    ORDER BY status DESC, id
                    """)
            return try rows.map { row in
                let source = Self.location(row).description
                let warnings = Self.decode(row["warnings"]).map(\.description)
                if row["status"] == "rejected" {
                    return ReportEntry(kind: .rejected, source: source, messages: Self.decode(row["reasons"]).map(\.description) + warnings)
                }
                if let by = row["superseded_by"] as Int64? {
                    return ReportEntry(kind: .superseded, source: source, messages: ["replaced by \(try Self.sourceDescription(db, by))"])
                }
                if row["flags"] != "[]" {
                    return ReportEntry(kind: .flagged, source: source, messages: warnings)
                }
                return ReportEntry(kind: .warning, source: source, messages: warnings)
            }
        }
    }

    static func decode(_ json: String?) -> [FieldProblem] {
        (try? JSONDecoder().decode([FieldProblem].self, from: Data((json ?? "[]").utf8))) ?? []
    }

    static func item(from row: Row) -> Item? {
        guard let category = Category(rawValue: row["category"]),
            let prefecture = Prefecture(code: row["prefecture"])
        else { return nil }
        return Item(
            externalID: row["external_id"], title: row["title"], category: category, prefecture: prefecture,
            municipality: row["municipality"],
            startsOn: (row["starts_on"] as String?).flatMap(CalendarDate.init(iso:)),
            endsOn: (row["ends_on"] as String?).flatMap(CalendarDate.init(iso:)),
            venue: row["venue"], summary: row["summary"], url: row["url"], contact: row["contact"],
            submittedAt: Timestamp(epochSeconds: row["submitted_at"]), submittedBy: row["submitted_by"])
    }
}

/// A rejected submission as kept in the store.
public struct StoredRejection: Sendable {
    public let source: SourceLocation
    public let month: IssueMonth
    public let reasons: [FieldProblem]
}
