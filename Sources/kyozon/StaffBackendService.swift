import Foundation
import KyozonComposer
import KyozonDomain
import KyozonMailer
import KyozonSMTP
import KyozonStore
import KyozonWeb

/// The staff pages' rendering and sending, with the command's configuration: the same
/// preview as `compose`, the same approval as `issue approve`, the same test copy as `send --to`.
struct StaffBackendService: StaffBackend {
    let env: CommandEnvironment
    let store: Store

    func preview(month: IssueMonth) throws -> StaffPreview {
        let preview = try IssuePreview(env: env, store: store, month: month)
        let summaries = try store.listSummaries().filter { !$0.archived }
        return StaffPreview(
            subject: preview.state.assembly.rendered.subject, html: preview.html, text: preview.text, headers: preview.headers,
            messageBytes: preview.message.count, htmlBytes: preview.html.utf8.count, itemCount: preview.state.assembly.content.items.count,
            warnings: preview.report.japaneseWarnings, collection: try store.collectionReport(in: month).map { "\($0.source): " + $0.messages.joined(separator: "; ") },
            recipients: summaries.map { (list: $0.list.id, name: $0.list.name, count: $0.confirmed) }, lists: preview.state.lists,
            approval: Self.japanese(preview.state), approved: preview.state.matchesApproval,
            contentHash: preview.state.assembly.rendered.fingerprint(lists: []))
    }

    func status(month: IssueMonth) throws -> StaffStatus {
        let state = try IssueState(env: env, store: store, month: month)
        return StaffStatus(subject: state.assembly.rendered.subject, approval: Self.japanese(state), approved: state.matchesApproval, lists: state.lists)
    }

    func sampleHTML(month: IssueMonth) throws -> String {
        let state = try IssueState(env: env, store: store, month: month)
        return IssuePreview.page(of: state, for: try IssuePreview.reader(of: state)).html
    }

    static func japanese(_ state: IssueState) -> String {
        guard let approval = state.approval else { return "未承認：承認されるまで配信されません。" }
        return state.matchesApproval
            ? "承認済み：\(approval.by)（\(approval.at)）、配信先 \(approval.lists.joined(separator: "・"))"
            : "承認後に変更あり：\(approval.by) が \(approval.at) に承認した内容から変わっています。承認し直すまで配信されません。"
    }

    func approve(month: IssueMonth, lists: [String], previewed: String, by: String) throws -> String? {
        let state = try IssueState(env: env, store: store, month: month)
        guard state.assembly.rendered.fingerprint(lists: []) == previewed else { return nil }
        return try state.approve(lists: lists, by: by, now: env.clock())
    }

    func sendTest(month: IssueMonth, to addresses: [EmailAddress], by: String) throws -> [String] {
        try TestCopies.send(env: env, store: store, month: month, to: addresses, name: by, list: nil).results.map { address, result in
            switch result {
            case .accepted: "\(address.value) に送信しました"
            default: "\(address.value) には送れませんでした（\(result)）"
            }
        }
    }
}
