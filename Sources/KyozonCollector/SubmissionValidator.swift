import Foundation
import KyozonDomain

/// Checks one submitted record and turns it into an `Item`, or every reason it cannot be one.
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

    /// The day of the month the issue goes out (1–28): an event over before then is flagged.
    public let sendDay: Int
    /// When collecting: a `submitted_at` more than a day after this is refused as a mistake.
    public let now: Timestamp?

    public init(sendDay: Int = 5, now: Timestamp? = nil) {
        self.sendDay = sendDay
        self.now = now
    }

    /// What validating one record found.
    public struct Outcome {
        public let result: Result<Item, ValidationFailure>
        public let warnings: [FieldProblem]
        public let flags: Set<ItemFlag>
    }

    /// The free-text fields of an item and their rules: staff may correct these, under the
    /// same rules as a submission.
    static let textFields: [String: (maxLength: Int, singleLine: Bool, required: Bool)] = [
        "title": (maxTitleLength, true, true), "municipality": (50, true, false), "venue": (200, true, false),
        "summary": (maxSummaryLength, false, true), "url": (2000, true, false), "contact": (200, false, false),
    ]

    static func readText(_ fields: inout FieldReader, _ name: String) -> String? {
        if name == "url" { return fields.optionalURL(name) }
        let rule = textFields[name]!
        return rule.required
            ? fields.requiredText(name, maxLength: rule.maxLength, singleLine: rule.singleLine)
            : fields.optionalText(name, maxLength: rule.maxLength, singleLine: rule.singleLine)
    }

    /// One free-text field (`title`, `municipality`, `venue`, `summary`, `url`, `contact`)
    /// checked as a submission's would be, for a staff correction: the cleaned value (nil when
    /// left empty), or what is wrong with it.
    public static func check(field: String, value: String) -> Result<String?, FieldProblem> {
        guard textFields[field] != nil else { return .failure(FieldProblem(field: field, message: "cannot be corrected")) }
        var fields = FieldReader(object: [field: value])
        let read = readText(&fields, field)
        if let problem = fields.problems.first { return .failure(problem) }
        return .success(read)
    }

    public func validate(_ object: [String: Any]) -> Outcome {
        var fields = FieldReader(object: object)
        if let invalid = object["(invalid)"] as? String {
            fields.problem("(item)", invalid)
            return Outcome(result: .failure(ValidationFailure(problems: fields.problems, submittedAt: nil, title: nil)), warnings: [], flags: [])
        }
        let externalID = fields.optionalText("id", maxLength: 100, singleLine: true)
        let title = Self.readText(&fields, "title")
        let category = fields.category("category")
        let prefecture = fields.prefecture("prefecture")
        let municipality = Self.readText(&fields, "municipality")
        let startsOn = fields.optionalDate("starts_on")
        let endsOn = fields.optionalDate("ends_on")
        let venue = Self.readText(&fields, "venue")
        let summary = Self.readText(&fields, "summary")
        let url = Self.readText(&fields, "url")
        let contact = Self.readText(&fields, "contact")
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
        if let submittedAt, let now, submittedAt.epochSeconds > now.epochSeconds + 86400 {
            fields.problem("submitted_at", "\(submittedAt) is in the future (it is now \(now)); check the date")
        }
        for key in object.keys.sorted() where !Self.knownFields.contains(key) {
            fields.warn(key, "is not a known field and was ignored; known fields: \(Self.knownFields.joined(separator: ", "))")
        }
        let texts: [(String, String?)] = [
            ("title", title), ("municipality", municipality), ("venue", venue), ("summary", summary), ("contact", contact),
        ]
        for (field, value) in texts {
            guard let value else { continue }
            let missing = JISCheck.unsupported(in: value)
            guard !missing.isEmpty else { continue }
            let list = missing.map { "\($0.0) (suggest \($0.1))" }.joined(separator: ", ")
            fields.warn(field, "has characters that old mail systems (ISO-2022-JP) cannot show: \(list); kept as written")
        }

        guard fields.problems.isEmpty, let title, let category, let prefecture, let summary, let submittedAt,
            let submittedBy
        else {
            let failure = ValidationFailure(problems: fields.problems, submittedAt: submittedAt, title: title)
            return Outcome(result: .failure(failure), warnings: fields.warnings, flags: [])
        }
        let item = Item(
            externalID: externalID, title: title, category: category, prefecture: prefecture,
            municipality: municipality, startsOn: startsOn, endsOn: endsOn, venue: venue, summary: summary, url: url,
            contact: contact, submittedAt: submittedAt, submittedBy: submittedBy)
        var flags: Set<ItemFlag> = []
        let sendDate = submittedAt.issueMonth.sendDate(day: sendDay)
        if category == .event, let last = endsOn ?? startsOn, last < sendDate {
            flags.insert(.endedBeforeSend)
            fields.warn(
                endsOn != nil ? "ends_on" : "starts_on",
                "the event is over on \(last), before the issue goes out on \(sendDate); it is left out of the issue unless staff keep it")
        }
        return Outcome(result: .success(item), warnings: fields.warnings, flags: flags)
    }

}

/// Why a record is not an item, with what could still be read from it.
public struct ValidationFailure: Error, Sendable {
    public let problems: [FieldProblem]
    public let submittedAt: Timestamp?
    public let title: String?
}
