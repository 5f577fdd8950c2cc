/// The per-subscriber parts of a message, spliced into the issue rendered once.
public struct Personalization: Sendable {
    public var name: String
    public var organization: String
    /// The https link that unsubscribes this reader.
    public var unsubscribeURL: String
    /// The reader's prefecture (JIS code), for the 「貴県からの掲載」 block.
    public var prefecture: Int?

    /// Who the footer addresses when a subscriber has no name on record.
    public static let nameless = "ご担当者"

    public init(name: String, organization: String, unsubscribeURL: String, prefecture: Int? = nil) {
        self.name = name.isEmpty ? Self.nameless : name
        self.organization = organization
        self.unsubscribeURL = unsubscribeURL
        self.prefecture = prefecture
    }

    /// Markers the templates render in place of personal values. Private-use characters:
    /// no submitted text can contain them (they would have to survive the collector) and
    /// escaping leaves them alone.
    enum Marker {
        static let name = "\u{F8F0}name\u{F8F1}"
        static let organization = "\u{F8F0}organization\u{F8F1}"
        static let unsubscribeURL = "\u{F8F0}unsubscribe_url\u{F8F1}"
        /// Where the reader's prefecture block goes, once the variants are cut out.
        static let yourPrefecture = "\u{F8F0}your_prefecture\u{F8F1}"
        /// Starts the variant for one prefecture inside `{{#prefecture_blocks}}`.
        static func prefectureVariant(_ code: Int) -> String { "\u{F8F0}prefecture:\(code)\u{F8F1}" }
        static let variantPrefix = "\u{F8F0}prefecture:"
        /// Ends the last variant (`{{{yours_end}}}` after the section).
        static let prefectureEnd = "\u{F8F0}prefecture_end\u{F8F1}"
    }
}
