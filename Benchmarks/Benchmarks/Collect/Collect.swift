import Benchmark
import Foundation
import KyozonCollector
import KyozonDomain
import KyozonStore

/// 10,000 items in ten files: five JSON arrays and five CP932 CSVs of 1,000 items each,
/// as prefectures' offices send them (median summary of about 200 characters).
let files: [(name: String, data: Data)] = {
    var result: [(String, Data)] = []
    for file in 0..<10 {
        var items: [[String: String]] = []
        for n in 0..<1000 {
            let id = file * 1000 + n
            items.append([
                "id": "bench-\(id)", "title": "ベンチマークの催し その\(id)", "category": id % 2 == 0 ? "event" : "イベント",
                "prefecture": Prefecture.all[id % 47].name, "municipality": "何某市", "starts_on": "2026-12-\(10 + id % 18)",
                "ends_on": "2026-12-28", "venue": "東京交通会館",
                "summary": String(repeating: "各地の魅力をお届けする催しです。", count: 12) + "詳しくは https://example.jp/\(id) をご覧ください。",
                "url": "https://example.jp/items/\(id)", "contact": "東京事務所 03-0000-0000",
                "submitted_at": "2026-11-\(10 + id % 18)T10:00:00+09:00", "submitted_by": "office \(id % 46)",
            ])
        }
        if file < 5 {
            result.append(("items-\(file).json", try! JSONSerialization.data(withJSONObject: items)))
        } else {
            let fields = SubmissionValidator.knownFields
            var csv = fields.joined(separator: ",") + "\r\n"
            for item in items {
                csv += fields.map { "\"" + (item[$0] ?? "").replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") + "\r\n"
            }
            result.append(("items-\(file).csv", csv.data(using: .shiftJIS)!))
        }
    }
    return result
}()

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .peakMemoryResident], timeUnits: .milliseconds, maxDuration: .seconds(20),
        maxIterations: 20)

    Benchmark("Check 10,000 items (5 JSON + 5 CP932 CSV files)", configuration: configuration) { benchmark in
        let collector = Collector(sendDay: 5)
        for _ in benchmark.scaledIterations {
            var accepted = 0
            for file in files {
                accepted += collector.collect(file.data, origin: file.name).filter(\.isAccepted).count
            }
            precondition(accepted == 10_000)
        }
    }

    Benchmark("Collect 10,000 items into a SQLite store", configuration: configuration) { benchmark in
        let collector = Collector(sendDay: 5)
        for _ in benchmark.scaledIterations {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kyozon-bench-\(UUID().uuidString)")
            try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let store = try! Store(path: folder.appendingPathComponent("kyozon.sqlite").path)
            benchmark.startMeasurement()
            var accepted = 0
            for file in files {
                let report = try! store.saveSubmissions(collector.collect(file.data, origin: file.name), receivedAt: Timestamp(epochSeconds: 1_796_000_000))
                accepted += report.accepted
            }
            benchmark.stopMeasurement()
            precondition(accepted == 10_000)
        }
    }
}
