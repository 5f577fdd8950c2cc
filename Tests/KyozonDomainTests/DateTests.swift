import Testing

@testable import KyozonDomain

@Suite struct DateTests {
    @Test func calendarDatesAreValidated() {
        #expect(CalendarDate(iso: "2026-12-05") == CalendarDate(year: 2026, month: 12, day: 5))
        #expect(CalendarDate(iso: "2026-02-29") == nil)
        #expect(CalendarDate(iso: "2028-02-29") != nil)
        #expect(CalendarDate(iso: "2026-13-01") == nil)
        #expect(CalendarDate(iso: "2026-1-5") == nil)
        #expect(CalendarDate(iso: "2026/12/05") == nil)
        #expect(CalendarDate(iso: "２０２６-12-05") == nil)
    }

    @Test func weekdaysAreRight() {
        // 2026-12-05 is a Saturday; 1970-01-01 a Thursday; 2000-02-29 a Tuesday.
        #expect(CalendarDate(iso: "2026-12-05")!.japaneseWeekday == "土")
        #expect(CalendarDate(iso: "1970-01-01")!.weekday == 4)
        #expect(CalendarDate(iso: "2000-02-29")!.japaneseWeekday == "火")
        #expect(CalendarDate(iso: "1969-12-31")!.japaneseWeekday == "水")
    }

    @Test func epochDaysRoundTrip() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(CalendarDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
    }

    @Test func japaneseSpansLeaveOutWhatRepeats() {
        let d = { CalendarDate(iso: $0)! }
        #expect(JapaneseDate.format(d("2026-12-05")) == "2026年12月5日(土)")
        #expect(JapaneseDate.format(from: d("2026-12-05"), to: d("2026-12-07")) == "2026年12月5日(土)〜7日(月)")
        #expect(JapaneseDate.format(from: d("2026-11-28"), to: d("2026-12-03")) == "2026年11月28日(土)〜12月3日(木)")
        #expect(JapaneseDate.format(from: d("2026-12-28"), to: d("2027-01-03")) == "2026年12月28日(月)〜2027年1月3日(日)")
        #expect(JapaneseDate.format(from: d("2026-12-05"), to: d("2026-12-05")) == "2026年12月5日(土)")
    }

    @Test func japaneseEraYearsAsASetting() {
        let d = { CalendarDate(iso: $0)! }
        #expect(JapaneseDate.format(from: d("2026-12-05"), to: d("2026-12-07"), era: true) == "令和8年12月5日(土)〜7日(月)")
        #expect(JapaneseDate.format(from: d("2026-12-28"), to: d("2027-01-03"), era: true) == "令和8年12月28日(月)〜令和9年1月3日(日)")
        #expect(JapaneseDate.year(d("2019-05-01"), era: true) == "令和元年")
        #expect(JapaneseDate.year(d("2019-04-30"), era: true) == "平成31年")
        #expect(JapaneseDate.year(d("2026-12-05"), era: false) == "2026年")
    }

    @Test func timestampsReadRFC3339AndDefaultToTokyo() {
        let withOffset = Timestamp(rfc3339: "2026-11-01T00:00:00+09:00")!
        #expect(Timestamp(rfc3339: "2026-10-31T15:00:00Z") == withOffset)
        #expect(Timestamp(rfc3339: "2026-11-01T00:00:00") == withOffset)
        #expect(Timestamp(rfc3339: "2026-11-01 00:00") == withOffset)
        #expect(Timestamp(rfc3339: "2026-10-31T16:00:00.123+01:00") == withOffset)
        #expect(withOffset.description == "2026-11-01T00:00:00+09:00")
        for bad in ["2026-11-01", "2026-11-01T25:00", "2026-11-01T10:00+0900", "yesterday", "2026-11-01T10:00:00+09:00x"] {
            #expect(Timestamp(rfc3339: bad) == nil, "\(bad)")
        }
    }

    @Test func monthsAreTokyoMonthsWhateverTheOffset() {
        // 2026-10-31T15:00Z is midnight on 1 November in Tokyo.
        #expect(Timestamp(rfc3339: "2026-10-31T14:59:59Z")!.issueMonth == IssueMonth("2026-10"))
        #expect(Timestamp(rfc3339: "2026-10-31T15:00:00Z")!.issueMonth == IssueMonth("2026-11"))
        #expect(Timestamp(rfc3339: "2026-11-30T23:59:59")!.issueMonth == IssueMonth("2026-11"))
        let november = IssueMonth("2026-11")!
        #expect(november.epochRange.lowerBound == Timestamp(rfc3339: "2026-11-01T00:00:00+09:00")!.epochSeconds)
        #expect(november.epochRange.upperBound == Timestamp(rfc3339: "2026-12-01T00:00:00+09:00")!.epochSeconds)
        #expect(IssueMonth("2026-01")!.previous == IssueMonth("2025-12"))
        #expect(IssueMonth("2026-12")!.next == IssueMonth("2027-01"))
        #expect(IssueMonth("2026-13") == nil)
        #expect(IssueMonth("26-11") == nil)
    }
}
