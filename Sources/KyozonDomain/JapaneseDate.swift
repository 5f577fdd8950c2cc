/// Dates as Japanese readers expect them: `2026年12月5日(土)`.
public enum JapaneseDate {
    /// `2026年12月5日(土)`.
    public static func format(_ date: CalendarDate) -> String {
        "\(date.year)年\(date.month)月\(date.day)日(\(date.japaneseWeekday))"
    }

    /// A span, leaving out what repeats: `2026年12月5日(土)〜7日(月)`,
    /// `2026年12月28日(月)〜1月3日(日)`, `2026年12月28日(月)〜2027年1月3日(日)`.
    public static func format(from start: CalendarDate, to end: CalendarDate?) -> String {
        guard let end, end != start else { return format(start) }
        let tail: String
        if end.year != start.year {
            tail = format(end)
        } else if end.month != start.month {
            tail = "\(end.month)月\(end.day)日(\(end.japaneseWeekday))"
        } else {
            tail = "\(end.day)日(\(end.japaneseWeekday))"
        }
        return "\(format(start))〜\(tail)"
    }
}
