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
        // The issue going out this month gathers last month's submissions.
        let current = IssueMonth(containingEpochSeconds: TokyoTime.startOfDay(today)).previous
        let sendDate = current.sendDate(day: sendDay)
        let late = today.daysSinceEpoch - sendDate.daysSinceEpoch
        if late >= 0 {
            return late <= lateDays
                ? .due(month: current, sendDate: sendDate, daysLate: late)
                : .tooLate(month: current, sendDate: sendDate, daysLate: late)
        }
        // Before this month's send day: still within last month's late window?
        let earlier = current.previous
        let earlierDate = earlier.sendDate(day: sendDay)
        let earlierLate = today.daysSinceEpoch - earlierDate.daysSinceEpoch
        if earlierLate <= lateDays { return .due(month: earlier, sendDate: earlierDate, daysLate: earlierLate) }
        return .notYet(sendDate: sendDate)
    }
}
