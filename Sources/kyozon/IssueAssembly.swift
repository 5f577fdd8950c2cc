import Foundation
import KyozonComposer
import KyozonDKIM
import KyozonDomain
import KyozonStore
import KyozonTokens

/// The issue of one month, rendered once, with what it takes to address it to each reader.
struct IssueAssembly {
    var content: IssueContent
    let rendered: RenderedIssue
    let renderer: IssueRenderer
    var builder: MailMessageBuilder
    let links: LinkMaker
    let dkim: DKIMSigner?
    /// The stored issue, when there is one: its unsubscribe links then name it, so one click
    /// leaves exactly the lists it went to.
    var issueID: Int64?

    /// The issue of `month` as staff set it (title, lead, volume, and its id when stored),
    /// with what is in the store now: the one way every command renders an issue, so that what
    /// is previewed, tested, approved and sent are made alike.
    init(env: CommandEnvironment, store: Store, month: IssueMonth, subjectPrefix: String = "") throws {
        let stored = try store.existingIssue(for: month)
        try self.init(
            env: env, store: store, month: month, volume: try stored?.volume ?? store.volumeNumber(for: month), title: stored?.title,
            lead: stored?.lead, subjectPrefix: subjectPrefix)
        issueID = stored?.id
    }

    private init(
        env: CommandEnvironment, store: Store, month: IssueMonth, volume: Int, title: String?, lead: String?,
        subjectPrefix: String
    ) throws {
        let config = env.configuration
        let items = try store.issueItems(in: month)
        let sender = try env.sender()
        content = IssueContent(
            month: month, volume: volume, title: title, lead: lead, items: items, sender: sender,
            portalURL: config.portalURL)
        content.japaneseEra = config.japaneseEra
        content.webURL = "\(config.baseURL)/issues/\(month)"
        content.subscribeURL = "\(config.baseURL)/subscribe"
        renderer = IssueRenderer(templates: try env.templates())
        rendered = try renderer.render(content).withSubject(prefix: subjectPrefix)
        let host = URLComponents(string: config.baseURL)?.host ?? sender.address.domain
        builder = MailMessageBuilder(
            issue: rendered, issueKey: "\(month).\(try store.instanceID())", sender: sender, date: env.clock(), listDomain: host)
        if let keyFile = config.dkimKeyFile, let selector = config.dkimSelector {
            guard let pem = FileManager.default.contents(atPath: keyFile) else {
                throw CommandError("dkim.key_file not readable: \(keyFile)")
            }
            dkim = try DKIMSigner(
                domain: config.dkimDomain ?? sender.address.domain, selector: selector,
                privateKeyPEM: String(decoding: pem, as: UTF8.self))
        } else {
            dkim = nil
        }
        links = LinkMaker(
            baseURL: config.baseURL, signer: try TokenKey.signer(env),
            unsubscribeMailto: try config.unsubscribeAddress.map { try EmailAddress($0) })
    }

    /// The web edition: the same content as a page for anyone (no reader's name, no
    /// prefecture block, a footer inviting to subscribe).
    func webEdition() throws -> (html: String, text: String) {
        var page = content
        page.webEdition = true
        let blank = Personalization(name: "", organization: "", unsubscribeURL: "", prefecture: nil)
        return try renderer.render(page).personalized(blank)
    }

    /// The message for one reader, DKIM-signed when a key is configured.
    func message(for subscriber: Subscriber, list: MailingList) throws -> [UInt8] {
        let bytes = builder.message(for: recipient(subscriber, list: list))
        guard let dkim else { return bytes }
        return try dkim.sign(bytes, at: builder.date.epochSeconds)
    }

    func recipient(_ subscriber: Subscriber, list: MailingList) -> MessageRecipient {
        MessageRecipient(
            subscriberID: subscriber.id, email: subscriber.email, name: subscriber.name,
            organization: subscriber.organization, list: list,
            unsubscribeURL: links.unsubscribeURL(subscriberID: subscriber.id, issueID: issueID),
            unsubscribeMailto: links.unsubscribeMailto, prefecture: subscriber.prefecture?.code, charset: subscriber.charset)
    }
}

/// Builds the personal links a message carries.
struct LinkMaker {
    let baseURL: String
    let signer: TokenSigner
    let unsubscribeMailto: EmailAddress?

    /// `bounces+ID.SIGNATURE@domain` (VERP): a bounce to it names its delivery row, and the
    /// signature keeps forged bounces from marking anyone.
    /// nil when `base` is too long to carry the tag (checked once before a send).
    func bounceAddress(_ base: EmailAddress, deliveryID: Int64) -> EmailAddress? {
        base.tagged(signer.token(purpose: "bounce", subject: String(deliveryID)))
    }

    /// `BASE/unsubscribe/ID-ISSUE.SIGNATURE`: unguessable, bound to the subscriber, the issue
    /// (whose lists a one-click leaves) and the purpose. Links without an issue leave every list.
    func unsubscribeURL(subscriberID: Int64, issueID: Int64?) -> String {
        let subject = issueID.map { "\(subscriberID)-\($0)" } ?? String(subscriberID)
        return "\(baseURL)/unsubscribe/\(signer.token(purpose: "unsubscribe", subject: subject))"
    }
}

/// The key that signs link tokens: `KYOZON_TOKEN_KEY` (at least 32 characters), else a
/// random key kept in `secrets/token.key` in the data directory (never in the database or git).
/// `KYOZON_TOKEN_KEY_PREVIOUS` (keys separated by commas) still verify after a rotation, so
/// the unsubscribe links in past issues keep working.
enum TokenKey {
    static func signer(_ env: CommandEnvironment) throws -> TokenSigner {
        let previous = (ProcessInfo.processInfo.environment["KYOZON_TOKEN_KEY_PREVIOUS"] ?? "")
            .split(separator: ",").map { Array($0.trimmingCharacters(in: .whitespaces).utf8) }.filter { !$0.isEmpty }
        if let bad = previous.first(where: { $0.count < 32 }) {
            throw CommandError("KYOZON_TOKEN_KEY_PREVIOUS holds a key of \(bad.count) characters; each needs at least 32")
        }
        if let text = ProcessInfo.processInfo.environment["KYOZON_TOKEN_KEY"], !text.isEmpty {
            guard text.utf8.count >= 32 else {
                throw CommandError("KYOZON_TOKEN_KEY is too short: give at least 32 random characters")
            }
            return TokenSigner(key: Array(text.utf8), previous: previous)
        }
        let folder = env.dataDirectory + "/secrets"
        let path = folder + "/token.key"
        if let data = FileManager.default.contents(atPath: path), data.count >= 32 {
            return TokenSigner(key: Array(data), previous: previous)
        }
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var key = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in key.indices { key[i] = generator.next() }
        guard FileManager.default.createFile(atPath: path, contents: Data(key), attributes: [.posixPermissions: 0o600])
        else { throw CommandError("cannot write the token key to \(path)") }
        return TokenSigner(key: key, previous: previous)
    }
}
