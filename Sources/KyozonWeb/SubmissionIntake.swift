import Foundation
import KyozonCollector
import KyozonDomain
import KyozonStore

/// Items from a submitting office's form or API call, put through exactly the collector's
/// checks into the same store as collected files.
struct SubmissionIntake: Sendable {
    let store: Store
    let sendDay: Int

    /// One item's fate, for the answer.
    struct Outcome {
        let position: Int
        let title: String?
        let accepted: Bool
        /// Reasons for a reject; warnings for an accepted item.
        let problems: [FieldProblem]
        let flags: [String]
    }

    /// Checks and stores `objects` as submitted by `office` now: `submitted_by` is the office
    /// (whatever the item says), `submitted_at` defaults to now and `prefecture` to the office's.
    func take(_ objects: [Any], from submitter: Submitter, channel: String, now: Timestamp) throws -> [Outcome] {
        let records = objects.enumerated().map { offset, element -> RawSubmission in
            var fields = element as? [String: Any] ?? [:]
            fields["submitted_by"] = submitter.office
            if (fields["submitted_at"] as? String ?? "").isEmpty { fields["submitted_at"] = now.description }
            if (fields["prefecture"] as? String ?? "").isEmpty, fields["prefecture"] as? Int == nil, let prefecture = submitter.prefecture {
                fields["prefecture"] = prefecture.name
            }
            let raw = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]))
                .map { String(decoding: $0, as: UTF8.self) } ?? "\(fields)"
            return RawSubmission(position: .item(offset + 1, line: nil), fields: fields, raw: raw)
        }
        let collected = Collector(sendDay: sendDay, now: now).collect(records, origin: "\(channel) (\(submitter.office))")
        _ = try store.saveSubmissions(collected, receivedAt: now)
        return collected.enumerated().map { offset, submission in
            switch submission.outcome {
            case .accepted(let item):
                return Outcome(
                    position: offset + 1, title: item.title, accepted: true, problems: submission.warnings,
                    flags: submission.flags.map(\.rawValue).sorted())
            case .rejected(let problems):
                return Outcome(position: offset + 1, title: submission.source.title, accepted: false, problems: problems, flags: [])
            }
        }
    }
}
