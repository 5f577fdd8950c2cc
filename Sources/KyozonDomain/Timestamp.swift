/// An instant, parsed from RFC 3339 text; without an offset it means Asia/Tokyo.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since the Unix epoch.
    public let epochSeconds: Int64

    public init(epochSeconds: Int64) {
        self.epochSeconds = epochSeconds
    }

    /// Parses `2026-11-03T09:30:00+09:00`, `…Z`, `…T09:30` (Tokyo), with `T` or a space,
    /// seconds and a fraction optional (the fraction is dropped).
    public init?(rfc3339 text: String) {
        let chars = Array(text.trimmingWhitespace().utf8)
        var i = 0
        func number(_ width: Int) -> Int? {
            guard i + width <= chars.count else { return nil }
            var n = 0
            for c in chars[i..<(i + width)] {
                guard c >= 0x30, c <= 0x39 else { return nil }
                n = n * 10 + Int(c - 0x30)
            }
            i += width
            return n
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < chars.count, chars[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(0x2D), let month = number(2), expect(0x2D), let day = number(2),
            let date = CalendarDate(year: year, month: month, day: day)
        else { return nil }
        guard i < chars.count, chars[i] == 0x54 || chars[i] == 0x74 || chars[i] == 0x20 else { return nil }
        i += 1
        guard let hour = number(2), hour < 24, expect(0x3A), let minute = number(2), minute < 60 else { return nil }
        var second = 0
        if expect(0x3A) {
            guard let s = number(2), s <= 60 else { return nil }
            second = min(s, 59)
            if expect(0x2E) {
                let start = i
                while i < chars.count, chars[i] >= 0x30, chars[i] <= 0x39 { i += 1 }
                guard i > start else { return nil }
            }
        }
        var offset = TokyoTime.offsetSeconds
        if i < chars.count {
            if chars[i] == 0x5A || chars[i] == 0x7A {
                offset = 0
                i += 1
            } else if chars[i] == 0x2B || chars[i] == 0x2D {
                let sign = chars[i] == 0x2D ? -1 : 1
                i += 1
                guard let oh = number(2), oh < 24, expect(0x3A), let om = number(2), om < 60 else { return nil }
                offset = sign * (oh * 3600 + om * 60)
            } else {
                return nil
            }
        }
        guard i == chars.count else { return nil }
        let local = Int64(date.daysSinceEpoch) * 86400 + Int64(hour * 3600 + minute * 60 + second)
        self.epochSeconds = local - Int64(offset)
    }

    /// RFC 3339 in Tokyo time: `2026-11-03T09:30:00+09:00`.
    public var description: String {
        let date = TokyoTime.date(atEpochSeconds: epochSeconds)
        let secondOfDay = Int(epochSeconds + Int64(TokyoTime.offsetSeconds) - Int64(date.daysSinceEpoch) * 86400)
        let h = CalendarDate.pad(secondOfDay / 3600)
        let m = CalendarDate.pad(secondOfDay / 60 % 60)
        let s = CalendarDate.pad(secondOfDay % 60)
        return "\(date)T\(h):\(m):\(s)+09:00"
    }

    /// The Tokyo month this instant falls in.
    public var issueMonth: IssueMonth { IssueMonth(containingEpochSeconds: epochSeconds) }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.epochSeconds < rhs.epochSeconds }

    /// What a submitter may write, for error messages.
    public static let acceptedForms = "RFC 3339 such as 2026-11-03T09:30:00+09:00 (without an offset it is read as Asia/Tokyo)"
}
