import Crypto
import Foundation
import KyozonDomain
import KyozonJIS

/// Who one message goes to, and the personal links it carries.
public struct MessageRecipient: Sendable {
    public let subscriberID: Int64
    public let email: EmailAddress
    public let name: String
    public let organization: String
    /// The list this copy is sent through (List-Id).
    public let list: MailingList
    public let unsubscribeURL: String
    /// `mailto:` address for List-Unsubscribe, when one is configured.
    public let unsubscribeMailto: EmailAddress?
    /// The reader's prefecture (JIS code), for the 「貴県からの掲載」 block.
    public let prefecture: Int?
    /// The character set of the reader's copy.
    public let charset: MailCharset

    public init(
        subscriberID: Int64, email: EmailAddress, name: String, organization: String, list: MailingList,
        unsubscribeURL: String, unsubscribeMailto: EmailAddress?, prefecture: Int? = nil, charset: MailCharset = .utf8
    ) {
        self.prefecture = prefecture
        self.charset = charset
        self.subscriberID = subscriberID
        self.email = email
        self.name = name
        self.organization = organization
        self.list = list
        self.unsubscribeURL = unsubscribeURL
        self.unsubscribeMailto = unsubscribeMailto
    }
}

/// Builds the MIME message of an issue for each recipient: `multipart/alternative` with
/// the plain text first and the HTML second, both UTF-8 in base64 (lines of 76), spliced from
/// parts encoded once; or, for a reader who asked for it, ISO-2022-JP (7bit, quoted-printable
/// or base64, whichever is shortest), encoded whole for that reader.
///
/// ```swift
/// let builder = MailMessageBuilder(issue: rendered, issueKey: "2026-11", sender: sender, date: now)
/// let bytes = builder.message(for: recipient)
/// ```
public struct MailMessageBuilder: Sendable {
    public let issue: RenderedIssue
    /// Identifies the issue in Message-IDs: the same (issue, subscriber) always gets the same id.
    public let issueKey: String
    public let sender: Sender
    public let date: Timestamp
    /// The domain List-Id values live under, such as `kyozon.example.metro.tokyo.lg.jp`.
    public let listDomain: String

    private let subjectHeader: String
    private let fromHeader: String
    private let subjectHeaderJIS: String
    private let fromHeaderJIS: String
    private let dateHeader: String
    private let cleanListDomain: String
    /// List-Id values made once per list (`prepare(lists:)`), not once per message.
    private var listIDs: [String: String] = [:]
    private let boundary: String
    private let html: PreEncodedPart
    private let text: PreEncodedPart
    /// The parts cut at their markers, with CRLF, for copies encoded whole (ISO-2022-JP, QP).
    private let htmlSpliced: SplicedText
    private let textSpliced: SplicedText
    /// How each UTF-8 part travels: base64 (spliced from pre-encoded pieces) for Japanese text,
    /// where it is shortest; quoted-printable or 7bit, encoded per message, for a mostly-ASCII issue.
    let htmlEncoding: TransferEncoding
    let textEncoding: TransferEncoding

    public init(issue: RenderedIssue, issueKey: String, sender: Sender, date: Timestamp, listDomain: String) {
        self.issue = issue
        self.issueKey = issueKey
        self.sender = sender
        self.date = date
        self.listDomain = listDomain
        self.subjectHeader = HeaderEncoding.unstructured(issue.subject, nameLength: "Subject".count)
        self.fromHeader = HeaderEncoding.mailbox(name: sender.name, address: sender.address, nameLength: "From".count)
        self.subjectHeaderJIS = HeaderEncoding.unstructured(issue.subject, nameLength: "Subject".count, charset: .iso2022jp)
        self.fromHeaderJIS = HeaderEncoding.mailbox(
            name: sender.name, address: sender.address, nameLength: "From".count, charset: .iso2022jp)
        self.dateHeader = HeaderEncoding.date(date)
        self.cleanListDomain = HeaderEncoding.singleLine(listDomain).replacingOccurrences(of: " ", with: "")
        self.htmlSpliced = SplicedText(issue.html, blocks: issue.htmlBlocks).withCRLF()
        self.textSpliced = SplicedText(issue.text, blocks: issue.textBlocks).withCRLF()
        self.html = PreEncodedPart(htmlSpliced)
        self.text = PreEncodedPart(textSpliced)
        self.htmlEncoding = QuotedPrintable.preferred(for: Array(issue.html.utf8))
        self.textEncoding = QuotedPrintable.preferred(for: Array(issue.text.utf8))
        let digest = SHA256.hash(data: Data((issue.html + issue.text).utf8)).prefix(12)
        // "=_" cannot occur in base64 or quoted-printable text, so the boundary never collides
        // with a body line (and the digest makes it unguessable for 7bit ones).
        self.boundary = "=_kyozon_" + digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Makes the List-Id of each list once, ahead of sending.
    public mutating func prepare(lists: [MailingList]) {
        for list in lists { listIDs[list.id] = listID(list) }
    }

    private func listID(_ list: MailingList) -> String {
        "\(HeaderEncoding.phrase(list.name, nameLength: "List-Id".count)) <\(list.id).\(cleanListDomain)>"
    }

    /// A Message-ID stable for (issue, subscriber): a resend carries the same id, so a duplicate is recognisable.
    public func messageID(for subscriberID: Int64) -> String {
        "<kyozon.\(HeaderEncoding.singleLine(issueKey)).\(subscriberID)@\(sender.address.domain)>"
    }

    /// The complete message with CRLF line ends, ready for SMTP.
    public func message(for recipient: MessageRecipient) -> [UInt8] {
        let person = Personalization(
            name: recipient.name, organization: recipient.organization, unsubscribeURL: recipient.unsubscribeURL,
            prefecture: recipient.prefecture)
        let jis = recipient.charset == .iso2022jp
        var text: Part?
        var html: Part?
        if jis {
            text = Self.jisPart(textSpliced.filled(person, html: false))
            // The document's own declaration must agree with the part's charset.
            let page = htmlSpliced.filled(person, html: true)
                .replacingOccurrences(of: "<meta charset=\"utf-8\">", with: "<meta charset=\"iso-2022-jp\">")
            html = Self.jisPart(page)
        } else {
            if textEncoding != .base64 {
                let filled = textSpliced.filled(person, html: false)
                text = Part(bytes: textEncoding.encode(Array(filled.utf8)), charset: "UTF-8", encoding: textEncoding.headerValue)
            }
            if htmlEncoding != .base64 {
                let filled = htmlSpliced.filled(person, html: true)
                html = Part(bytes: htmlEncoding.encode(Array(filled.utf8)), charset: "UTF-8", encoding: htmlEncoding.headerValue)
            }
        }
        // Each URL on its own line: a URL cannot be folded, and this keeps lines short.
        var unsubscribe = "\r\n <\(HeaderEncoding.singleLine(recipient.unsubscribeURL))>"
        if let mailto = recipient.unsubscribeMailto {
            unsubscribe += ",\r\n <mailto:\(mailto.value)?subject=unsubscribe>"
        }
        var headers: [(String, String)] = [
            ("From", jis ? fromHeaderJIS : fromHeader),
            ("To", HeaderEncoding.mailbox(name: recipient.name, address: recipient.email, nameLength: "To".count, charset: recipient.charset)),
            ("Subject", jis ? subjectHeaderJIS : subjectHeader),
            ("Date", dateHeader),
            ("Message-ID", messageID(for: recipient.subscriberID)),
            ("MIME-Version", "1.0"),
            ("List-Id", listIDs[recipient.list.id] ?? listID(recipient.list)),
            ("List-Unsubscribe", unsubscribe),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("Precedence", "bulk"),
            ("X-Auto-Response-Suppress", "OOF, AutoReply"),
            ("Content-Type", "multipart/alternative;\r\n boundary=\"\(boundary)\""),
        ]
        if recipient.name.isEmpty { headers[1].1 = "<\(recipient.email.value)>" }
        var head = ""
        for (name, value) in headers { head += value.hasPrefix("\r\n") ? "\(name):\(value)\r\n" : "\(name): \(value)\r\n" }
        head += "\r\nThis is a multi-part message in MIME format.\r\n"
        var out: [UInt8] = []
        // One buffer, each shared byte copied into it once: at 100,000 messages of 100 KB and
        // more, copies are what costs.
        out.reserveCapacity(
            head.utf8.count + (text?.bytes.count ?? self.text.sharedCount) + (html?.bytes.count ?? self.html.sharedCount) + 8192)
        out.append(contentsOf: head.utf8)
        let utf8 = Part(bytes: [], charset: "UTF-8", encoding: "base64")
        appendPartHeader("text/plain", text ?? utf8, to: &out)
        if let text { out.append(contentsOf: text.bytes) } else { self.text.append(person, html: false, to: &out) }
        appendPartHeader("text/html", html ?? utf8, to: &out)
        if let html { out.append(contentsOf: html.bytes) } else { self.html.append(person, html: true, to: &out) }
        out.append(contentsOf: "--\(boundary)--\r\n".utf8)
        return out
    }

    /// One encoded body part and how it is labelled.
    struct Part {
        let bytes: [UInt8]
        let charset: String
        let encoding: String
    }

    /// A part in ISO-2022-JP, in whichever transfer encoding is shortest within 76-character lines.
    static func jisPart(_ text: String) -> Part {
        let bytes = ISO2022JP.encode(text).bytes
        let encoding = QuotedPrintable.preferred(for: bytes)
        return Part(bytes: encoding.encode(bytes), charset: "ISO-2022-JP", encoding: encoding.headerValue)
    }

    private func appendPartHeader(_ type: String, _ part: Part, to out: inout [UInt8]) {
        out.append(contentsOf: "--\(boundary)\r\nContent-Type: \(type); charset=\(part.charset)\r\nContent-Transfer-Encoding: \(part.encoding)\r\n\r\n".utf8)
    }
}
