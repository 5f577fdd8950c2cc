import Foundation
import KyozonDomain

/// Reads typed fields out of a JSON object, collecting every problem instead of stopping at the first.
struct FieldReader {
    let object: [String: Any]
    private(set) var problems: [FieldProblem] = []
    private(set) var warnings: [FieldProblem] = []

    init(object: [String: Any]) {
        self.object = object
    }

    mutating func problem(_ field: String, _ message: String) {
        problems.append(FieldProblem(field: field, message: message))
    }

    mutating func warn(_ field: String, _ message: String) {
        warnings.append(FieldProblem(field: field, message: message))
    }

    func hasProblem(_ field: String) -> Bool { problems.contains { $0.field == field } }

    /// The field as cleaned text; nil when absent, null or blank. Wrong types are problems.
    private mutating func string(_ field: String, singleLine: Bool) -> String? {
        guard let value = object[field], !(value is NSNull) else { return nil }
        let text: String
        if let s = value as? String {
            text = s
        } else if let n = value as? NSNumber, !isBoolean(n), ["id", "prefecture"].contains(field) {
            // An id or a JIS code may come as a number; any other text must be quoted.
            text = n.stringValue
        } else {
            problem(field, "must be text, not \(jsonTypeName(value))")
            return nil
        }
        let cleaned = TextCleaner.clean(text)
        for note in cleaned.notes { warn(field, note) }
        return cleaned.text.isEmpty ? nil : cleaned.text
    }

    mutating func requiredText(_ field: String, maxLength: Int, singleLine: Bool) -> String? {
        guard object[field] != nil, !(object[field] is NSNull) else {
            problem(field, "is required")
            return nil
        }
        guard let text = string(field, singleLine: singleLine) else {
            if !hasProblem(field) { problem(field, "is empty; it is required") }
            return nil
        }
        return checked(field, text, maxLength: maxLength, singleLine: singleLine)
    }

    mutating func optionalText(_ field: String, maxLength: Int, singleLine: Bool) -> String? {
        guard let text = string(field, singleLine: singleLine) else { return nil }
        return checked(field, text, maxLength: maxLength, singleLine: singleLine)
    }

    private mutating func checked(_ field: String, _ text: String, maxLength: Int, singleLine: Bool) -> String? {
        if singleLine, text.contains(where: \.isNewline) {
            problem(field, "must be one line; remove the line breaks")
            return nil
        }
        if text.count > maxLength {
            problem(field, "is \(text.count) characters long; at most \(maxLength) are accepted")
            return nil
        }
        return text
    }

    mutating func category(_ field: String) -> KyozonDomain.Category? {
        guard let text = requiredText(field, maxLength: 40, singleLine: true) else { return nil }
        guard let category = Category(codeOrLabel: text) else {
            problem(field, "\"\(text)\" is not a category; accepted: \(Category.acceptedValues)")
            return nil
        }
        return category
    }

    mutating func prefecture(_ field: String) -> Prefecture? {
        guard let text = requiredText(field, maxLength: 40, singleLine: true) else { return nil }
        guard let prefecture = Prefecture.lookup(text) else {
            problem(field, "\"\(text)\" is not a prefecture; accepted: \(Prefecture.acceptedForms)")
            return nil
        }
        return prefecture
    }

    mutating func optionalDate(_ field: String) -> CalendarDate? {
        guard let text = optionalText(field, maxLength: 40, singleLine: true) else { return nil }
        guard let date = DateReader.date(text) else {
            problem(field, "\"\(text)\" is not a date; accepted: \(DateReader.acceptedDates)")
            return nil
        }
        return date
    }

    mutating func timestamp(_ field: String) -> Timestamp? {
        guard let text = requiredText(field, maxLength: 40, singleLine: true) else { return nil }
        guard let stamp = DateReader.timestamp(text) else {
            problem(field, "\"\(text)\" is not a date and time; accepted: \(Timestamp.acceptedForms), or 2026/11/05 10:00 (Asia/Tokyo)")
            return nil
        }
        return stamp
    }

    mutating func optionalURL(_ field: String) -> String? {
        guard let text = optionalText(field, maxLength: 2000, singleLine: true) else { return nil }
        if text.contains(where: \.isWhitespace) {
            problem(field, "\"\(text)\" contains a space; write spaces in a URL as %20")
            return nil
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            !text.contains(where: \.isWhitespace)
        else {
            problem(field, "\"\(text)\" is not a web address; only http:// and https:// URLs are accepted")
            return nil
        }
        return text
    }
}

/// JSONSerialization hands booleans over as NSNumber; their objCType is "c".
func isBoolean(_ number: NSNumber) -> Bool {
    String(cString: number.objCType) == "c"
}

func jsonTypeName(_ value: Any) -> String {
    switch value {
    case is NSNull: "null"
    case is String: "text"
    case let n as NSNumber: isBoolean(n) ? "true/false" : "a number"
    case is [Any]: "a list"
    case is [String: Any]: "an object"
    default: "\(type(of: value))"
    }
}
