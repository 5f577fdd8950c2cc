import CSV
import Foundation
import KyozonDomain
import KyozonJIS

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

    /// Reads UTF-8 (with or without BOM) or CP932 (Excel's plain "CSV" on Japanese Windows).
    public static func read(_ data: Data, file: String) -> (rows: [SubscriberRow], problems: [RowProblem]) {
        readDetectingEncoding(data, file: file).result
    }

    /// As `read`, also saying which encoding the file was in.
    public static func readDetectingEncoding(_ data: Data, file: String)
        -> (result: (rows: [SubscriberRow], problems: [RowProblem]), encoding: String?)
    {
        guard let (text, encoding) = Charsets.decodeUTF8OrCP932(data) else {
            return (([], [RowProblem(file: file, line: 1, message: "is neither UTF-8 nor CP932; save it from Excel as \"CSV UTF-8\" or \"CSV\"")]), nil)
        }
        return (parse(text, file: file), encoding)
    }

    static func parse(_ text: String, file: String) -> (rows: [SubscriberRow], problems: [RowProblem]) {
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
                record[column] = Self.unguarded(fields[index].trimmingWhitespace())
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

    /// The encodings `write` can produce.
    public enum Encoding: String, Sendable, CaseIterable {
        /// UTF-8 with a BOM: Excel's "CSV UTF-8", which it opens with the right encoding.
        case utf8 = "utf-8"
        /// CP932: Excel's plain "CSV" on Japanese Windows.
        case cp932
    }

    /// A subscriber as `write` puts them in a row (the import's columns, so an export imports again).
    public struct ExportRow: Sendable {
        public let email: String
        public let name: String
        public let organization: String
        public let prefecture: Prefecture?
        public let lists: [String]
        public let charset: MailCharset

        public init(email: String, name: String, organization: String, prefecture: Prefecture?, lists: [String], charset: MailCharset) {
            self.email = email
            self.name = name
            self.organization = organization
            self.prefecture = prefecture
            self.lists = lists
            self.charset = charset
        }
    }

    /// A character CP932 cannot hold, and where.
    public struct UnencodableError: Error, CustomStringConvertible, Equatable {
        public let line: Int
        public let character: Character
        public var description: String {
            "line \(line) holds \(character) (U+\(String(character.unicodeScalars.first!.value, radix: 16, uppercase: true))), which CP932 cannot hold; export as UTF-8 (--encoding utf-8) or change it"
        }
    }

    /// The rows as CSV in `encoding`, CRLF line ends, every field quoted as Excel does when needed.
    public static func write(_ rows: [ExportRow], encoding: Encoding) throws(UnencodableError) -> Data {
        var lines = [columns.joined(separator: ",")]
        for row in rows {
            let fields = [
                row.email, row.name, row.organization, row.prefecture?.name ?? "", row.lists.joined(separator: ";"),
                row.charset == .utf8 ? "" : row.charset.rawValue,
            ]
            lines.append(fields.map(quoted).joined(separator: ","))
        }
        switch encoding {
        case .utf8:
            return Data([0xEF, 0xBB, 0xBF] + Array((lines.joined(separator: "\r\n") + "\r\n").utf8))
        case .cp932:
            var out: [UInt8] = []
            for (index, line) in lines.enumerated() {
                guard let bytes = Charsets.encodeCP932(line + "\r\n") else {
                    let bad = line.first { !Charsets.canEncode(String($0), as: "CP932") } ?? "?"
                    throw UnencodableError(line: index + 1, character: bad)
                }
                out += bytes
            }
            return Data(out)
        }
    }

    /// Excel runs a cell that starts with `=`, `+`, `-` or `@` as a formula: names come from the
    /// public subscribe form, so such a field is written after an apostrophe (shown as text)…
    static func guarded(_ field: String) -> String {
        guard let first = field.first, "=+-@".contains(first) else { return field }
        return "'" + field
    }

    /// …and read back without it, so that an export imports again as it was.
    static func unguarded(_ field: String) -> String {
        guard field.hasPrefix("'"), let second = field.dropFirst().first, "=+-@".contains(second) else { return field }
        return String(field.dropFirst())
    }

    static func quoted(_ field: String) -> String {
        let field = guarded(field)
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) || field.hasPrefix(" ") || field.hasSuffix(" ") else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
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
