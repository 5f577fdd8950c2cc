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
}

/// A rejected submission as kept in the store.
public struct StoredRejection: Sendable {
    public let source: SourceLocation
    public let month: IssueMonth
    public let reasons: [FieldProblem]
}

extension Store {
    /// Stores every collected submission, accepted or rejected, once: an item seen before
    /// (same fingerprint) is left as it is, so collecting the same file twice changes nothing.
    public func saveSubmissions(_ submissions: [CollectedSubmission], receivedAt now: Timestamp) throws
        -> SubmissionSaveReport
    {
        try pool.write { db in
            var report = SubmissionSaveReport()
            let encoder = JSONEncoder()
            for submission in submissions {
                let month = (submission.submittedAt ?? now).issueMonth.description
                let warnings = String(decoding: try encoder.encode(submission.warnings), as: UTF8.self)
                switch submission.outcome {
                case .accepted(let item):
                    try db.execute(
                        literal: """
                            INSERT OR IGNORE INTO submission
                                (fingerprint, source_file, source_item, status, month, submitted_at, received_at,
                                 external_id, submitted_by, title, category, prefecture, municipality, starts_on,
                                 ends_on, venue, summary, url, contact, warnings, raw)
                            VALUES (\(submission.fingerprint), \(submission.source.file), \(submission.source.item),
                                'accepted', \(month), \(item.submittedAt.epochSeconds), \(now.epochSeconds),
                                \(item.externalID), \(item.submittedBy), \(item.title), \(item.category.rawValue),
                                \(item.prefecture.code), \(item.municipality), \(item.startsOn?.description),
                                \(item.endsOn?.description), \(item.venue), \(item.summary), \(item.url),
                                \(item.contact), \(warnings), \(submission.raw))
                            """)
                    if db.changesCount > 0 { report.accepted += 1 } else { report.unchanged += 1 }
                case .rejected(let problems):
                    let reasons = String(decoding: try encoder.encode(problems), as: UTF8.self)
                    try db.execute(
                        literal: """
                            INSERT OR IGNORE INTO submission
                                (fingerprint, source_file, source_item, status, month, submitted_at, received_at,
                                 title, reasons, warnings, raw)
                            VALUES (\(submission.fingerprint), \(submission.source.file), \(submission.source.item),
                                'rejected', \(month), \(submission.submittedAt?.epochSeconds), \(now.epochSeconds),
                                \(submission.source.title), \(reasons), \(warnings), \(submission.raw))
                            """)
                    if db.changesCount > 0 { report.rejected += 1 } else { report.unchanged += 1 }
                }
            }
            return report
        }
    }

    /// The accepted items submitted in a Tokyo month, in submission order.
    public func acceptedItems(in month: IssueMonth) throws -> [Item] {
        try pool.read { db in
            let rows = try Row.fetchAll(
                db,
                literal: """
                    SELECT * FROM submission WHERE month = \(month.description) AND status = 'accepted'
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
                    SELECT source_file, source_item, title, reasons FROM submission
                    WHERE month = \(month.description) AND status = 'rejected' ORDER BY id
                    """)
            let decoder = JSONDecoder()
            return rows.map { row in
                let reasons = (try? decoder.decode([FieldProblem].self, from: Data((row["reasons"] as String).utf8))) ?? []
                return StoredRejection(
                    source: SourceLocation(file: row["source_file"], item: row["source_item"], title: row["title"]),
                    month: month, reasons: reasons)
            }
        }
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
