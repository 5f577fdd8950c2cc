import Foundation
import KyozonDomain
import KyozonTestSupport
import Testing

@testable import KyozonCollector

/// Whatever arrives, the collector ends every record accepted or rejected with reasons, and never crashes.
@Suite struct RobustnessTests {
    let collector = Collector(sendDay: 5, now: Timestamp(rfc3339: "2026-12-01T00:00:00")!)

    func checkEveryResultIsAccountedFor(_ results: [CollectedSubmission], _ context: String) {
        for result in results {
            switch result.outcome {
            case .accepted(let item):
                #expect(!item.title.isEmpty && item.title.count <= 100, "\(context)")
            case .rejected(let problems):
                #expect(!problems.isEmpty, "a reject has a reason: \(context)")
                #expect(problems.allSatisfy { !$0.field.isEmpty && !$0.message.isEmpty }, "\(context)")
            }
            #expect(result.fingerprint.count == 64)
        }
    }

    static let pieces = [
        "title", "category", "prefecture", "starts_on", "ends_on", "summary", "submitted_at", "submitted_by", "url", "id",
        "イベント", "event", "北海道", "47", "99", "2026-12-05", "2026/13/40", "令和8年12月5日", "https://x.example/",
        "javascript:x", "\"", "\\", "\u{202E}", "\u{0}", "ｶﾞ", "①", "\r\n", ",", "[", "{", "}", "]", ":", "null", "true",
        "1e999", "-0", "\u{FEFF}", "😀", "e\u{301}", String(repeating: "長", count: 120),
    ]

    func randomText<G: RandomNumberGenerator>(_ g: inout G) -> String {
        (0..<Int.random(in: 0...6, using: &g)).map { _ in Self.pieces.randomElement(using: &g)! }.joined()
    }

    func randomJSONValue<G: RandomNumberGenerator>(_ g: inout G, depth: Int = 0) -> Any {
        switch Int.random(in: 0..<(depth > 2 ? 4 : 6), using: &g) {
        case 0: return randomText(&g)
        case 1: return Int.random(in: -5...100, using: &g)
        case 2: return Bool.random(using: &g)
        case 3: return NSNull()
        case 4: return (0..<Int.random(in: 0...3, using: &g)).map { _ in randomJSONValue(&g, depth: depth + 1) }
        default:
            var object: [String: Any] = [:]
            for _ in 0..<Int.random(in: 0...10, using: &g) {
                object[Self.pieces.prefix(10).randomElement(using: &g)!] = randomJSONValue(&g, depth: depth + 1)
            }
            return object
        }
    }

    @Test(arguments: 1...4)
    func randomBytes(seed: UInt64) {
        var g = SeededRandom(seed: seed)
        for round in 0..<300 {
            let bytes = (0..<Int.random(in: 0...200, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }
            for name in ["r.json", "r.csv", "r.jsonl"] {
                checkEveryResultIsAccountedFor(collector.collect(Data(bytes), origin: name), "seed \(seed) round \(round) \(name)")
            }
        }
    }

    @Test(arguments: 1...4)
    func randomJSON(seed: UInt64) throws {
        var g = SeededRandom(seed: seed)
        for round in 0..<300 {
            let array = (0..<Int.random(in: 0...5, using: &g)).map { _ in randomJSONValue(&g, depth: 1) }
            let data = try JSONSerialization.data(withJSONObject: array, options: [.fragmentsAllowed])
            let results = collector.collect(data, origin: "r.json")
            checkEveryResultIsAccountedFor(results, "seed \(seed) round \(round)")
            #expect(results.count == array.count, "one result per element")
        }
    }

    @Test(arguments: 1...4)
    func randomCSV(seed: UInt64) {
        var g = SeededRandom(seed: seed)
        let headers = SubmissionValidator.knownFields + ["タイトル", "都道府県", "開始日", "謎"]
        for round in 0..<300 {
            let columns = (0..<Int.random(in: 1...8, using: &g)).map { _ in headers.randomElement(using: &g)! }
            var csv = columns.joined(separator: ",") + "\r\n"
            for _ in 0..<Int.random(in: 0...4, using: &g) {
                csv += (0..<Int.random(in: 0...10, using: &g)).map { _ -> String in
                    let value = randomText(&g)
                    return Bool.random(using: &g) ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
                }.joined(separator: ",") + "\r\n"
            }
            let encoded = Bool.random(using: &g) ? Data(csv.utf8) : (csv.data(using: .shiftJIS) ?? Data(csv.utf8))
            checkEveryResultIsAccountedFor(collector.collect(encoded, origin: "r.csv"), "seed \(seed) round \(round)")
        }
    }

    @Test func aThousandGoodAndAHundredBadKeepsExactlyTheGoodOnes() throws {
        var items: [[String: Any]] = []
        var expectedBad: [Int: String] = [:]
        let badKinds: [(String, (inout [String: Any]) -> Void)] = [
            ("category", { $0["category"] = "festival" }),
            ("prefecture", { $0["prefecture"] = "Atlantis" }),
            ("starts_on", { $0["starts_on"] = "2026-02-30" }),
            ("url", { $0["url"] = "ftp://example.jp/x" }),
            ("submitted_at", { $0["submitted_at"] = "someday" }),
            ("title", { $0["title"] = String(repeating: "題", count: 101) }),
            ("summary", { $0.removeValue(forKey: "summary") }),
            ("ends_on", { $0["ends_on"] = "2026-12-01" }),
            ("submitted_by", { $0["submitted_by"] = "" }),
            ("prefecture", { $0["prefecture"] = "48" }),
        ]
        for n in 0..<1100 {
            var item: [String: Any] = [
                "id": "item-\(n)", "title": "催し \(n)", "category": "event", "prefecture": Prefecture.all[n % 47].name,
                "starts_on": "2026-12-10", "ends_on": "2026-12-12", "summary": "概要 \(n)", "url": "https://example.jp/\(n)",
                "submitted_at": "2026-11-15T10:00:00+09:00", "submitted_by": "office \(n % 46)",
            ]
            if n % 11 == 5 {
                let (field, spoil) = badKinds[(n / 11) % badKinds.count]
                spoil(&item)
                expectedBad[n + 1] = field
            }
            items.append(item)
        }
        #expect(expectedBad.count == 100)
        let results = collector.collect(try JSONSerialization.data(withJSONObject: items), origin: "mix.json")
        #expect(results.count == 1100)
        #expect(results.filter(\.isAccepted).count == 1000)
        for (index, result) in results.enumerated() {
            guard case .item(let number, _) = result.source.position else {
                Issue.record("no position")
                continue
            }
            #expect(number == index + 1)
            if let field = expectedBad[number] {
                guard case .rejected(let problems) = result.outcome else {
                    Issue.record("item \(number) should be rejected for \(field)")
                    continue
                }
                #expect(problems.map(\.field) == [field], "exactly one reason, naming the field, for item \(number)")
            } else {
                #expect(result.isAccepted, "item \(number): \(result.rejectionMessages)")
            }
        }
    }
}
