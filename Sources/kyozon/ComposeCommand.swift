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
        let preview = try IssuePreview(env: env, store: store, month: month)
        let folder = out ?? "issue-\(month)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(preview.html.utf8).write(to: URL(fileURLWithPath: folder + "/issue.html"))
        try Data(preview.text.utf8).write(to: URL(fileURLWithPath: folder + "/issue.txt"))
        try Data(preview.message).write(to: URL(fileURLWithPath: folder + "/sample.eml"))
        let report = preview.report
        try Data(report.text.utf8).write(to: URL(fileURLWithPath: folder + "/report.txt"))
        print(report.text, terminator: "")
        print("written: \(folder)/issue.html, issue.txt, sample.eml, report.txt")
    }
}
