import Foundation
import KyozonDomain

/// Checks one submitted JSON object and turns it into an `Item`, or every reason it cannot be one.
///
/// All fields are checked, so a submitter sees every problem at once rather than one per round trip.
public struct SubmissionValidator: Sendable {
    /// The fields a submission may carry, in documentation order.
    public static let knownFields = [
        "id", "title", "category", "prefecture", "municipality", "starts_on", "ends_on", "venue", "summary", "url",
        "contact", "submitted_at", "submitted_by",
    ]
    public static let maxTitleLength = 100
    public static let maxSummaryLength = 500

    public init() {}

    /// The validated item or the problems, plus warnings about text that was cleaned.
    public func validate(_ object: [String: Any]) -> (Result<Item, ValidationFailure>, [FieldProblem]) {
        var fields = FieldReader(object: object)
        let externalID = fields.optionalIdentifier("id")
        let title = fields.requiredText("title", maxLength: Self.maxTitleLength, singleLine: true)
        let category = fields.category("category")
        let prefecture = fields.prefecture("prefecture")
        let municipality = fields.optionalText("municipality", maxLength: 50, singleLine: true)
        let startsOn = fields.optionalDate("starts_on")
        let endsOn = fields.optionalDate("ends_on")
        let venue = fields.optionalText("venue", maxLength: 200, singleLine: true)
        let summary = fields.requiredText("summary", maxLength: Self.maxSummaryLength, singleLine: false)
        let url = fields.optionalURL("url")
        let contact = fields.optionalText("contact", maxLength: 200, singleLine: false)
        let submittedAt = fields.timestamp("submitted_at")
        let submittedBy = fields.requiredText("submitted_by", maxLength: 100, singleLine: true)

        if let startsOn, let endsOn, endsOn < startsOn {
            fields.problem("ends_on", "\(endsOn) is before starts_on \(startsOn); give the last day on or after the first")
        }
        if endsOn != nil, startsOn == nil, !fields.hasProblem("starts_on") {
            fields.problem("starts_on", "is missing but ends_on is given; give the first day as YYYY-MM-DD")
        }
        if category == .event, startsOn == nil, !fields.hasProblem("starts_on") {
            fields.problem("starts_on", "is required for an event; give the first day as YYYY-MM-DD")
        }
        for key in object.keys.sorted() where !Self.knownFields.contains(key) {
            fields.warn(key, "is not a known field and was ignored; known fields: \(Self.knownFields.joined(separator: ", "))")
        }

        guard fields.problems.isEmpty, let title, let category, let prefecture, let summary, let submittedAt,
            let submittedBy
        else {
            return (.failure(ValidationFailure(problems: fields.problems, submittedAt: submittedAt, title: title)), fields.warnings)
        }
        let item = Item(
            externalID: externalID, title: title, category: category, prefecture: prefecture,
            municipality: municipality, startsOn: startsOn, endsOn: endsOn, venue: venue, summary: summary, url: url,
            contact: contact, submittedAt: submittedAt, submittedBy: submittedBy)
        return (.success(item), fields.warnings)
    }
}

/// Why an object is not an item, with what could still be read from it.
public struct ValidationFailure: Error, Sendable {
    public let problems: [FieldProblem]
    public let submittedAt: Timestamp?
    public let title: String?
}
