import Foundation
import KyozonComposer
import KyozonDomain
import KyozonStore

/// An issue as one sample reader gets it (in the first prefecture, in JIS order, with items,
/// so that the 「貴県からの掲載」 block shows): what `compose` writes and the staff preview shows.
struct IssuePreview {
    let state: IssueState
    let html: String
    let text: String
    let message: [UInt8]
    let report: IssueReport

    init(env: CommandEnvironment, store: Store, month: IssueMonth) throws {
        state = try IssueState(env: env, store: store, month: month)
        let issue = state.assembly
        let list = try store.listSummaries().first { !$0.archived }?.list ?? MailingList(id: "sample", name: "KYOZON KYOEI", description: "")
        let sample = try Self.reader(of: state)
        (html, text) = Self.page(of: state, for: sample)
        message = try issue.message(for: sample, list: list)
        report = IssueReport(content: issue.content, html: html, text: text, message: message.count, rejected: try store.rejections(in: month).count)
    }

    /// The sample reader: in the first prefecture (JIS order) with items.
    static func reader(of state: IssueState) throws -> Subscriber {
        let prefecture = state.assembly.content.items.map(\.prefecture).min()
        return Subscriber(
            id: 0, email: try EmailAddress("sample@kyozon-kyoei.example"), name: "見本 太郎",
            organization: "\(prefecture?.name ?? "見本県") 東京事務所", prefecture: prefecture, status: .active)
    }

    /// The HTML and text as `reader` gets them, without building the message (the staff
    /// pages' frames need only this).
    static func page(of state: IssueState, for reader: Subscriber) -> (html: String, text: String) {
        let person = Personalization(
            name: reader.name, organization: reader.organization,
            unsubscribeURL: state.assembly.links.unsubscribeURL(subscriberID: 0, issueID: state.issue?.id), prefecture: reader.prefecture?.code)
        return state.assembly.rendered.personalized(person)
    }

    /// The message's header block, as sent.
    var headers: String {
        let bytes = message
        var end = bytes.count
        for i in 0..<max(0, bytes.count - 3) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            end = i
            break
        }
        return String(decoding: bytes[..<end], as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }
}
