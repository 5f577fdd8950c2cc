import Foundation
import KyozonDomain

/// Reads the ways Japanese offices write dates: `2026-12-05`, `2026/12/5`, `2026年12月5日`,
/// `令和8年12月5日` (also `令和元年`, and 平成), with full-width digits too.
enum DateReader {
    static let acceptedDates = "YYYY-MM-DD such as 2026-12-05, or 2026/12/5, 2026年12月5日, 令和8年12月5日"

    static func date(_ input: String) -> CalendarDate? {
        let text = normalize(input)
        if let iso = CalendarDate(iso: text) { return iso }
        if let (date, rest) = leadingDate(text), rest.isEmpty { return date }
        return nil
    }

    /// An instant: RFC 3339, or a date as above with an optional `H:MM[:SS]` (Asia/Tokyo).
    static func timestamp(_ input: String) -> Timestamp? {
        let text = normalize(input)
        if let stamp = Timestamp(rfc3339: text) { return stamp }
        guard let (date, rest) = leadingDate(text) else { return nil }
        var seconds = 0
        let time = rest.trimmingCharacters(in: .whitespaces)
        if !time.isEmpty {
            let parts = time.split(separator: ":").map { Int($0) }
            guard (2...3).contains(parts.count), parts.allSatisfy({ $0 != nil }) else { return nil }
            let (h, m, s) = (parts[0]!, parts[1]!, parts.count == 3 ? parts[2]! : 0)
            guard (0..<24).contains(h), (0..<60).contains(m), (0..<60).contains(s) else { return nil }
            seconds = h * 3600 + m * 60 + s
        }
        return Timestamp(epochSeconds: TokyoTime.startOfDay(date) + Int64(seconds))
    }

    /// Full-width digits and punctuation to ASCII (NFKC), spaces trimmed.
    static func normalize(_ text: String) -> String {
        let ascii = text.utf8.allSatisfy { $0 < 0x80 }
        return (ascii ? text : text.precomposedStringWithCompatibilityMapping).trimmingWhitespace()
    }

    /// A date at the start of `text` in any accepted form, and what follows it.
    static func leadingDate(_ text: String) -> (CalendarDate, String)? {
        var scanner = Substring(text)
        var year: Int
        if let era = eras.first(where: { scanner.hasPrefix($0.name) }) {
            scanner.removeFirst(era.name.count)
            let eraYear: Int
            if scanner.hasPrefix("元") {
                scanner.removeFirst()
                eraYear = 1
            } else {
                guard let n = number(&scanner), n >= 1 else { return nil }
                eraYear = n
            }
            guard scanner.hasPrefix("年") else { return nil }
            scanner.removeFirst()
            year = era.firstYear + eraYear - 1
            guard let (month, day) = monthDay(&scanner, separator: nil),
                let date = CalendarDate(year: year, month: month, day: day),
                date >= era.start, era.end.map({ date < $0 }) ?? true
            else { return nil }
            return (date, String(scanner))
        }
        guard let y = number(&scanner), y >= 1000 else { return nil }
        year = y
        let separator: Character?
        if scanner.hasPrefix("年") {
            separator = nil
        } else if scanner.hasPrefix("/") || scanner.hasPrefix("-") || scanner.hasPrefix(".") {
            separator = scanner.first
        } else {
            return nil
        }
        scanner.removeFirst()
        guard let (month, day) = monthDay(&scanner, separator: separator),
            let date = CalendarDate(year: year, month: month, day: day)
        else { return nil }
        return (date, String(scanner))
    }

    /// `12月5日` (separator nil) or `12/5`.
    private static func monthDay(_ scanner: inout Substring, separator: Character?) -> (Int, Int)? {
        guard let month = number(&scanner) else { return nil }
        if let separator {
            guard scanner.first == separator else { return nil }
            scanner.removeFirst()
            guard let day = number(&scanner) else { return nil }
            return (month, day)
        }
        guard scanner.hasPrefix("月") else { return nil }
        scanner.removeFirst()
        guard let day = number(&scanner), scanner.hasPrefix("日") else { return nil }
        scanner.removeFirst()
        // A weekday in brackets may follow: 2026年12月5日(土)
        if scanner.hasPrefix("("), let close = scanner.firstIndex(of: ")"), scanner.distance(from: scanner.startIndex, to: close) <= 3 {
            scanner = scanner[scanner.index(after: close)...]
        }
        return (month, day)
    }

    private static func number(_ scanner: inout Substring) -> Int? {
        let digits = scanner.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 4 else { return nil }
        scanner.removeFirst(digits.count)
        return Int(digits)
    }

    struct Era {
        let name: String
        let firstYear: Int
        let start: CalendarDate
        let end: CalendarDate?
    }

    static let eras = [
        Era(name: "令和", firstYear: 2019, start: CalendarDate(year: 2019, month: 5, day: 1)!, end: nil),
        Era(name: "平成", firstYear: 1989, start: CalendarDate(year: 1989, month: 1, day: 8)!, end: CalendarDate(year: 2019, month: 5, day: 1)!),
    ]
}
