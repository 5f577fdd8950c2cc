import ArgumentParser
import Foundation
import KyozonConfig

struct ListsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lists",
        abstract: "Load and show the mailing lists.",
        subcommands: [Sync.self, Show.self]
    )

    struct Sync: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the store's lists match lists.toml (the file is the source of truth).",
            discussion: "Lists missing from the file are archived: no longer sent to, their history kept.")

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("The lists file.", valueName: "FILE"))
        var file = "Subscribers/lists.toml"

        func run() throws {
            let env = try global.environment()
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandError("lists file not found: \(file) (give another with --file)")
            }
            let lists = try ListsFile.parse(String(decoding: data, as: UTF8.self), file: file)
            let report = try env.openStore().syncLists(lists, now: env.now)
            for id in report.added { print("added     \(id)") }
            for id in report.updated { print("updated   \(id)") }
            for id in report.archived { print("archived  \(id) (not in \(file))") }
            print("\(lists.count) list(s) in \(file): \(report.added.count) added, \(report.updated.count) updated, \(report.unchanged.count) unchanged, \(report.archived.count) archived")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Show the lists with their subscriber counts.")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            let summaries = try global.environment().openStore().listSummaries()
            guard !summaries.isEmpty else {
                print("No lists yet. Define them in Subscribers/lists.toml and run `kyozon lists sync`.")
                return
            }
            let idWidth = max(4, summaries.map(\.list.id.count).max() ?? 0)
            print("ID".padding(toLength: idWidth, withPad: " ", startingAt: 0) + "  CONFIRMED  PENDING  LEFT  NAME")
            for s in summaries {
                let id = s.list.id.padding(toLength: idWidth, withPad: " ", startingAt: 0)
                let numbers = [s.confirmed, s.pending, s.unsubscribed].map { String($0) }
                print(
                    "\(id)  \(numbers[0].leftPadded(9))  \(numbers[1].leftPadded(7))  \(numbers[2].leftPadded(4))  \(s.list.name)"
                        + (s.archived ? "  (archived)" : ""))
            }
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
