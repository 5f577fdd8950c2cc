import Foundation
import KyozonDomain

/// A short plain-text mail that is not an issue: a confirmation, a welcome, a report to staff.
///
/// ```swift
/// let bytes = NoticeMessage(sender: sender, to: address, subject: "登録の確認", text: body, date: now, id: "outbox.7")
///     .bytes()
/// ```
/// UTF-8 in base64, lines of 76, headers RFC 2047-encoded; marked `Auto-Submitted:
/// auto-generated` (RFC 3834) so that auto-responders do not answer it.
public struct NoticeMessage: Sendable {
    public let sender: Sender
    public let recipient: EmailAddress
    public let subject: String
    public let text: String
    public let date: Timestamp
    /// Unique per mail; becomes the local part of the Message-ID.
    public let id: String

    public init(sender: Sender, to recipient: EmailAddress, subject: String, text: String, date: Timestamp, id: String) {
        self.sender = sender
        self.recipient = recipient
        self.subject = subject
        self.text = text
        self.date = date
        self.id = id
    }

    /// The complete message with CRLF line ends.
    public func bytes() -> [UInt8] {
        let headers = [
            ("From", HeaderEncoding.mailbox(name: sender.name, address: sender.address, nameLength: "From".count)),
            ("To", "<\(recipient.value)>"),
            ("Subject", HeaderEncoding.unstructured(subject, nameLength: "Subject".count)),
            ("Date", HeaderEncoding.date(date)),
            ("Message-ID", "<kyozon.\(HeaderEncoding.singleLine(id).replacingOccurrences(of: " ", with: "-"))@\(sender.address.domain)>"),
            ("MIME-Version", "1.0"),
            ("Auto-Submitted", "auto-generated"),
            ("Content-Type", "text/plain; charset=UTF-8"),
            ("Content-Transfer-Encoding", "base64"),
        ]
        var out: [UInt8] = []
        for (name, value) in headers { out.append(contentsOf: "\(name): \(value)\r\n".utf8) }
        out.append(contentsOf: "\r\n".utf8)
        let body = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        out.append(contentsOf: PreEncodedPart.base64Lines(Array(body.utf8)[...]))
        return out
    }
}
