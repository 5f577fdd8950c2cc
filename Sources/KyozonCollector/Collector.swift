import Foundation
import KyozonDomain

/// Turns submitted files and feed entries into checked submissions: every record ends
/// accepted (with warnings and flags) or rejected with every reason. Never throws, never
/// drops anything: a file that cannot be read at all becomes one reject holding its text.
///
/// ```swift
/// let collector = Collector(sendDay: 5)
/// let results = collector.collect(data, origin: "inbox/hokkaido.csv")
/// ```
public struct Collector: Sendable {
    public let validator: SubmissionValidator

    /// `now` is when the collecting happens: submissions dated after it are refused.
    public init(sendDay: Int = 5, now: Timestamp? = nil) {
        validator = SubmissionValidator(sendDay: sendDay, now: now)
    }

    /// Reads a file in the format its name says (`.csv`; anything else is read as JSON or JSON Lines).
    public func collect(_ data: Data, origin: String) -> [CollectedSubmission] {
        let format = SourceFormat(path: origin)
        let read = format == .csv ? CSVSubmissionReader.read(data) : JSONSubmissionReader.read(data)
        switch read {
        case .success(let records): return collect(records, origin: origin)
        case .failure(let failure): return [collect(failure, origin: origin, fingerprint: sha256Hex(data))]
        }
    }

    /// Checks records read elsewhere (feeds, and later the submission form and API).
    public func collect(_ records: [RawSubmission], origin: String) -> [CollectedSubmission] {
        records.map { record in
            let outcome = validator.validate(record.fields)
            let warnings = record.notes + outcome.warnings
            let fingerprint = sha256(record.raw)
            switch outcome.result {
            case .success(let item):
                return CollectedSubmission(
                    source: SourceLocation(origin: origin, position: record.position, title: item.title), raw: record.raw,
                    fingerprint: fingerprint, submittedAt: item.submittedAt, outcome: .accepted(item),
                    warnings: warnings, flags: outcome.flags)
            case .failure(let failure):
                // An item without a usable title is named by its id, so the submitter can find it.
                let title = failure.title ?? (record.fields["title"] as? String)
                    ?? (record.fields["id"].map { "id \($0)" })
                return CollectedSubmission(
                    source: SourceLocation(origin: origin, position: record.position, title: title), raw: record.raw,
                    fingerprint: fingerprint, submittedAt: failure.submittedAt, outcome: .rejected(failure.problems),
                    warnings: warnings)
            }
        }
    }

    /// A whole file or feed that could not be read: one reject that keeps its text.
    public func collect(_ failure: SourceFailure, origin: String, fingerprint: String) -> CollectedSubmission {
        CollectedSubmission(
            source: SourceLocation(origin: origin, position: nil, title: nil), raw: failure.raw,
            fingerprint: fingerprint, submittedAt: nil, outcome: .rejected([failure.problem]), warnings: [])
    }
}

/// The formats a submission file can be in.
public enum SourceFormat: Sendable {
    case json
    case csv

    /// By extension: `.csv` is CSV; `.json`, `.jsonl` and `.ndjson` are JSON.
    public init?(path: String) {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": self = .csv
        case "json", "jsonl", "ndjson": self = .json
        default: return nil
        }
    }
}
