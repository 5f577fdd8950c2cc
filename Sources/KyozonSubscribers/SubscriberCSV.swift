import CSV
import Foundation
import KyozonDomain

/// One good row of a subscriber CSV.
public struct SubscriberRow: Sendable {
    /// The physical line the row starts on (1 is the header).
    public let line: Int
    public let email: EmailAddress
    public let name: String
    public let organization: String
    public let prefecture: Prefecture?
    public let lists: [String]
    /// The `charset` column, when the file has one and the row fills it.
    public let charset: MailCharset?
}

/// A row that could not be used, by physical line and reason.
public struct RowProblem: Sendable, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int
    public let message: String

    public var description: String { "\(file):\(line): \(message)" }
}

/// Reads subscribers from CSV with the header `email,name,organization,prefecture,lists`
/// (`prefecture` optional, lists separated by `;`) and optionally `charset` (`utf-8` or
/// `iso-2022-jp`). UTF-8 with or without BOM.
///
/// Bad rows are reported by physical line and reason; the good rows beside them are kept.
public enum SubscriberCSV {
    public static let requiredColumns = ["email", "name", "organization", "lists"]
    public static let columns = ["email", "name", "organization", "prefecture", "lists", "charset"]

    public static func read(_ data: Data, file: String) -> (rows: [SubscriberRow], problems: [RowProblem]) {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(data: bytes, encoding: .utf8) else {
            return ([], [RowProblem(file: file, line: 1, message: "is not UTF-8; save it as \"CSV UTF-8\" from Excel")])
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: true)
        } catch {
            return ([], [RowProblem(file: file, line: 1, message: "cannot be read as CSV: \(error)")])
        }
        let header = (reader.headerRow ?? []).map { $0.trimmingWhitespace().lowercased() }
        let missing = requiredColumns.filter { !header.contains($0) }
        guard missing.isEmpty else {
            return (
                [],
                [RowProblem(
                    file: file, line: 1,
                    message: "header lacks \(missing.joined(separator: ", ")); the header must be \(columns.joined(separator: ","))"
                )]
            )
        }
        for column in header where !columns.contains(column) {
            return ([], [RowProblem(file: file, line: 1, message: "unknown column \"\(column)\"; the header is \(columns.joined(separator: ","))")])
        }
        var rows: [SubscriberRow] = []
        var problems: [RowProblem] = []
        var firstLine: [String: Int] = [:]
        var line = 2 + newlines(in: reader.headerRow ?? [])
        while let fields = reader.next() {
            defer { line += 1 + newlines(in: fields) }
            if fields.allSatisfy({ $0.trimmingWhitespace().isEmpty }) { continue }
            var record: [String: String] = [:]
            for (index, column) in header.enumerated() where index < fields.count {
                record[column] = fields[index].trimmingWhitespace()
            }
            if fields.count > header.count {
                problems.append(RowProblem(file: file, line: line, message: "has \(fields.count) fields; the header has \(header.count)"))
                continue
            }
            switch parse(record) {
            case .success(let parts):
                let key = parts.email.normalized.lowercased()
                if let earlier = firstLine[key] {
                    problems.append(RowProblem(file: file, line: line, message: "\(parts.email) is already on line \(earlier); this row is ignored"))
                    continue
                }
                firstLine[key] = line
                rows.append(
                    SubscriberRow(
                        line: line, email: parts.email, name: parts.name, organization: parts.organization,
                        prefecture: parts.prefecture, lists: parts.lists, charset: parts.charset))
            case .failure(let reason):
                problems.append(RowProblem(file: file, line: line, message: reason.message))
            }
        }
        return (rows, problems)
    }

    struct Reason: Error { let message: String }

    static func parse(_ record: [String: String]) -> Result<
        (email: EmailAddress, name: String, organization: String, prefecture: Prefecture?, lists: [String], charset: MailCharset?),
        Reason
    > {
        let emailText = record["email"] ?? ""
        let email: EmailAddress
        do {
            email = try EmailAddress(emailText)
        } catch {
            return .failure(Reason(message: "email \"\(emailText)\" \(error); accepted: \(EmailAddress.acceptedForms)"))
        }
        var prefecture: Prefecture?
        if let text = record["prefecture"], !text.isEmpty {
            guard let found = Prefecture.lookup(text) else {
                return .failure(Reason(message: "prefecture \"\(text)\" is not a prefecture; accepted: \(Prefecture.acceptedForms) (or leave it empty)"))
            }
            prefecture = found
        }
        var charset: MailCharset?
        if let text = record["charset"], !text.isEmpty {
            guard let found = MailCharset(text: text) else {
                return .failure(Reason(message: "charset \"\(text)\" is not accepted; use \(MailCharset.acceptedForms) (or leave it empty)"))
            }
            charset = found
        }
        let lists = (record["lists"] ?? "").split(separator: ";").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        guard !lists.isEmpty else {
            return .failure(Reason(message: "lists is empty; give list ids separated by ; such as kyoei;municipal"))
        }
        var names: [String] = []
        for field in ["name", "organization"] {
            let value = (record[field] ?? "").precomposedStringWithCanonicalMapping
            // These go into the greeting of every mail: one line, no control characters.
            if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" }) {
                return .failure(Reason(message: "\(field) \"\(value.replacingOccurrences(of: "\r\n", with: "⏎").replacingOccurrences(of: "\n", with: "⏎").replacingOccurrences(of: "\r", with: "⏎"))\" has a line break or control character; put it on one line"))
            }
            guard value.count <= 100 else {
                return .failure(Reason(message: "\(field) is \(value.count) characters long; at most 100 are accepted"))
            }
            names.append(value)
        }
        return .success((email, names[0], names[1], prefecture, lists, charset))
    }

    private static func newlines(in fields: [String]) -> Int {
        fields.reduce(0) { $0 + $1.reduce(0) { $0 + ($1 == "\n" || $1 == "\r\n" ? 1 : 0) } }
    }
}
