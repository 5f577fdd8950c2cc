import CSV
import Foundation
import KyozonDomain
import KyozonJIS

/// Reads submission records from CSV as Excel writes it: UTF-8 with or without BOM, or CP932
/// (detected), quoted fields holding commas and line breaks, and a header row of either the
/// JSON field names or their Japanese names (タイトル, 種別, 都道府県, …).
public enum CSVSubmissionReader {
    /// Japanese header names and the JSON fields they stand for.
    public static let japaneseHeaders: [String: String] = [
        "ID": "id", "番号": "id", "タイトル": "title", "件名": "title", "種別": "category", "カテゴリ": "category",
        "都道府県": "prefecture", "市区町村": "municipality", "開始日": "starts_on", "終了日": "ends_on", "会場": "venue",
        "概要": "summary", "URL": "url", "問い合わせ先": "contact", "問い合わせ": "contact", "連絡先": "contact",
        "提出日時": "submitted_at", "提出者": "submitted_by",
    ]

    public static func read(_ data: Data) -> Result<[RawSubmission], SourceFailure> {
        guard let (text, _) = Charsets.decodeUTF8OrCP932(data) else {
            let problem = FieldProblem(
                field: "(file)",
                message: "is neither UTF-8 nor CP932 (Shift_JIS) text (first bad byte at offset \(TextDecoding.firstInvalidUTF8Offset(data))); save it from Excel as \"CSV UTF-8\" or \"CSV\"")
            return .failure(SourceFailure(problem: problem, raw: String(decoding: data, as: UTF8.self)))
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            return .failure(SourceFailure(problem: FieldProblem(field: "(file)", message: "cannot be read as CSV: \(error)"), raw: text))
        }
        let header = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        var columns: [String?] = []
        for name in header {
            let field = SubmissionValidator.knownFields.contains(name.lowercased()) ? name.lowercased() : japaneseHeaders[name]
            columns.append(field)
        }
        if !columns.contains("title") {
            let expected = SubmissionValidator.knownFields.joined(separator: ",")
            let problem = FieldProblem(
                field: "(header)",
                message: "line 1 has no title column; the header must name the fields, either \(expected) or タイトル,種別,都道府県,市区町村,開始日,終了日,会場,概要,URL,提出日時,提出者")
            return .failure(SourceFailure(problem: problem, raw: text))
        }
        var records: [RawSubmission] = []
        var line = 2 + newlines(in: reader.headerRow ?? [])
        while let row = reader.next() {
            defer { line += 1 + newlines(in: row) }
            if row.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) { continue }
            var fields: [String: Any] = [:]
            for (index, value) in row.enumerated() where index < columns.count {
                // An unknown column keeps its own name, so the validator can say it was ignored.
                guard let field = columns[index] ?? (header[index].isEmpty ? nil : header[index]),
                    !value.allSatisfy(\.isWhitespace)
                else { continue }
                fields[field] = value
            }
            if row.count > columns.count {
                fields["(invalid)"] = "has \(row.count) fields but the header names \(columns.count); check for an unquoted comma"
            }
            records.append(RawSubmission(position: .row(line: line), fields: fields, raw: canonicalJSON(fields)))
        }
        return .success(records)
    }

    private static func newlines(in fields: [String]) -> Int {
        fields.reduce(0) { count, field in count + field.unicodeScalars.filter { $0 == "\n" }.count }
    }
}
