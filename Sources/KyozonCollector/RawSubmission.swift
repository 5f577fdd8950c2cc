/// One record as a reader found it, before any check: its fields by JSON name and its original text.
public struct RawSubmission: @unchecked Sendable {
    public let position: SourceLocation.Position
    /// Values by the JSON field names (`title`, `starts_on`, …); JSON types as JSONSerialization gives them.
    public let fields: [String: Any]
    /// The record as submitted (canonical JSON for JSON, the row for CSV, the entry for feeds).
    public let raw: String
    /// What the reader changed while reading (a feed summary shortened, …), reported as warnings.
    public let notes: [FieldProblem]

    public init(position: SourceLocation.Position, fields: [String: Any], raw: String, notes: [FieldProblem] = []) {
        self.position = position
        self.fields = fields
        self.raw = raw
        self.notes = notes
    }
}

/// A whole file or feed that could not be read, with the reason.
public struct SourceFailure: Error, Sendable {
    public let problem: FieldProblem
    /// The text to keep in the store, so nothing submitted is lost.
    public let raw: String
}
