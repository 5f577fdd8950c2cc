import Foundation
import KyozonDomain
import Testing

@testable import KyozonCollector

@Suite struct JSONSubmissionReaderTests {
    let collector = Collector(sendDay: 5)

    func read(_ json: String) -> [CollectedSubmission] {
        collector.collect(Data(json.utf8), origin: "in.json")
    }

    static let good = """
        {"title": "北海道どさんこ冬の大物産展", "category": "イベント", "prefecture": "北海道", "municipality": "札幌市",
         "starts_on": "2026-12-05", "ends_on": "2026-12-07", "venue": "東京交通会館", "summary": "道内の特産品が集まります。",
         "url": "https://example.jp/fair", "contact": "03-0000-0000", "submitted_at": "2026-11-02T10:15:00+09:00",
         "submitted_by": "北海道 東京事務所"}
        """

    @Test func readsAValidItem() throws {
        let results = read("[\(Self.good)]")
        #expect(results.count == 1)
        guard case .accepted(let item) = results[0].outcome else {
            Issue.record("rejected: \(results[0].rejectionMessages)")
            return
        }
        #expect(item.title == "北海道どさんこ冬の大物産展")
        #expect(item.category == .event)
        #expect(item.prefecture.code == 1)
        #expect(item.startsOn == CalendarDate(iso: "2026-12-05"))
        #expect(item.submittedAt.issueMonth == IssueMonth("2026-11"))
        #expect(results[0].source.description == "in.json: item 1 (line 1) 「北海道どさんこ冬の大物産展」")
    }

    @Test func aBadItemIsRejectedByFieldAndTheGoodOnesBesideItAreKept() {
        let bad = """
            {"title": "謎の催し", "category": "festival", "prefecture": "Tokio", "starts_on": "2026-12-32",
             "summary": "x", "url": "javascript:alert(1)", "submitted_at": "yesterday", "submitted_by": "x"}
            """
        let results = read("[\(Self.good), \(bad), \(Self.good.replacingOccurrences(of: "札幌市", with: "函館市"))]")
        #expect(results.map(\.isAccepted) == [true, false, true])
        let messages = results[1].rejectionMessages
        let fields = ["category", "prefecture", "starts_on", "url", "submitted_at"]
        #expect(messages.count == fields.count)
        for (message, field) in zip(messages, fields) {
            #expect(message.hasPrefix("in.json: item 2 (line 4) 「謎の催し」: field \"\(field)\":"), "\(message)")
        }
        #expect(messages[0].contains("event (イベント)"), "names what is accepted")
        #expect(messages[1].contains("JIS code"))
        #expect(messages[3].contains("http:// and https://"))
    }

    @Test func missingAndMistypedFieldsAreNamed() {
        let results = read(#"[{"title": 42, "category": "event", "prefecture": true, "summary": ["a"]}]"#)
        let problems = Dictionary(grouping: results[0].rejectionMessages) { message in
            message.split(separator: "\"")[1]
        }
        #expect(problems["title"]?.first?.contains("must be text, not a number") == true, "only id and prefecture may be numbers")
        #expect(problems["prefecture"]?.first?.contains("must be text, not true/false") == true)
        #expect(problems["summary"]?.first?.contains("must be text, not a list") == true)
        #expect(problems["submitted_at"]?.first?.contains("is required") == true)
        #expect(problems["submitted_by"]?.first?.contains("is required") == true)
        #expect(problems["starts_on"]?.first?.contains("required for an event") == true)
    }

    @Test func datesMustBeInOrder() {
        let json = Self.good.replacingOccurrences(of: "\"2026-12-07\"", with: "\"2026-12-01\"")
        let messages = read("[\(json)]")[0].rejectionMessages
        #expect(messages == ["in.json: item 1 (line 1) 「北海道どさんこ冬の大物産展」: field \"ends_on\": 2026-12-01 is before starts_on 2026-12-05; give the last day on or after the first"])
    }

    @Test func aTitleIsOneLineOfAtMost100Characters() {
        let long = Self.good.replacingOccurrences(of: "北海道どさんこ冬の大物産展", with: String(repeating: "長", count: 101))
        #expect(read("[\(long)]")[0].rejectionMessages.first?.contains("101 characters long; at most 100") == true)
        let twoLines = Self.good.replacingOccurrences(of: "北海道どさんこ冬の大物産展", with: "一行目\\n二行目")
        #expect(read("[\(twoLines)]")[0].rejectionMessages.first?.contains("must be one line") == true)
    }

    @Test func aFileThatIsNotJSONIsKeptWholeAsOneReject() {
        let results = read("[{\"title\": \"a\",]")
        #expect(results.count == 1)
        #expect(results[0].source.position == nil)
        #expect(results[0].raw == "[{\"title\": \"a\",]")
        #expect(results[0].rejectionMessages.first?.hasPrefix("in.json: field \"(file)\": is not valid JSON") == true)
    }

    @Test func aFileMustHoldAnArrayOfObjects() {
        #expect(read(#"{"title": "a"}"#)[0].isAccepted == false, "one object on one line is read as JSON Lines")
        #expect(read("title,category")[0].rejectionMessages.first?.contains("neither a JSON array") == true)
        let mixed = read("[\(Self.good), 7]")
        #expect(mixed.map(\.isAccepted) == [true, false])
        #expect(mixed[1].rejectionMessages.first?.contains("must be an object") == true)
    }

    @Test func invalidUTF8IsReportedWithItsOffset() {
        var bytes = Array("[{\"title\": \"あ".utf8)
        bytes.append(0xFF)
        bytes += Array("\"}]".utf8)
        let results = collector.collect(Data(bytes), origin: "bad.json")
        #expect(results[0].rejectionMessages.first?.contains("offset 15") == true)
    }

    @Test func textIsCleanedAndTheCleaningIsSaid() {
        // e + combining acute (NFD), a right-to-left override, a bell.
        let json = Self.good.replacingOccurrences(of: "道内の特産品が集まります。", with: "Cafe\\u0301 \\u202Eabc\\u0007")
        let result = read("[\(json)]")[0]
        guard case .accepted(let item) = result.outcome else {
            Issue.record("rejected")
            return
        }
        #expect(item.summary == "Caf\u{E9} abc")
        let notes = result.warnings.map(\.message)
        #expect(notes.contains("1 control character(s) removed"))
        #expect(notes.contains("1 bidirectional control character(s) removed"))
        #expect(notes.contains("normalised to Unicode NFC"))
    }

    @Test func theSameItemAlwaysHasTheSameFingerprint() {
        let a = read("[\(Self.good)]")[0]
        let reordered = read(#"[{"submitted_by": "北海道 東京事務所", "title": "北海道どさんこ冬の大物産展", "category": "イベント", "prefecture": "北海道", "municipality": "札幌市", "starts_on": "2026-12-05", "ends_on": "2026-12-07", "venue": "東京交通会館", "summary": "道内の特産品が集まります。", "url": "https://example.jp/fair", "contact": "03-0000-0000", "submitted_at": "2026-11-02T10:15:00+09:00"}]"#)[0]
        #expect(a.fingerprint == reordered.fingerprint)
        #expect(a.fingerprint.count == 64)
        let other = read("[\(Self.good.replacingOccurrences(of: "札幌市", with: "小樽市"))]")[0]
        #expect(other.fingerprint != a.fingerprint)
    }

    @Test func unknownFieldsAreWarnedAboutNotDropped() {
        let json = Self.good.replacingOccurrences(of: "\"venue\"", with: "\"memo\": \"内部メモ\", \"venue\"")
        let result = read("[\(json)]")[0]
        #expect(result.isAccepted)
        #expect(result.warnings.first?.field == "memo")
        #expect(result.raw.contains("内部メモ"), "the original is kept as submitted")
    }
}
