/// A calendar month in Asia/Tokyo, such as the month whose submissions an issue gathers.
public struct IssueMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            let year = Int(parts[0]), let month = Int(parts[1])
        else { return nil }
        self.init(year: year, month: month)
    }

    /// The Tokyo month containing an instant (epoch seconds).
    public init(containingEpochSeconds seconds: Int64) {
        let date = TokyoTime.date(atEpochSeconds: seconds)
        self.year = date.year
        self.month = date.month
    }

    /// `YYYY-MM`.
    public var description: String { "\(year)-\(CalendarDate.pad(month))" }

    /// `2026年11月`.
    public var japaneseLabel: String { "\(year)年\(month)月" }

    public var previous: IssueMonth {
        month == 1 ? IssueMonth(year: year - 1, month: 12)! : IssueMonth(year: year, month: month - 1)!
    }

    public var next: IssueMonth {
        month == 12 ? IssueMonth(year: year + 1, month: 1)! : IssueMonth(year: year, month: month + 1)!
    }

    public var firstDay: CalendarDate { CalendarDate(year: year, month: month, day: 1)! }

    /// The instants of this month in Tokyo as a half-open range of epoch seconds.
    public var epochRange: Range<Int64> {
        TokyoTime.startOfDay(firstDay)..<TokyoTime.startOfDay(next.firstDay)
    }

    public static func < (lhs: IssueMonth, rhs: IssueMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}
