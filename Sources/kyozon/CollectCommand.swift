import ArgumentParser
import Foundation
import KyozonCollector

struct CollectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collect",
        abstract: "Store the items in submission files; every reject is kept with its reasons.",
        discussion: """
            Each FILE is a JSON array of items (see README.md, "Submission JSON"). Every valid item is stored; each invalid one is reported with the file, the item (number and title) and the field, and kept in the store with its reasons. Collecting the same file again changes nothing.

            Exit status 0: all accepted; 2: something was rejected.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Submission files.", valueName: "FILE.json"))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one submission file") }
    }

    func run() throws {
        let env = try global.environment()
        let store = try env.openStore()
        let reader = JSONSubmissionReader()
        var rejected = 0
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                warn("\(file): file not found or unreadable")
                rejected += 1
                continue
            }
            let collected = reader.read(data, source: file)
            for submission in collected {
                for warning in submission.warnings { warn("warning \(submission.source): \(warning)") }
                for message in submission.rejectionMessages { warn("rejected \(message)") }
            }
            let report = try store.saveSubmissions(collected, receivedAt: env.now)
            rejected += collected.filter { !$0.isAccepted }.count
            print("\(file): \(report.accepted) new accepted, \(report.rejected) new rejected, \(report.unchanged) already collected")
        }
        if rejected > 0 { throw ExitCode(2) }
    }
}
