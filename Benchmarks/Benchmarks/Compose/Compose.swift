import Benchmark
import Foundation
import KyozonComposer
import KyozonDomain

/// 100,000 personalised messages of a 40-item issue, built as `kyozon send` builds them:
/// the issue rendered and encoded once, each message spliced from the pre-encoded parts and
/// the reader's own (name, organisation, unsubscribe link, prefecture block).
let templates = try! TemplateSet(
    directory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Templates").path)

let sender = Sender(
    name: "東京都 政策企画局 地方連携推進担当", address: try! EmailAddress("kyoei@kyozon-kyoei.example"),
    postalAddress: "〒163-8001 東京都新宿区西新宿二丁目8番1号", contact: "03-5321-1111")

let issue: IssueContent = {
    let items = (0..<40).map { n -> Item in
        let prefecture = Prefecture.all[n % 47]
        return Item(
            title: "\(prefecture.name)の冬の催し 第\(n + 1)回", category: Category.allCases[n % Category.allCases.count],
            prefecture: prefecture, municipality: "何某市", startsOn: CalendarDate(year: 2026, month: 12, day: 1 + n % 28)!,
            endsOn: nil, venue: "東京交通会館", summary: String(repeating: "各地の魅力をお届けする催しです。", count: 12),
            url: "https://example.jp/items/\(n)", contact: "東京事務所 03-0000-0000",
            submittedAt: Timestamp(rfc3339: "2026-11-10T10:00:00")!, submittedBy: prefecture.name)
    }
    return IssueContent(month: IssueMonth(year: 2026, month: 11)!, volume: 12, items: items, sender: sender,
        portalURL: "https://kyozon-kyoei.example/")
}()

let list = MailingList(id: "kyoei", name: "KYOZON KYOEI（都道府県職員向け）", description: "")

let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .peakMemoryResident], timeUnits: .milliseconds,
        maxDuration: .seconds(30), maxIterations: 5)

    Benchmark("Build 100,000 personalised messages (40-item issue)", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            // Rendering and encoding the shared parts once is part of the work.
            let rendered = try! IssueRenderer(templates: templates).render(issue)
            var builder = MailMessageBuilder(
                issue: rendered, issueKey: "2026-11.bench", sender: sender, date: Timestamp(rfc3339: "2026-12-05T09:00:00")!,
                listDomain: "kyozon-kyoei.example")
            builder.prepare(lists: [list])
            var bytes = 0
            for id in 1...100_000 {
                let recipient = MessageRecipient(
                    subscriberID: Int64(id), email: try! EmailAddress("r\(id)@pref.example.lg.jp"), name: "職員 \(id)",
                    organization: "東京事務所", list: list,
                    unsubscribeURL: "https://kyozon-kyoei.example/unsubscribe/\(id).AbCdEfGhIjKlMnOpQrStUv",
                    unsubscribeMailto: nil, prefecture: id % 47 + 1)
                bytes += builder.message(for: recipient).count
            }
            blackHole(bytes)
        }
    }
}
