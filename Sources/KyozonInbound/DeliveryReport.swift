/// A delivery status notification (RFC 3464): per recipient, what the reporting server did.
///
/// ```swift
/// let report = DeliveryReport(message)   // nil when the message is not a DSN
/// report?.recipients.first?.status        // "5.1.1"
/// ```
public struct DeliveryReport: Sendable, Equatable {
    public struct Recipient: Sendable, Equatable {
        /// `Final-Recipient` without its `rfc822;` type.
        public let finalRecipient: String
        /// `failed`, `delayed`, `delivered`, `relayed` or `expanded`.
        public let action: String
        /// The enhanced status code, such as `5.1.1`.
        public let status: String
        /// `Diagnostic-Code` without its `smtp;` type, when given. Whether it counts as a
        /// bounce is `BouncePolicy.kind(action:status:)`'s to say.
        public let diagnostic: String?
    }

    public let recipients: [Recipient]
    /// The Message-ID of the message the report is about, from its returned headers.
    public let originalMessageID: String?

    /// Reads the `message/delivery-status` part of a `multipart/report`; nil for anything else.
    public init?(_ message: InboundMessage) {
        guard let status = message.allParts.first(where: { $0.contentType == "message/delivery-status" }) else { return nil }
        // The per-message group comes first, then one group per recipient, separated by blank lines.
        // Without CR: "\r\n" is one Character in Swift, and the groups are split at "\n\n".
        let text = String(String.UnicodeScalarView(status.text.unicodeScalars.filter { $0 != "\r" }))
        let groups = text.components(separatedBy: "\n\n").map { InboundMessage.fields(Array($0.utf8)) }.filter { !$0.isEmpty }
        var recipients: [Recipient] = []
        for group in groups {
            func field(_ name: String) -> String? {
                group.first { $0.name.lowercased() == name }?.value
            }
            guard let final = field("final-recipient"), let action = field("action") else { continue }
            recipients.append(
                Recipient(
                    finalRecipient: Self.stripType(final), action: action.lowercased(),
                    status: field("status").map { String($0.split(separator: " ").first ?? "") } ?? "",
                    diagnostic: field("diagnostic-code").map(Self.stripType)))
        }
        guard !recipients.isEmpty else { return nil }
        self.recipients = recipients
        let returned = message.allParts.dropFirst().first {
            $0.contentType == "text/rfc822-headers" || $0.contentType == "message/rfc822"
        }
        originalMessageID = returned?.parts.first?.header("Message-ID")
    }

    /// `rfc822; sato@x.jp` → `sato@x.jp`.
    static func stripType(_ value: String) -> String {
        guard let semicolon = value.firstIndex(of: ";") else { return value }
        return value[value.index(after: semicolon)...].trimmingCharacters(in: .whitespaces)
    }
}
