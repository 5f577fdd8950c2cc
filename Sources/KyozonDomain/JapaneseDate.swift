/// Dates as Japanese readers expect them: `2026年12月5日(土)`.
public enum JapaneseDate {
    /// `2026年12月5日(土)`.
    public static func format(_ date: CalendarDate, era: Bool = false) -> String {
        "\(year(date, era: era))\(date.month)月\(date.day)日(\(date.japaneseWeekday))"
    }

    /// `2026年`, or with `era` the Japanese era year: `令和8年` (元年 for the first year).
    public static func year(_ date: CalendarDate, era: Bool) -> String {
        guard era else { return "\(date.year)年" }
        // 令和 from 2019-05-01, 平成 from 1989-01-08.
        let (name, first): (String, Int)
        if date >= CalendarDate(year: 2019, month: 5, day: 1)! {
            (name, first) = ("令和", 2019)
        } else if date >= CalendarDate(year: 1989, month: 1, day: 8)! {
            (name, first) = ("平成", 1989)
        } else {
            return "\(date.year)年"
        }
        let number = date.year - first + 1
        return name + (number == 1 ? "元" : "\(number)") + "年"
    }

    /// A span, leaving out what repeats: `2026年12月5日(土)〜7日(月)`,
    /// `2026年12月28日(月)〜1月3日(日)`, `2026年12月28日(月)〜2027年1月3日(日)`.
    /// With `era`, years are Japanese era years: `令和8年12月5日(土)〜7日(月)`.
    public static func format(from start: CalendarDate, to end: CalendarDate?, era: Bool = false) -> String {
        guard let end, end != start else { return format(start, era: era) }
        let tail: String
        if end.year != start.year {
            tail = format(end, era: era)
        } else if end.month != start.month {
            tail = "\(end.month)月\(end.day)日(\(end.japaneseWeekday))"
        } else {
            tail = "\(end.day)日(\(end.japaneseWeekday))"
        }
        return "\(format(start, era: era))〜\(tail)"
    }
}
