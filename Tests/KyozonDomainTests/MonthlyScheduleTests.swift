import KyozonDomain
import Testing

@Suite struct MonthlyScheduleTests {
    let schedule = MonthlySchedule(sendDay: 5, lateDays: 3)

    func day(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }

    @Test func beforeTheSendDayThereIsNothingToDo() {
        #expect(schedule.verdict(on: day("2026-12-01")) == .notYet(sendDate: day("2026-12-05")))
        #expect(schedule.verdict(on: day("2026-12-04")) == .notYet(sendDate: day("2026-12-05")))
    }

    @Test func onTheSendDayAndAFewDaysAfterLastMonthsIssueIsDue() {
        #expect(schedule.verdict(on: day("2026-12-05")) == .due(month: IssueMonth("2026-11")!, sendDate: day("2026-12-05"), daysLate: 0))
        #expect(schedule.verdict(on: day("2026-12-08")) == .due(month: IssueMonth("2026-11")!, sendDate: day("2026-12-05"), daysLate: 3))
        // January's run sends December's items, across the year.
        #expect(schedule.verdict(on: day("2027-01-05")) == .due(month: IssueMonth("2026-12")!, sendDate: day("2027-01-05"), daysLate: 0))
    }

    @Test func laterThanTheLateDaysARunIsRefused() {
        #expect(schedule.verdict(on: day("2026-12-09")) == .tooLate(month: IssueMonth("2026-11")!, sendDate: day("2026-12-05"), daysLate: 4))
        #expect(schedule.verdict(on: day("2026-12-31")) == .tooLate(month: IssueMonth("2026-11")!, sendDate: day("2026-12-05"), daysLate: 26))
    }

    @Test func aLateWindowReachesIntoTheNextMonth() {
        let late = MonthlySchedule(sendDay: 28, lateDays: 5)
        // 28 February + 5 days is 5 March: still February's send (January's items).
        #expect(late.verdict(on: day("2027-03-05")) == .due(month: IssueMonth("2027-01")!, sendDate: day("2027-02-28"), daysLate: 5))
        #expect(late.verdict(on: day("2027-03-06")) == .notYet(sendDate: day("2027-03-28")))
    }

    @Test func aSendDayPastTheEndOfSomeMonthsIsTheTwentyEighth() {
        // The same day the collector flags events against: IssueMonth.sendDate.
        let schedule = MonthlySchedule(sendDay: 31, lateDays: 0)
        #expect(schedule.verdict(on: day("2027-02-28")) == .due(month: IssueMonth("2027-01")!, sendDate: day("2027-02-28"), daysLate: 0))
        #expect(IssueMonth("2027-01")!.sendDate(day: 31) == day("2027-02-28"))
        #expect(IssueMonth("9999-12") == nil, "a typo, refused when parsed, not a crash later")
        #expect(IssueMonth("2999-12")!.next.description == "3000-01")
    }
}
