import KyozonDomain

/// One submitted item as the collector found it: where it came from, its original text,
/// and whether it was accepted (with any warnings) or rejected (with every reason).
public struct CollectedSubmission: Sendable {
    public enum Outcome: Sendable {
        case accepted(Item)
        case rejected([FieldProblem])
    }

    /// Where the item came from, such as `submissions.json item 3`.
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

    public init(
        source: SourceLocation, raw: String, fingerprint: String, submittedAt: Timestamp?, outcome: Outcome,
        warnings: [FieldProblem]
    ) {
        self.source = source
        self.raw = raw
        self.fingerprint = fingerprint
        self.submittedAt = submittedAt
        self.outcome = outcome
        self.warnings = warnings
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

/// Where a submission came from.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file as named on the command line.
    public let file: String
    /// 1-based position of the item in the file's array; nil when the whole file failed.
    public let item: Int?
    /// The item's title when it had one, to help a person find it.
    public let title: String?

    public init(file: String, item: Int?, title: String?) {
        self.file = file
        self.item = item
        self.title = title
    }

    public var description: String {
        guard let item else { return file }
        if let title, !title.isEmpty {
            let short = title.count > 30 ? String(title.prefix(30)) + "…" : title
            return "\(file): item \(item) 「\(short)」"
        }
        return "\(file): item \(item)"
    }
}

/// What is wrong (or was changed) in one field, in words a submitter can act on.
public struct FieldProblem: Sendable, Hashable, CustomStringConvertible, Codable {
    /// The field's JSON name, or `(item)` / `(file)` for the whole.
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "field \"\(field)\": \(message)" }
}
