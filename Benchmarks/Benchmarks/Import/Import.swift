import Benchmark
import Foundation
import KyozonDomain
import KyozonStore
import KyozonSubscribers

/// 100,000 subscribers from a CP932 CSV (Excel's "CSV"), read, checked and added to a fresh
/// SQLite store in one transaction, as `kyozon subscribers import` does.
let csv: Data = {
    var text = "email,name,organization,prefecture,lists\r\n"
    for n in 1...100_000 {
        text += "officer\(n)@pref\(n % 47 + 1).example.lg.jp,職員 \(n),東京事務所 第\(n % 9 + 1)課,\(n % 47 + 1),\(n % 3 == 0 ? "kyoei;municipal" : "kyoei")\r\n"
    }
    return text.data(using: .shiftJIS)!
}()

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .peakMemoryResident], timeUnits: .milliseconds, maxDuration: .seconds(60),
        maxIterations: 3)

    Benchmark("Import 100,000 subscribers from a CP932 CSV", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kyozon-bench-\(UUID().uuidString)")
            try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let store = try! Store(path: folder.appendingPathComponent("kyozon.sqlite").path)
            let now = Timestamp(epochSeconds: 1_796_000_000)
            _ = try! store.syncLists(
                [MailingList(id: "kyoei", name: "都道府県", description: ""), MailingList(id: "municipal", name: "市区町村", description: "")],
                now: now)
            let (rows, problems) = SubscriberCSV.read(csv, file: "bench.csv")
            precondition(rows.count == 100_000 && problems.isEmpty)
            let people = rows.map {
                NewSubscriber(email: $0.email, name: $0.name, organization: $0.organization, prefecture: $0.prefecture, lists: $0.lists)
            }
            let consent = rows.map { Consent(method: "import", by: "bench", source: "bench.csv line \($0.line)") }
            let results = try! store.addSubscribers(people, consent: consent, now: now)
            blackHole(results.count)
        }
    }
}
