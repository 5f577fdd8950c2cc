import ArgumentParser
import KyozonDomain
import KyozonStore

struct DeliveriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries",
        abstract: "List delivery rows, and send uncertain ones again on purpose.",
        subcommands: [Show.self, Resend.self],
        defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List delivery rows: who has which issue, and what the server said.")

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("Only this issue (its submission month).", valueName: "YYYY-MM"), transform: parseMonth)
        var month: IssueMonth?

        @Option(help: ArgumentHelp("Only rows in this state.", valueName: "STATE"))
        var state: DeliveryState?

        func run() throws {
            let rows = try global.environment().openStore().deliveries(month: month, state: state)
            for row in rows {
                let reply = row.reply.map { "  \($0)" } ?? ""
                print("\(row.issueMonth)  \(row.state.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))  \(row.email)  \(row.listID)  tries=\(row.attempts)\(reply)")
            }
            print("\(rows.count) delivery(ies)")
        }
    }

    struct Resend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send uncertain deliveries again, on purpose.",
            discussion: "An uncertain row was being sent when a run stopped: the server may have taken it. Sending it again may give that reader a second copy; it carries the same Message-ID, so mail clients and readers can tell it is the same message.")

        @OptionGroup var global: GlobalOptions

        @Option(help: ArgumentHelp("The issue (its submission month).", valueName: "YYYY-MM"), transform: parseMonth)
        var month: IssueMonth

        @Option(help: ArgumentHelp("The rows to send again (only uncertain ones can be).", valueName: "STATE"))
        var state: DeliveryState = .uncertain

        func validate() throws {
            if state != .uncertain { throw ValidationError("only uncertain rows are sent again on purpose; deferred ones are retried by `kyozon send`") }
        }

        func run() throws {
            let env = try global.environment()
            let store = try env.openStore()
            guard try store.existingIssue(for: month) != nil else { throw CommandError("no issue was sent for \(month)") }
            let rows = try store.deliveries(month: month, state: state)
            guard !rows.isEmpty else {
                print("no \(state.rawValue) deliveries for \(month)")
                return
            }
            let lists = try Set(rows.map(\.listID)).sorted().map { try store.list($0) }
            try SendSession(env: env, store: store, month: month).run(lists: lists, enqueue: false, requeue: state)
        }
    }
}

extension DeliveryState: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
