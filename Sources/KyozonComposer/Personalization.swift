/// The per-subscriber parts of a message, spliced into the issue rendered once.
public struct Personalization: Sendable {
    public var name: String
    public var organization: String
    /// The https link that unsubscribes this reader.
    public var unsubscribeURL: String

    /// Who the footer addresses when a subscriber has no name on record.
    public static let nameless = "ご担当者"

    public init(name: String, organization: String, unsubscribeURL: String) {
        self.name = name.isEmpty ? Self.nameless : name
        self.organization = organization
        self.unsubscribeURL = unsubscribeURL
    }

    /// Markers the templates render in place of personal values. Private-use characters:
    /// no submitted text can contain them (they would have to survive the collector) and
    /// escaping leaves them alone.
    enum Marker {
        static let name = "\u{F8F0}name\u{F8F1}"
        static let organization = "\u{F8F0}organization\u{F8F1}"
        static let unsubscribeURL = "\u{F8F0}unsubscribe_url\u{F8F1}"
    }
}
