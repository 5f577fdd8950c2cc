import ArgumentParser
import KyozonDomain

struct DeliveriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries",
        abstract: "List delivery rows: who has which issue, and what the server said.")

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

extension DeliveryState: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
