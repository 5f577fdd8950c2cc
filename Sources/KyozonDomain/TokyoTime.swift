/// Asia/Tokyo: UTC+9 all year (Japan has kept no daylight saving time since 1951),
/// so the offset is fixed and no time-zone database is needed.
public enum TokyoTime {
    /// Seconds east of UTC.
    public static let offsetSeconds = 9 * 3600

    /// The calendar date in Tokyo at an instant given as seconds since the Unix epoch.
    public static func date(atEpochSeconds seconds: Int64) -> CalendarDate {
        let local = seconds + Int64(offsetSeconds)
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        return CalendarDate(daysSinceEpoch: Int(days))
    }

    /// The instant (epoch seconds) at which a Tokyo calendar date begins.
    public static func startOfDay(_ date: CalendarDate) -> Int64 {
        Int64(date.daysSinceEpoch) * 86400 - Int64(offsetSeconds)
    }
}
