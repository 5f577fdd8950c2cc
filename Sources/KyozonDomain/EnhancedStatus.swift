/// The enhanced status code (RFC 3463) of an SMTP reply, such as `5.1.1` in
/// `550 5.1.1 User unknown` or in a multi-line `550-5.1.1 The email account…`.
public struct EnhancedStatus: Sendable, Equatable {
    /// Class (2, 4, 5), subject (1: address, 2: mailbox, 7: security or policy…), detail.
    public let klass: Int
    public let subject: Int
    public let detail: Int

    /// The code after the three digits and their separator (space or `-`) of the reply's
    /// first line, or nil when the reply carries none.
    public init?(reply: String) {
        let firstLine = reply.split(whereSeparator: { $0 == "\r" || $0 == "\n" }).first.map(String.init) ?? reply
        guard let word = firstLine.dropFirst(4).split(separator: " ").first else { return nil }
        self.init(word)
    }

    /// Parses `X.Y.Z` alone, as a delivery report's `Status:` field carries it.
    public init?<S: StringProtocol>(_ text: S) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let klass = Int(parts[0]), let subject = Int(parts[1]), let detail = Int(parts[2]),
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return nil }
        self.klass = klass
        self.subject = subject
        self.detail = detail
    }

    /// A refusal about our content or our server (x.7.x), not about the address.
    public var isPolicy: Bool { subject == 7 }
    /// About the address or the mailbox (x.1.x, x.2.x): the recipient's, never the relay's.
    public var isAboutTheRecipient: Bool { subject == 1 || subject == 2 }
}
