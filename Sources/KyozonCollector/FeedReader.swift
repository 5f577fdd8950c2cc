import Foundation
import KyozonDomain
import SWXMLHash

/// Reads the entries of an RSS 2.0 or Atom feed as submission records, with the feed's
/// prefecture, default category and office filled in.
public enum FeedReader {
    /// What every entry of a feed shares.
    public struct Defaults: Sendable {
        public let name: String
        public let prefecture: String
        public let category: String

        public init(name: String, prefecture: String, category: String) {
            self.name = name
            self.prefecture = prefecture
            self.category = category
        }
    }

    public static func read(_ data: Data, defaults: Defaults) -> Result<[RawSubmission], SourceFailure> {
        let raw = String(decoding: data, as: UTF8.self)
        let xml = XMLHash.config { $0.detectParsingErrors = true }.parse(data)
        if case .parsingError(let error) = xml {
            return .failure(SourceFailure(problem: FieldProblem(field: "(feed)", message: "is not well-formed XML: \(error)"), raw: raw))
        }
        let entries: [[String: Any]]
        if !xml["rss"]["channel"]["item"].all.isEmpty || xml["rss"].element != nil {
            entries = xml["rss"]["channel"]["item"].all.map { rssItem($0) }
        } else if xml["feed"].element != nil {
            entries = xml["feed"]["entry"].all.map { atomEntry($0) }
        } else {
            return .failure(SourceFailure(problem: FieldProblem(field: "(feed)", message: "is neither RSS 2.0 (<rss>) nor Atom (<feed>)"), raw: raw))
        }
        return .success(
            entries.map { entry in
                var fields = entry
                var notes: [FieldProblem] = []
                fields["prefecture"] = defaults.prefecture
                fields["submitted_by"] = defaults.name
                if let category = fields["category"] as? String, Category(codeOrLabel: category) != nil {
                    // The entry names a category we know: keep it.
                } else {
                    fields["category"] = defaults.category
                }
                if let summary = fields["summary"] as? String, summary.count > SubmissionValidator.maxSummaryLength {
                    fields["summary"] = String(summary.prefix(SubmissionValidator.maxSummaryLength - 1)) + "…"
                    notes.append(FieldProblem(field: "summary", message: "was \(summary.count) characters long in the feed; shortened to \(SubmissionValidator.maxSummaryLength)"))
                }
                let id = (entry["id"] as? String) ?? (entry["url"] as? String) ?? (entry["title"] as? String) ?? "?"
                return RawSubmission(position: .entry(id), fields: fields, raw: canonicalJSON(entry), notes: notes)
            })
    }

    private static func rssItem(_ item: XMLIndexer) -> [String: Any] {
        var fields: [String: Any] = [:]
        fields["title"] = text(item["title"])
        fields["url"] = text(item["link"])
        fields["summary"] = text(item["description"]).map(plainText)
        fields["id"] = text(item["guid"])
        fields["category"] = text(item["category"])
        if let date = text(item["pubDate"]) ?? text(item["dc:date"]) {
            fields["submitted_at"] = RFC822Date.parse(date)?.description ?? date
        }
        return fields.compactMapValues { $0 }
    }

    private static func atomEntry(_ entry: XMLIndexer) -> [String: Any] {
        var fields: [String: Any] = [:]
        fields["title"] = text(entry["title"]).map(plainText)
        let links = entry["link"].all.compactMap(\.element)
        let link = links.first { ($0.attribute(by: "rel")?.text ?? "alternate") == "alternate" } ?? links.first
        fields["url"] = link?.attribute(by: "href")?.text
        fields["summary"] = (text(entry["summary"]) ?? text(entry["content"])).map(plainText)
        fields["id"] = text(entry["id"])
        fields["category"] = entry["category"].element?.attribute(by: "term")?.text
        fields["submitted_at"] = text(entry["published"]) ?? text(entry["updated"])
        return fields.compactMapValues { $0 }
    }

    private static func text(_ indexer: XMLIndexer) -> String? {
        guard let element = indexer.element else { return nil }
        let value = element.recursiveText.trimmingCharacters(in: .whitespacesAndNewlines)
        return value.isEmpty ? nil : value
    }

    /// Feeds often carry HTML in descriptions: keep the words, drop the markup.
    static func plainText(_ html: String) -> String {
        var text = html.replacingOccurrences(of: "<br\\s*/?>|</p>", with: "\n", options: [.regularExpression, .caseInsensitive])
        text = text.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
        let entities = ["&lt;": "<", "&gt;": ">", "&quot;": "\"", "&#39;": "'", "&nbsp;": " ", "&amp;": "&"]
        for (entity, character) in entities { text = text.replacingOccurrences(of: entity, with: character) }
        return text.replacingOccurrences(of: "\n{3,}", with: "\n\n", options: .regularExpression)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// RSS dates: `Tue, 03 Nov 2026 09:30:00 +0900` (RFC 822 / 5322), with GMT, UT, Z or JST.
enum RFC822Date {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func parse(_ text: String) -> Timestamp? {
        var parts = text.replacingOccurrences(of: ",", with: " ").split(separator: " ").map(String.init)
        if let first = parts.first, Int(first) == nil { parts.removeFirst() }  // weekday
        guard parts.count >= 4, let day = Int(parts[0]),
            let month = months.firstIndex(of: parts[1].prefix(3).lowercased()), var year = Int(parts[2])
        else { return nil }
        if year < 100 { year += 2000 }
        let time = parts[3].split(separator: ":").compactMap { Int($0) }
        guard time.count >= 2, let date = CalendarDate(year: year, month: month + 1, day: day) else { return nil }
        var offset = 0
        if parts.count >= 5 {
            let zone = parts[4]
            switch zone.uppercased() {
            case "GMT", "UT", "UTC", "Z": offset = 0
            case "JST": offset = 9 * 3600
            default:
                guard zone.count == 5, let sign = zone.first, sign == "+" || sign == "-", let hhmm = Int(zone.dropFirst()) else {
                    return nil
                }
                offset = (sign == "-" ? -1 : 1) * ((hhmm / 100) * 3600 + (hhmm % 100) * 60)
            }
        }
        let seconds = time[0] * 3600 + time[1] * 60 + (time.count > 2 ? time[2] : 0)
        return Timestamp(epochSeconds: Int64(date.daysSinceEpoch) * 86400 + Int64(seconds) - Int64(offset))
    }
}
