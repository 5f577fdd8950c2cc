/// Tells bounces and unsubscribe requests from everything else.
///
/// ```swift
/// let classifier = InboundClassifier(bounceAddress: "bounces@kyozon.example", unsubscribeAddress: "unsubscribe@kyozon.example")
/// classifier.classify(message, envelopeRecipient: "bounces+12.AbC@kyozon.example")
/// ```
/// Bounces are recognised by the address they came back to (`local+TOKEN@domain`, the VERP
/// envelope sender of each delivery): the MTA's envelope recipient when it pipes the mail in,
/// else `Delivered-To`, `X-Original-To`, `Envelope-To` or `To`. Unsubscribe requests are mails
/// to the List-Unsubscribe address (`local@domain`, or `local+LIST@domain` for one list).
public struct InboundClassifier: Sendable {
    public let bounceAddress: String
    public let unsubscribeAddress: String?

    public init(bounceAddress: String, unsubscribeAddress: String?) {
        self.bounceAddress = bounceAddress.lowercased()
        self.unsubscribeAddress = unsubscribeAddress?.lowercased()
    }

    public func classify(_ message: InboundMessage, envelopeRecipient: String? = nil) -> InboundVerdict {
        let recipients = ([envelopeRecipient].compactMap { $0 }
            + ["Delivered-To", "X-Original-To", "Envelope-To", "To"].flatMap { message.headers($0) })
            .flatMap(Self.addresses)
        if let token = recipients.lazy.compactMap({ Self.tag(of: $0, base: bounceAddress) }).first {
            guard let report = DeliveryReport(message) else {
                return .unrecognised(reason: "sent to the bounce address (token \(token)) but not a delivery report")
            }
            guard let recipient = report.recipients.first(where: { $0.action == "failed" || $0.action == "delayed" }) else {
                return .unrecognised(reason: "a delivery report with no failed or delayed recipient")
            }
            return recipient.action == "delayed" ? .delayed(token: token, recipient: recipient) : .bounce(token: token, recipient: recipient)
        }
        if let unsubscribeAddress,
            let to = recipients.first(where: { $0.lowercased() == unsubscribeAddress || Self.tag(of: $0, base: unsubscribeAddress) != nil })
        {
            // An auto-reply or a bounce to the unsubscribe address must not unsubscribe anyone.
            if message.header("Auto-Submitted").map({ $0.lowercased() != "no" }) == true || DeliveryReport(message) != nil {
                return .unrecognised(reason: "an automatic reply to the unsubscribe address")
            }
            guard let from = (message.header("Reply-To").flatMap { Self.addresses($0).first })
                ?? message.header("From").flatMap({ Self.addresses($0).first })
            else {
                return .unrecognised(reason: "a mail to the unsubscribe address without a sender")
            }
            return .unsubscribe(from: from, list: Self.tag(of: to, base: unsubscribeAddress))
        }
        return .unrecognised(reason: "neither a delivery report to the bounce address nor a mail to the unsubscribe address")
    }

    /// `bounces+TOKEN@domain` → `TOKEN` when `base` is `bounces@domain`.
    /// The base is compared without regard to case; the tag keeps its case (tokens are base64url).
    static func tag(of address: String, base: String) -> String? {
        guard let at = base.lastIndex(of: "@"), let addressAt = address.lastIndex(of: "@"),
            address[addressAt...].lowercased() == base[at...].lowercased()
        else { return nil }
        let local = address[..<addressAt]
        let prefix = base[..<at].lowercased() + "+"
        guard local.lowercased().hasPrefix(prefix), local.count > prefix.count else { return nil }
        return String(local.dropFirst(prefix.count))
    }

    /// The addresses in a header value: `"佐藤" <sato@x.jp>, b@y.jp` → [`sato@x.jp`, `b@y.jp`].
    static func addresses(_ value: String) -> [String] {
        var result: [String] = []
        for piece in value.split(separator: ",") {
            var candidate = Substring(piece)
            if let open = piece.lastIndex(of: "<"), let close = piece.lastIndex(of: ">"), open < close {
                candidate = piece[piece.index(after: open)..<close]
            }
            let address = candidate.trimmingCharacters(in: .whitespaces)
            if address.contains("@"), !address.contains(" ") { result.append(address) }
        }
        return result
    }
}
