import Foundation
import GRDB
import KyozonCollector
import KyozonDomain

/// An accepted submission as staff edit it for an issue: the item as it will appear (with
/// corrections), as submitted, and staff's choices about it.
public struct EditableItem: Sendable {
    public let id: Int64
    /// The item with staff's corrections applied: what the issue shows.
    public let item: Item
    /// The item as it was submitted, kept.
    public let original: Item
    /// Collector flags (an event over before the send day), which leave it out unless staff keep it.
    public let flags: [ItemFlag]
    /// The collector's warnings, as text.
    public let warnings: [String]
    /// `exclude` (left out), `keep` (in despite a flag), or nil (the collector's verdict).
    public let choice: String?
    /// Staff's place for it within its section (1 first); nil: the usual order.
    public let position: Int?
    /// The fields staff corrected.
    public let corrected: [String]
    /// Whether the issue shows it.
    public var included: Bool { choice != "exclude" && (flags.isEmpty || choice == "keep") }
}

/// An issue's approval: the hash of exactly what was approved, for which lists, by whom, when.
public struct Approval: Sendable, Equatable {
    public let hash: String
    public let lists: [String]
    public let by: String
    public let at: Timestamp
    /// The subject of the issue approved.
    public let subject: String
}

/// One line of the audit log.
public struct AuditEntry: Sendable {
    public let at: Timestamp
    public let actor: String
    public let action: String
    public let detail: String
}

/// The fields of an item staff may correct.
public enum CorrectableField: String, Sendable, CaseIterable {
    case title, municipality, venue, summary, url, contact

    /// The field's value in `item` (nil for an empty optional field).
    public func value(in item: Item) -> String? {
        switch self {
        case .title: item.title
        case .municipality: item.municipality
        case .venue: item.venue
        case .summary: item.summary
        case .url: item.url
        case .contact: item.contact
        }
    }
}

extension Store {
    // MARK: items

    /// Every accepted, current submission of a month, as staff edit them, in submission order.
    public func editableItems(in month: IssueMonth) throws -> [EditableItem] {
        try pool.read { db in
            let rows = try Row.fetchAll(
                db,
                literal: """
                    SELECT s.*, c.choice, c.position FROM submission s LEFT JOIN item_choice c ON c.submission_id = s.id
                    WHERE s.month = \(month.description) AND s.status = 'accepted' AND s.superseded_by IS NULL
                    ORDER BY s.submitted_at, s.id
                    """)
            return try rows.map { row in
                let id: Int64 = row["id"]
                // Stored by the collector after its checks: anything unreadable is damage, said by row.
                guard let original = Self.item(from: row) else {
                    throw StoreError.damaged("submission \(id): its category or prefecture cannot be read")
                }
                let (item, corrected) = try Self.corrected(db, id, original)
                var shown = item
                shown.position = row["position"]
                let flags: [ItemFlag]
                do {
                    flags = try JSONDecoder().decode([ItemFlag].self, from: Data((row["flags"] as String? ?? "[]").utf8))
                } catch {
                    throw StoreError.damaged("submission \(id): its flags cannot be read (\(row["flags"] as String? ?? ""))")
                }
                return EditableItem(
                    id: id, item: shown, original: original, flags: flags, warnings: Self.decode(row["warnings"]).map(\.description),
                    choice: row["choice"], position: row["position"], corrected: corrected)
            }
        }
    }

    /// The items the issue for `month` shows: accepted, not replaced, not excluded by staff,
    /// flagged ones only when staff kept them; with corrections and staff's order.
    public func issueItems(in month: IssueMonth) throws -> [Item] {
        try editableItems(in: month).filter(\.included).map(\.item)
    }

    /// The latest correction of each field applied to an item, and the fields corrected.
    static func corrected(_ db: Database, _ id: Int64, _ original: Item) throws -> (Item, [String]) {
        let rows = try Row.fetchAll(
            db, literal: "SELECT field, corrected FROM item_correction WHERE submission_id = \(id) ORDER BY id")
        guard !rows.isEmpty else { return (original, []) }
        var item = original
        var fields: [String] = []
        for row in rows {
            let value: String? = row["corrected"]
            switch CorrectableField(rawValue: row["field"]) {
            case .title: item.title = value ?? item.title
            case .municipality: item.municipality = value
            case .venue: item.venue = value
            case .summary: item.summary = value ?? item.summary
            case .url: item.url = value
            case .contact: item.contact = value
            case nil: continue
            }
            if !fields.contains(row["field"]) { fields.append(row["field"]) }
        }
        return (item, fields)
    }

    /// Staff's choice about an item: leave it out, keep it despite a flag, or neither; and its
    /// place in its section. Logged in the audit log.
    public func setItemChoice(submissionID: Int64, choice: String?, position: Int?, by: String, now: Timestamp) throws {
        try pool.write { db in
            if choice == nil && position == nil {
                try db.execute(literal: "DELETE FROM item_choice WHERE submission_id = \(submissionID)")
            } else {
                try db.execute(
                    literal: """
                        INSERT INTO item_choice (submission_id, choice, position, changed_by, changed_at)
                        VALUES (\(submissionID), \(choice), \(position), \(by), \(now.epochSeconds))
                        ON CONFLICT (submission_id) DO UPDATE SET choice = excluded.choice, position = excluded.position,
                            changed_by = excluded.changed_by, changed_at = excluded.changed_at
                        """)
            }
            try Self.audit(db, by, "item.choice", "submission \(submissionID): \(choice ?? "as collected"), position \(position.map(String.init) ?? "usual")", now)
        }
    }

    /// Corrects fields of an item (typos); the submitted text is kept, and so is each
    /// correction, with who made it and when. Each value is checked as a submission's would be
    /// (a title or summary may not be emptied, a URL must be one, lengths as submitted); when
    /// any is refused, `StoreError.badCorrection` names it and nothing changes. Unchanged
    /// fields record nothing.
    public func correctItem(submissionID: Int64, _ corrections: [(CorrectableField, String)], by: String, now: Timestamp) throws {
        var checked: [(CorrectableField, String?)] = []
        for (field, given) in corrections {
            switch SubmissionValidator.check(field: field.rawValue, value: given) {
            case .success(let value): checked.append((field, value))
            case .failure(let problem): throw StoreError.badCorrection(submissionID, problem.description)
            }
        }
        try pool.write { db in
            guard let row = try Row.fetchOne(db, literal: "SELECT * FROM submission WHERE id = \(submissionID) AND status = 'accepted'"),
                let original = Self.item(from: row)
            else { throw StoreError.unknownSubmission(submissionID) }
            let (current, _) = try Self.corrected(db, submissionID, original)
            for (field, value) in checked {
                let before = field.value(in: current)
                guard before != value else { continue }
                try db.execute(
                    literal: """
                        INSERT INTO item_correction (submission_id, field, original, corrected, corrected_by, corrected_at)
                        VALUES (\(submissionID), \(field.rawValue), \(before), \(value), \(by), \(now.epochSeconds))
                        """)
                try Self.audit(db, by, "item.correct", "submission \(submissionID) \(field.rawValue): \(before ?? "") → \(value ?? "")", now)
            }
        }
    }

    // MARK: the issue

    /// Sets what staff write on an issue (title, lead) and the lists it goes to; creates the
    /// issue if needed. nil leaves a value as it is; an empty title or lead means the default.
    public func setIssueDetails(
        month: IssueMonth, title: String?, lead: String?, lists: [String]?, by: String, now: Timestamp
    ) throws {
        _ = try issue(for: month, now: now)
        try pool.write { db in
            if let title {
                try db.execute(literal: "UPDATE issue SET title = \(title.isEmpty ? nil : title) WHERE month = \(month.description)")
            }
            if let lead {
                try db.execute(literal: "UPDATE issue SET lead = \(lead.isEmpty ? nil : lead) WHERE month = \(month.description)")
            }
            if let lists {
                try db.execute(
                    literal: "UPDATE issue SET target_lists = \(lists.sorted().joined(separator: ",")) WHERE month = \(month.description)")
            }
            var changed: [String] = []
            if let title { changed.append("title 「\(title)」") }
            if let lead { changed.append("lead (\(lead.count) characters)") }
            if let lists { changed.append("lists \(lists.sorted().joined(separator: ", "))") }
            try Self.audit(db, by, "issue.details", "\(month): " + changed.joined(separator: "; "), now)
        }
    }

    /// The lists staff chose for an issue (empty: none chosen yet).
    public func targetLists(for month: IssueMonth) throws -> [String] {
        try pool.read { db in
            let text = try String.fetchOne(db, literal: "SELECT target_lists FROM issue WHERE month = \(month.description)")
            return (text ?? "").split(separator: ",").map(String.init)
        }
    }

    /// Approves exactly this rendering of the issue for these lists: its hash, the rendered
    /// subject, HTML and text (kept: they become the web edition), who and when. An issue that
    /// has begun going out cannot be approved again: its readers and its web edition have the
    /// approved one.
    public func approveIssue(
        month: IssueMonth, hash: String, lists: [String], subject: String, html: String, text: String, by: String, now: Timestamp
    ) throws {
        _ = try issue(for: month, now: now)
        try pool.write { db in
            let sorted = lists.sorted().joined(separator: ",")
            try db.execute(
                literal: """
                    UPDATE issue SET approved_hash = \(hash), approved_lists = \(sorted), approved_by = \(by),
                        approved_at = \(now.epochSeconds), approved_subject = \(subject), approved_html = \(html),
                        approved_text = \(text), target_lists = \(sorted),
                        status = CASE WHEN status = 'draft' THEN 'approved' ELSE status END
                    WHERE month = \(month.description) AND sent_at IS NULL
                    """)
            guard db.changesCount == 1 else { throw StoreError.alreadySent(month.description) }
            try Self.audit(db, by, "issue.approve", "\(month) for \(sorted): \(hash.prefix(16))", now)
        }
    }

    /// The issue's approval, if it has one.
    public func approval(for month: IssueMonth) throws -> Approval? {
        try pool.read { db in
            guard let row = try Row.fetchOne(
                db,
                literal: """
                    SELECT approved_hash, approved_lists, approved_by, approved_at, approved_subject FROM issue
                    WHERE month = \(month.description)
                    """),
                let hash = row["approved_hash"] as String?
            else { return nil }
            return Approval(
                hash: hash, lists: (row["approved_lists"] as String? ?? "").split(separator: ",").map(String.init),
                by: row["approved_by"] ?? "", at: Timestamp(epochSeconds: row["approved_at"] ?? 0), subject: row["approved_subject"] ?? "")
        }
    }

    /// Records that an issue's send finished (it is then published as the web edition).
    public func markIssueSent(month: IssueMonth, now: Timestamp) throws {
        try pool.write { db in
            try db.execute(
                literal: "UPDATE issue SET status = 'sent', sent_at = COALESCE(sent_at, \(now.epochSeconds)) WHERE month = \(month.description)")
        }
    }

    /// A sent issue as approved, for the web edition: subject, HTML and text, and when it was sent.
    public func publishedIssue(for month: IssueMonth) throws -> (volume: Int, subject: String, html: String, text: String, sentAt: Timestamp)? {
        try pool.read { db in
            guard let row = try Row.fetchOne(
                db,
                literal: """
                    SELECT volume, approved_subject, approved_html, approved_text, sent_at FROM issue
                    WHERE month = \(month.description) AND sent_at IS NOT NULL AND approved_html IS NOT NULL
                    """)
            else { return nil }
            return (row["volume"], row["approved_subject"], row["approved_html"], row["approved_text"], Timestamp(epochSeconds: row["sent_at"]))
        }
    }

    /// Every sent issue, newest first: month, volume, subject, when sent (the back numbers).
    public func publishedIssues() throws -> [(month: IssueMonth, volume: Int, subject: String, sentAt: Timestamp)] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT month, volume, approved_subject, sent_at FROM issue
                    WHERE sent_at IS NOT NULL AND approved_html IS NOT NULL ORDER BY month DESC
                    """
            ).compactMap { row in
                guard let month = IssueMonth(row["month"] as String) else { return nil }
                return (month, row["volume"], row["approved_subject"], Timestamp(epochSeconds: row["sent_at"]))
            }
        }
    }

    // MARK: the audit log

    /// Writes a line to the audit log.
    public func audit(actor: String, action: String, detail: String, now: Timestamp) throws {
        try pool.write { db in try Self.audit(db, actor, action, detail, now) }
    }

    static func audit(_ db: Database, _ actor: String, _ action: String, _ detail: String, _ now: Timestamp) throws {
        try db.execute(literal: "INSERT INTO audit (at, actor, action, detail) VALUES (\(now.epochSeconds), \(actor), \(action), \(detail))")
    }

    /// The audit log, newest first.
    public func auditLog(limit: Int = 200) throws -> [AuditEntry] {
        try pool.read { db in
            try Row.fetchAll(db, literal: "SELECT * FROM audit ORDER BY id DESC LIMIT \(limit)").map {
                AuditEntry(at: Timestamp(epochSeconds: $0["at"]), actor: $0["actor"], action: $0["action"], detail: $0["detail"])
            }
        }
    }

    // MARK: the monthly run

    /// What `run-monthly` found for a month.
    public enum MonthlyRunStart: Sendable, Equatable {
        /// Go on: the run is recorded as running.
        case started
        /// Sent already, at that time: do nothing.
        case alreadySent(Timestamp)
    }

    /// Records the start of the monthly run for `month`, unless it already sent. The caller
    /// holds the month's run lock, so a row left `running` is from a run that died: it is
    /// taken over (the delivery ledger makes resuming safe).
    public func beginMonthlyRun(month: IssueMonth, now: Timestamp) throws -> MonthlyRunStart {
        try pool.write { db in
            if let row = try Row.fetchOne(db, literal: "SELECT state, finished_at FROM monthly_run WHERE month = \(month.description)"),
                row["state"] == "sent"
            {
                return .alreadySent(Timestamp(epochSeconds: row["finished_at"] ?? 0))
            }
            // Sent by hand (`kyozon send`) before the timer came: the same.
            if let sent = try Int64.fetchOne(db, literal: "SELECT sent_at FROM issue WHERE month = \(month.description)") {
                return .alreadySent(Timestamp(epochSeconds: sent))
            }
            try db.execute(
                literal: """
                    INSERT INTO monthly_run (month, state, started_at) VALUES (\(month.description), 'running', \(now.epochSeconds))
                    ON CONFLICT (month) DO UPDATE SET state = 'running', started_at = excluded.started_at, finished_at = NULL
                    """)
            return .started
        }
    }

    /// Records how the monthly run for `month` ended: `sent`, `held` (nothing sent, staff
    /// reminded) or `failed`.
    public func finishMonthlyRun(month: IssueMonth, state: String, detail: String, now: Timestamp) throws {
        try pool.write { db in
            try db.execute(
                literal: """
                    UPDATE monthly_run SET state = \(state), finished_at = \(now.epochSeconds), detail = \(detail)
                    WHERE month = \(month.description)
                    """)
            try Self.audit(db, "run-monthly", "run.\(state)", "\(month): \(detail)", now)
        }
    }
}
