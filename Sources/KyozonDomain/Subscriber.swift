/// A reader of KYOZON KYOEI.
public struct Subscriber: Sendable, Hashable {
    public enum Status: String, Sendable, CaseIterable {
        case active
        /// Mail to the address keeps failing; not mailed until staff act.
        case bounced
        /// Staff blocked the address; never mailed.
        case blocked
    }

    public var id: Int64
    public var email: EmailAddress
    public var name: String
    public var organization: String
    public var prefecture: Prefecture?
    public var status: Status
    /// The character set of this reader's copies.
    public var charset: MailCharset

    public init(
        id: Int64, email: EmailAddress, name: String, organization: String, prefecture: Prefecture?, status: Status,
        charset: MailCharset = .utf8
    ) {
        self.charset = charset
        self.id = id
        self.email = email
        self.name = name
        self.organization = organization
        self.prefecture = prefecture
        self.status = status
    }
}

/// The state of one subscriber's membership of one list.
public enum SubscriptionStatus: String, Sendable, CaseIterable {
    /// Waiting for the double opt-in confirmation.
    case pending
    case confirmed
    case unsubscribed
}
