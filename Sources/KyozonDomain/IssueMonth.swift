/// A calendar month in Asia/Tokyo, such as the month whose submissions an issue gathers.
public struct IssueMonth: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    /// A month from 1900 to 2999: what a person may name (a year such as 9999 is a typo, and
    /// months around it would fall off the calendar).
    public init?(year: Int, month: Int) {
        guard (1900...2999).contains(year), (1...12).contains(month) else { return nil }
        self.init(checked: year, month)
    }

    /// A month already known to be valid (a neighbour of one, or of an instant).
    private init(checked year: Int, _ month: Int) {
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
        self.init(checked: date.year, date.month)
    }

    /// `YYYY-MM`.
    public var description: String { "\(year)-\(CalendarDate.pad(month))" }

    /// `2026年11月`.
    public var japaneseLabel: String { "\(year)年\(month)月" }

    public var previous: IssueMonth {
        month == 1 ? IssueMonth(checked: year - 1, 12) : IssueMonth(checked: year, month - 1)
    }

    public var next: IssueMonth {
        month == 12 ? IssueMonth(checked: year + 1, 1) : IssueMonth(checked: year, month + 1)
    }

    /// The day the issue gathering this month's submissions goes out: `sendDay` (kept within
    /// 1…28, so that every month has it) of the next month.
    public func sendDate(day sendDay: Int) -> CalendarDate {
        let next = self.next
        return CalendarDate(year: next.year, month: next.month, day: min(max(sendDay, 1), 28))!
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
