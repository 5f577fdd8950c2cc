import ArgumentParser

/// The `kyozon` command: collect, compose and send KYOZON KYOEI.
@main
struct Kyozon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kyozon",
        abstract: "Collect, compose and send KYOZON KYOEI, the monthly newsletter to prefectural officers.",
        discussion: """
            A month's work, in order:
              kyozon lists sync                    load Subscribers/lists.toml
              kyozon subscribers import FILE.csv   add officers, confirmed by staff
              kyozon collect FILE.json...          store the month's submitted items
              kyozon compose --month 2026-11       preview issue.html, issue.txt
              kyozon send --month 2026-11 --list kyoei

            The store lives in the data directory (--data-dir, KYOZON_DATA_DIR, or ~/.local/share/kyozon); kyozon.toml there configures it (see README.md). --month is the Tokyo calendar month in which items were submitted (YYYY-MM); it defaults to last month.
            """,
        subcommands: [
            ListsCommand.self, SubscribersCommand.self, CollectCommand.self, ComposeCommand.self, SendCommand.self,
            IssueCommand.self, DeliveriesCommand.self, InboundCommand.self, OutboxCommand.self, ServeCommand.self, BackupCommand.self,
            RunMonthlyCommand.self, SubmittersCommand.self, ReportsCommand.self, StaffCommand.self,
        ]
    )
}
