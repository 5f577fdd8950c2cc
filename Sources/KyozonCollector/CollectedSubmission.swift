import KyozonDomain

/// One submitted item as the collector found it: where it came from, its original text,
/// and whether it was accepted (with any warnings and flags) or rejected (with every reason).
public struct CollectedSubmission: Sendable {
    public enum Outcome: Sendable {
        case accepted(Item)
        case rejected([FieldProblem])
    }

    /// Where the item came from, such as `submissions.json: item 3 (line 12)`.
    public let source: SourceLocation
    /// The item as submitted, re-serialised with sorted keys (or the whole file when it could not be read).
    public let raw: String
    /// SHA-256 of `raw`: the same item collected twice is stored once.
    public let fingerprint: String
    /// `submitted_at` when it could be read, so that rejects are reported in their month too.
    public let submittedAt: Timestamp?
    public let outcome: Outcome
    /// Changes made to the text (control characters removed, …), said so rather than done silently.
    public let warnings: [FieldProblem]
    /// Marks that keep an accepted item out of the issue until staff decide otherwise.
    public let flags: Set<ItemFlag>

    public init(
        source: SourceLocation, raw: String, fingerprint: String, submittedAt: Timestamp?, outcome: Outcome,
        warnings: [FieldProblem], flags: Set<ItemFlag> = []
    ) {
        self.source = source
        self.raw = raw
        self.fingerprint = fingerprint
        self.submittedAt = submittedAt
        self.outcome = outcome
        self.warnings = warnings
        self.flags = flags
    }

    public var isAccepted: Bool {
        if case .accepted = outcome { return true }
        return false
    }

    /// The reasons for a reject, one line each, each naming the source and the field.
    public var rejectionMessages: [String] {
        guard case .rejected(let problems) = outcome else { return [] }
        return problems.map { "\(source): \($0)" }
    }
}

/// Why an accepted item is kept out of the issue.
public enum ItemFlag: String, Sendable, Hashable, Codable, CaseIterable {
    /// An event whose last day is before the send date.
    case endedBeforeSend = "ended_before_send"
}

/// Where a submission came from: a file and the item, line or row in it, or a feed and its entry.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public enum Position: Sendable, Hashable {
        /// The n-th item (1-based) of a JSON array or JSON Lines file, and the line it starts on.
        case item(Int, line: Int?)
        /// A CSV row, by the physical line it starts on (line 1 is the header).
        case row(line: Int)
        /// A feed entry, by its id (or link).
        case entry(String)

        /// A compact form for the store: `item:3:12`, `row:5`, `entry:ID`.
        public var encoded: String {
            switch self {
            case .item(let n, let line): "item:\(n):\(line.map(String.init) ?? "")"
            case .row(let line): "row:\(line)"
            case .entry(let id): "entry:\(id)"
            }
        }

        public init?(encoded: String) {
            let parts = encoded.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            switch parts.first {
            case "item" where parts.count == 3:
                guard let n = Int(parts[1]) else { return nil }
                self = .item(n, line: Int(parts[2]))
            case "row" where parts.count == 2:
                guard let line = Int(parts[1]) else { return nil }
                self = .row(line: line)
            case "entry":
                self = .entry(String(encoded.dropFirst("entry:".count)))
            default:
                return nil
            }
        }
    }

    /// The file as named on the command line, or the feed's URL.
    public let origin: String
    /// Nil when the whole file or feed failed.
    public let position: Position?
    /// The item's title when it had one, to help a person find it.
    public let title: String?

    public init(origin: String, position: Position?, title: String?) {
        self.origin = origin
        self.position = position
        self.title = title
    }

    public var description: String {
        var text = origin
        switch position {
        case .item(let n, let line?): text += ": item \(n) (line \(line))"
        case .item(let n, nil): text += ": item \(n)"
        case .row(let line): text += ":\(line)"
        case .entry(let id): text += ": entry \(id)"
        case nil: break
        }
        if let title, !title.isEmpty, position != nil {
            let short = title.count > 30 ? String(title.prefix(30)) + "…" : title
            text += " 「\(short)」"
        }
        return text
    }
}

/// What is wrong (or was changed) in one field, in words a submitter can act on.
public struct FieldProblem: Error, Sendable, Hashable, CustomStringConvertible, Codable {
    /// The field's JSON name, or `(item)` / `(file)` for the whole.
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "field \"\(field)\": \(message)" }
}
