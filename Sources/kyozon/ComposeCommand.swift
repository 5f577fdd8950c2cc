import ArgumentParser
import Foundation
import KyozonComposer
import KyozonDomain

struct ComposeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compose",
        abstract: "Preview an issue: write issue.html, issue.txt and a sample.eml.",
        discussion: "Nothing is sent and nothing in the store changes. Open issue.html in a browser, read issue.txt in a terminal.")

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The month whose submissions the issue gathers (YYYY-MM, Tokyo).", valueName: "YYYY-MM"), transform: parseMonth)
    var month: IssueMonth?

    @Option(help: ArgumentHelp("Where to write the files. Default: ./issue-YYYY-MM.", valueName: "DIR"))
    var out: String?

    func run() throws {
        let env = try global.environment()
        let store = try env.openStore()
        let month = env.month(month)
        let existing = try store.existingIssue(for: month)
        let volume = try store.volumeNumber(for: month)
        let issue = try IssueAssembly(env: env, store: store, month: month, volume: volume, title: existing?.title, lead: existing?.lead)
        let folder = out ?? "issue-\(month)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)

        let sampleList = try store.listSummaries().first { !$0.archived }?.list
            ?? MailingList(id: "sample", name: "KYOZON KYOEI", description: "")
        // The sample reader is in the first prefecture (JIS order) with items, so the preview
        // shows a 「貴県からの掲載」 block.
        let samplePrefecture = issue.content.items.map(\.prefecture).min()
        let sample = Subscriber(
            id: 0, email: try EmailAddress("sample@kyozon-kyoei.example"), name: "見本 太郎",
            organization: "\(samplePrefecture?.name ?? "見本県") 東京事務所", prefecture: samplePrefecture, status: .active)
        let person = Personalization(
            name: sample.name, organization: sample.organization,
            unsubscribeURL: issue.links.unsubscribeURL(subscriberID: 0, issueID: existing?.id), prefecture: samplePrefecture?.code)
        let (html, text) = issue.rendered.personalized(person)
        let eml = try issue.message(for: sample, list: sampleList)
        try Data(html.utf8).write(to: URL(fileURLWithPath: folder + "/issue.html"))
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/issue.txt"))
        try Data(eml).write(to: URL(fileURLWithPath: folder + "/sample.eml"))

        let rejects = try store.rejections(in: month)
        let report = IssueReport(content: issue.content, html: html, text: text, message: eml.count, rejected: rejects.count)
        try Data(report.text.utf8).write(to: URL(fileURLWithPath: folder + "/report.txt"))
        print(report.text, terminator: "")
        print("written: \(folder)/issue.html, issue.txt, sample.eml, report.txt")
    }
}
