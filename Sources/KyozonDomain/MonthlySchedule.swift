/// When the monthly issue goes out: on `sendDay` of each month, the issue of the month
/// before; a run up to `lateDays` after that still sends (a timer catching up after a short
/// outage), a later one refuses (a restored backup, a timer firing weeks late).
public struct MonthlySchedule: Sendable, Equatable {
    public let sendDay: Int
    public let lateDays: Int

    public init(sendDay: Int, lateDays: Int) {
        self.sendDay = sendDay
        self.lateDays = lateDays
    }

    /// What a run on `today` (Tokyo) should do.
    public enum Verdict: Sendable, Equatable {
        /// Before this month's send day: nothing to do until `sendDate`.
        case notYet(sendDate: CalendarDate)
        /// Send the issue of `month`, due on `sendDate`; `daysLate` 0 on the day itself.
        case due(month: IssueMonth, sendDate: CalendarDate, daysLate: Int)
        /// Too late for the issue of `month`: refuse, and say so.
        case tooLate(month: IssueMonth, sendDate: CalendarDate, daysLate: Int)
    }

    public func verdict(on today: CalendarDate) -> Verdict {
        let thisMonth = IssueMonth(year: today.year, month: today.month)!
        let sendDate = CalendarDate(year: today.year, month: today.month, day: sendDay)!
        if today >= sendDate {
            let late = today.daysSinceEpoch - sendDate.daysSinceEpoch
            return late <= lateDays
                ? .due(month: thisMonth.previous, sendDate: sendDate, daysLate: late)
                : .tooLate(month: thisMonth.previous, sendDate: sendDate, daysLate: late)
        }
        // Before this month's day: still within last month's late window?
        let previous = thisMonth.previous
        let previousDate = CalendarDate(year: previous.year, month: previous.month, day: sendDay)!
        let late = today.daysSinceEpoch - previousDate.daysSinceEpoch
        if late <= lateDays { return .due(month: previous.previous, sendDate: previousDate, daysLate: late) }
        return .notYet(sendDate: sendDate)
    }
}
