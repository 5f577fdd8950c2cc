import Foundation
import KyozonComposer
import KyozonDomain
import KyozonMailer
import KyozonSMTP
import KyozonStore

/// Test copies of an issue for staff: the issue as it would go out now (its title, lead and
/// items), with 【テスト送信】 before the subject, recorded nowhere as a delivery. Used by
/// `send --to` and the staff pages' preview.
enum TestCopies {
    static func send(
        env: CommandEnvironment, store: Store, month: IssueMonth, to addresses: [EmailAddress], name: String, list: MailingList?
    ) throws -> (subject: String, results: [(EmailAddress, TransportResult)]) {
        let issue = try IssueAssembly(env: env, store: store, month: month, subjectPrefix: "【テスト送信】")
        let list = list ?? MailingList(id: "test", name: "KYOZON KYOEI（テスト送信）", description: "")
        let envelope = try EmailAddress(env.configuration.envelopeFrom)
        let messages = try addresses.map { address in
            OutgoingMessage(
                envelopeFrom: envelope, recipient: address,
                data: try issue.message(for: Subscriber(id: 0, email: address, name: name, organization: "", prefecture: nil, status: .active), list: list))
        }
        let smtp = try CurlSMTPTransport(settings: SendSession.smtpSettings(env), connections: 1)
        return (issue.rendered.subject, Array(zip(addresses, smtp.send(messages))))
    }
}
