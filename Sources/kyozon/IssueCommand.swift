import ArgumentParser
import Foundation
import KyozonComposer
import KyozonDomain
import KyozonStore

/// `kyozon issue`: what staff decide about an issue before it goes out.
struct IssueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Edit, check and approve an issue: its items, title, lead and lists.",
        discussion: "The same as the staff pages of `kyozon serve`. Every change is written to the audit log with the operator's name (KYOZON_OPERATOR, else $USER).",
        subcommands: [Show.self, Set.self, Items.self, Item.self, Approve.self],
        defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an issue: title, lead, lists, items, and whether it is approved as it stands.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The issue (its submission month).", valueName: "YYYY-MM"), transform: parseMonth) var month: IssueMonth?

        func run() throws {
            let env = try global.environment()
            let store = try env.openStore()
            let month = env.month(month)
            let state = try IssueState(env: env, store: store, month: month)
            print("Issue \(month): \(state.assembly.rendered.subject)")
            let leftOut = try store.editableItems(in: month).filter { !$0.included }.count
            print("  items: \(state.assembly.content.items.count) in the issue, \(leftOut) left out")
            print("  title: \(state.issue?.title ?? "(default)")")
            print("  lead:  \(state.issue?.lead.map { $0.replacingOccurrences(of: "\n", with: " ") } ?? "(default)")")
            print("  lists: \(state.lists.isEmpty ? "(none chosen)" : state.lists.joined(separator: ", "))")
            print("  " + state.approvalLine)
        }
    }

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set an issue's title, lead or lists (an approval then no longer matches: approve again).")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The issue (its submission month).", valueName: "YYYY-MM"), transform: parseMonth) var month: IssueMonth?
        @Option(help: "The title (empty: the default, KYOZON KYOEI 2026年12月号 Vol.N).") var title: String?
        @Option(help: "The lead, the staff's opening words (empty: the default).") var lead: String?
        @Option(name: .customLong("list"), help: ArgumentHelp("A list the issue goes to; repeat for several.", valueName: "ID"))
        var lists: [String] = []

        func run() throws {
            let env = try global.environment()
            let store = try env.openStore()
            let month = env.month(month)
            for list in lists { _ = try store.activeList(list) }
            guard title != nil || lead != nil || !lists.isEmpty else { throw ValidationError("give --title, --lead or --list") }
            try store.setIssueDetails(
                month: month, title: title, lead: lead, lists: lists.isEmpty ? nil : lists, by: env.operatorName, now: env.now)
            print(try IssueState(env: env, store: store, month: month).approvalLine)
        }
    }

    struct Items: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an issue's items with their ids, flags and staff's choices.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The issue (its submission month).", valueName: "YYYY-MM"), transform: parseMonth) var month: IssueMonth?

        func run() throws {
            let env = try global.environment()
            let month = env.month(month)
            for item in try env.openStore().editableItems(in: month) {
                var notes: [String] = []
                if !item.included { notes.append("left out") }
                if item.choice == "keep" { notes.append("kept") }
                notes += item.flags.map(\.rawValue)
                if let position = item.position { notes.append("place \(position)") }
                if !item.corrected.isEmpty { notes.append("corrected: " + item.corrected.joined(separator: ", ")) }
                print("\(item.id)\t\(item.item.category.label)\t\(item.item.prefecture.name)\t\(item.item.title)\t\(notes.joined(separator: "; "))")
            }
        }
    }

    struct Item: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Leave an item out, keep a flagged one, place it, or correct a field (the submitted text is kept).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The item's id (from `kyozon issue items`).") var id: Int64
        @Flag(help: "Leave it out of the issue.") var exclude = false
        @Flag(help: "Keep it although the collector flagged it (an event over before the send day).") var keep = false
        @Flag(help: "Undo --exclude, --keep and --position.") var reset = false
        @Option(help: "Its place in its section (1 first).") var position: Int?
        @Option(help: ArgumentHelp("Correct a field: FIELD=VALUE, FIELD one of \(CorrectableField.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "FIELD=VALUE"))
        var correct: [String] = []

        func validate() throws {
            if exclude && keep { throw ValidationError("--exclude and --keep do not go together") }
            if let position, position < 1 { throw ValidationError("--position counts from 1") }
        }

        func run() throws {
            let env = try global.environment()
            let store = try env.openStore()
            let corrections = try correct.map { pair -> (CorrectableField, String) in
                guard let equals = pair.firstIndex(of: "="), let field = CorrectableField(rawValue: String(pair[..<equals])) else {
                    throw ValidationError("--correct \"\(pair)\": write FIELD=VALUE, FIELD one of \(CorrectableField.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return (field, String(pair[pair.index(after: equals)...]))
            }
            if !corrections.isEmpty { try store.correctItem(submissionID: id, corrections, by: env.operatorName, now: env.now) }
            if exclude || keep || reset || position != nil {
                try store.setItemChoice(
                    submissionID: id, choice: exclude ? "exclude" : keep ? "keep" : nil, position: reset ? nil : position,
                    by: env.operatorName, now: env.now)
            }
            print("item \(id) changed; `kyozon issue show` says whether the approval still holds")
        }
    }

    struct Approve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Approve the issue exactly as it renders now, for its lists: from then on `kyozon send` sends it, and only it.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("The issue (its submission month).", valueName: "YYYY-MM"), transform: parseMonth) var month: IssueMonth?
        @Option(name: .customLong("list"), help: ArgumentHelp("A list it goes to; repeat for several. Default: the lists set on the issue.", valueName: "ID"))
        var lists: [String] = []

        func run() throws {
            let env = try global.environment()
            let store = try env.openStore()
            let month = env.month(month)
            let state = try IssueState(env: env, store: store, month: month)
            let chosen = lists.isEmpty ? state.lists : lists
            guard !chosen.isEmpty else { throw ValidationError("give the lists it goes to: --list ID (see `kyozon lists list`)") }
            for list in chosen { _ = try store.activeList(list) }
            guard !state.assembly.content.items.isEmpty else { throw CommandError("the issue for \(month) has no items; nothing to approve") }
            let approved = try state.approve(lists: chosen, by: env.operatorName, now: env.now)
            print("approved: \(state.assembly.rendered.subject) for \(chosen.sorted().joined(separator: ", ")) by \(env.operatorName) (\(approved.prefix(16)))")
        }
    }
}

/// An issue as it would render now, beside what was approved.
struct IssueState {
    let issue: StoredIssue?
    let assembly: IssueAssembly
    let approval: Approval?
    let lists: [String]
    let store: Store
    let month: IssueMonth

    init(env: CommandEnvironment, store: Store, month: IssueMonth) throws {
        self.store = store
        self.month = month
        issue = try store.existingIssue(for: month)
        assembly = try IssueAssembly(env: env, store: store, month: month)
        approval = try store.approval(for: month)
        lists = try store.targetLists(for: month)
    }

    /// Whether what would be sent now is what was approved.
    var matchesApproval: Bool { (try? ApprovalRefusal.check(assembly, month: month, against: approval)) != nil }

    var approvalLine: String {
        guard let approval else { return "not approved" }
        return matchesApproval
            ? "approved by \(approval.by) at \(approval.at) for \(approval.lists.joined(separator: ", "))"
            : "CHANGED since \(approval.by) approved it at \(approval.at): approve again before it can be sent"
    }

    /// Approves the issue as it renders now, keeping its web edition; returns the hash.
    func approve(lists: [String], by: String, now: Timestamp) throws -> String {
        let hash = assembly.rendered.fingerprint(lists: lists)
        let (html, text) = try assembly.webEdition()
        try store.approveIssue(
            month: month, hash: hash, lists: lists, subject: assembly.rendered.subject, html: html, text: text, by: by, now: now)
        return hash
    }
}
